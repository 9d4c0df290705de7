using System.Text.Json.Nodes;

namespace Gateway.IntegrationTests.Queues;

/// <summary>A <c>queues.task</c> row as the worker receives it from <c>queues.dequeue_next_available_task()</c>.</summary>
public sealed record QueuedTask(long TaskId, string TaskType, JsonObject Payload, DateTime EnqueuedAt, DateTime ScheduledAt)
{
    /// <summary>A string member of the payload, such as <c>db_function</c> or <c>before_handler</c>.</summary>
    public string PayloadText(string member) => Payload[member]?.GetValue<string>()
        ?? throw new Xunit.Sdk.XunitException($"Task {TaskId} has no payload member {member}: {Payload.ToJsonString()}");
}
