using System.Globalization;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Queues;

public sealed class EnqueueNotificationTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private const string Channel = "queues_task_enqueued";

    // Bounds the wait for a notification PostgreSQL has already sent; it is not how long the test takes.
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Enqueue_notifies_a_listening_worker_with_the_task_id_when_the_transaction_commits()
    {
        await using var listener = await database.OpenWorkerAsync();
        var received = await ListenAsync(listener);
        await using var admin = await database.OpenAdminAsync();
        await using var transaction = await admin.BeginTransactionAsync();
        var taskId = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.Zero, transaction);

        // A round trip lets the listener take in anything already sent; before the commit nothing has been.
        await listener.ExecuteAsync("select 1");
        Assert.Empty(received);
        await transaction.CommitAsync();

        Assert.True(await listener.WaitAsync(DeliveryTimeout), "No notification arrived after the commit");
        var notification = Assert.Single(received);
        Assert.Equal(Channel, notification.Channel);
        Assert.Equal(taskId.ToString(CultureInfo.InvariantCulture), notification.Payload);
    }

    [Fact]
    public async Task A_rolled_back_enqueue_notifies_nobody()
    {
        await using var listener = await database.OpenWorkerAsync();
        var received = await ListenAsync(listener);
        await using var admin = await database.OpenAdminAsync();
        await using (var rolledBack = await admin.BeginTransactionAsync())
        {
            await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.Zero, rolledBack);
            await rolledBack.RollbackAsync();
        }

        var committed = await QueueOwner.EnqueueDueAsync(admin, new { n = 2 });

        // Notifications arrive in commit order, so the rolled-back one would have come first.
        Assert.True(await listener.WaitAsync(DeliveryTimeout), "No notification arrived for the committed enqueue");
        await listener.ExecuteAsync("select 1");
        var notification = Assert.Single(received);
        Assert.Equal(committed.ToString(CultureInfo.InvariantCulture), notification.Payload);
    }

    private static async Task<List<NpgsqlNotificationEventArgs>> ListenAsync(NpgsqlConnection listener)
    {
        var received = new List<NpgsqlNotificationEventArgs>();
        listener.Notification += (_, notification) => received.Add(notification);
        await listener.ExecuteAsync($"listen {Channel}");
        return received;
    }
}
