using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Worker;

/// <summary>The built program, run as operators run it: its exit codes when it must not start.</summary>
public sealed class WorkerProgramTests
{
    [Fact]
    public async Task Without_configuration_it_exits_2_naming_every_missing_key()
    {
        using var worker = WorkerProcess.Start(new Dictionary<string, string>());

        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("ConnectionStrings__Worker is missing", worker.Output, StringComparison.Ordinal);
        Assert.Contains("Worker__Smtp__Host is missing", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logged_in_as_a_superuser_it_refuses_to_run_and_exits_3()
    {
        var superuser = PostgresServer.ForDatabase(await PostgresServer.GetAdminConnectionStringAsync(), "postgres");
        using var worker = WorkerProcess.Start(RunningWorker.Settings(superuser, smtp: null));

        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 3, $"exit code {exitCode}: {worker.Output}");
        Assert.Contains("is a superuser; log in as worker_service_user", worker.Output, StringComparison.Ordinal);
    }
}
