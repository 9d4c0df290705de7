using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// One migrated database for the worker's queue tests, with the test functions of <see cref="WorkerDatabase"/>.
/// The classes of the collection run one after another; each test starts from <see cref="ResetAsync"/>.
/// </summary>
public sealed class WorkerQueueFixture : MigratedDatabase, IAsyncLifetime
{
    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await WorkerDatabase.CreateTestFunctionsAsync(this);
    }

    /// <summary>No pending task, no recorded call, the default lease: what every test of the collection starts from.</summary>
    public async Task ResetAsync()
    {
        await QueueOwner.CompleteLeftoversAsync(this);
        await using var admin = await OpenAdminAsync();
        await admin.ExecuteAsync("truncate worker_test.call");
        await WorkerDatabase.ConfigureAsync(this, "queue", new { lease_seconds = 300 });
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerQueueCollection : ICollectionFixture<WorkerQueueFixture>
{
    public const string Name = "worker queue database";
}
