using System.Text.Json.Nodes;

namespace Gateway.IntegrationTests.Queues;

/// <summary>
/// A task not yet completed, as the owner sees it in <c>queues.task_pending</c> joined to <c>queues.task</c>.
/// <paramref name="DelaySeconds"/> is <c>scheduled_at − enqueued_at</c>: both come from one transaction's now(),
/// so it is the delay the enqueuer asked for, independent of how long the test took.
/// </summary>
public sealed record PendingTask(long TaskId, string TaskType, JsonObject Payload, double DelaySeconds, bool IsDue, bool IsLeased);
