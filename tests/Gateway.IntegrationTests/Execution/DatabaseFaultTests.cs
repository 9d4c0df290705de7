using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Production;
using Gateway.IntegrationTests.Worker;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Execution;

/// <summary>
/// The database restarted, stopped or saturated under a running gateway, on a cluster of this class's own: clients get
/// 503 with <c>Retry-After</c> in PostgREST's shape, never 500; an outage is logged when it begins and when it ends, not
/// per request; readiness tells a busy database (200, degraded) from one that does not answer (503); and the gateway
/// recovers by itself, catalog and listener included.
/// </summary>
public sealed class DatabaseFaultTests(PrivateClusterFixture api) : IClassFixture<PrivateClusterFixture>, IAsyncLifetime
{
    private const int ReadinessLost = 1301;

    private static readonly Dictionary<string, string?> Defaults = new();

    // A test that failed half-way must not leave the next one without a server.
    public async Task InitializeAsync()
    {
        if (PrivateClusterFixture.Missing is null)
        {
            await api.Cluster.StartAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [SkippableFact]
    public async Task A_restart_under_load_answers_no_500_and_the_gateway_recovers_with_its_catalog()
    {
        Skip.If(PrivateClusterFixture.Missing is not null, PrivateClusterFixture.Missing);
        await using var gateway = Gateways.With(api, Defaults);
        var client = await Gateways.ReadyClientAsync(gateway);
        List<Answer> seen;
        await using (var load = Load.Start(client, workers: 4))
        {
            await Eventually.TrueAsync(() => Task.FromResult(load.Answers.Count(a => a.Status == 200) >= 20), "the load to be answered");

            await api.Cluster.RestartAsync();

            var restarted = load.Answers.Count;
            await Eventually.TrueAsync(
                () => Task.FromResult(load.Answers.Skip(restarted).Count(a => a.Status == 200) >= 40), "requests to succeed again after the restart");
            seen = await load.StopAsync();
        }

        var wrong = seen.Where(a => a.Status >= 500 && !a.IsRetryable503).Select(a => $"{a.Request}: {a.Status} {a.Code} Retry-After {a.RetryAfter}").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {seen.Count} answers were not a 503 with Retry-After:\n" + string.Join('\n', wrong.Distinct()));
        Assert.All(seen.Where(a => a.Request.EndsWith("/no_such_view", StringComparison.Ordinal)), a => Assert.Equal(404, a.Status));
        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        // The listener listens again: a view created now is served after NOTIFY, with no restart of the gateway.
        await using (var admin = await api.OpenAdminAsync())
        {
            await admin.ExecuteAsync("""
                set role gateway_owner;
                create view api.after_restart as select 1 as one;
                grant select on api.after_restart to anon;
                reset role;
                notify pgrst, 'reload schema';
                """);
        }

        await Eventually.TrueAsync(async () => (await client.GetAsync("/after_restart")).StatusCode == HttpStatusCode.OK, "the new view to be served");
    }

    [SkippableFact]
    public async Task A_stopped_database_answers_503_with_retry_after_logs_the_outage_twice_and_recovers()
    {
        Skip.If(PrivateClusterFixture.Missing is not null, PrivateClusterFixture.Missing);
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, Defaults, logs);
        var client = await Gateways.ReadyClientAsync(gateway);
        var unavailableBefore = MetricsTests.Sum(await MetricsTests.ScrapeAsync(client), "gateway_database_unavailable_total", "reason=\"unreachable\"");

        await api.Cluster.StopAsync();
        var stoppedAt = logs.Entries.Count;
        var seen = await Load.RoundsAsync(client, rounds: 50);
        using var ready = await client.GetAsync("/health/ready");

        var failed = seen.Where(a => !a.Request.EndsWith("/no_such_view", StringComparison.Ordinal)).ToList();
        Assert.All(failed, a => Assert.True(a.IsRetryable503 && a.Code == "PGRST000", $"{a.Request}: {a.Status} {a.Code} Retry-After {a.RetryAfter}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        var outage = logs.Entries.Skip(stoppedAt).ToList();
        Assert.Single(outage, e => e.Event.Id == 1200);
        // Readiness lost once running is the same outage, at the same level as its 1200 line.
        Assert.Equal(LogLevel.Error, Assert.Single(outage, e => e.Event.Id == ReadinessLost).Level);
        Assert.DoesNotContain(outage, e => e.Event.Id == 2002);
        // The outage line, the listener's loss and readiness's own 503: a handful, not one per failed request.
        var loud = outage.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.True(loud.Count <= 5, $"{failed.Count} failed requests logged {loud.Count} warnings and errors:\n" + string.Join('\n', loud.Select(e => $"{e.Category} {e.Event.Id} {e.Message}")));
        var unavailable = MetricsTests.Sum(await MetricsTests.ScrapeAsync(client), "gateway_database_unavailable_total", "reason=\"unreachable\"");
        Assert.True(unavailable - unavailableBefore >= failed.Count, $"counted {unavailable - unavailableBefore} of {failed.Count}");

        await api.Cluster.StartAsync();

        await Eventually.TrueAsync(async () => (await client.GetAsync("/items?select=id")).StatusCode == HttpStatusCode.OK, "reads to succeed again");
        await Eventually.TrueAsync(
            async () =>
            {
                using var _ = await client.GetAsync("/items?select=id");
                return logs.Entries.Skip(stoppedAt).Any(e => e.Event.Id == 1201);
            },
            "the end of the outage to be logged");
        var back = Assert.Single(logs.Entries.Skip(stoppedAt), e => e.Event.Id == 1201);
        // At least the requests above; one sent while the server was still coming up would count too.
        Assert.True(long.Parse(back.Field("FailedRequests")!, System.Globalization.CultureInfo.InvariantCulture) >= failed.Count, back.Message);
        await ApiFixture.WaitUntilReadyAsync(client);
    }

    [SkippableFact]
    public async Task A_saturated_pool_answers_the_excess_503_with_retry_after_and_readiness_stays_200_degraded()
    {
        Skip.If(PrivateClusterFixture.Missing is not null, PrivateClusterFixture.Missing);
        // Three connections, one of them the catalog listener's; a second's wait for a free one.
        var connection = api.AuthenticatorConnectionString + ";Maximum Pool Size=3;Timeout=1;Application Name=saturated";
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = connection });
        var client = await Gateways.ReadyClientAsync(gateway);
        await using var admin = await api.OpenAdminAsync();
        var sleeps = Enumerable.Range(0, 3)
            .Select(_ => client.PostAsync("/rpc/sleep", new StringContent("{\"seconds\": 60.5}", Encoding.UTF8, "application/json")))
            .ToList();
        await Eventually.TrueAsync(
            async () => await admin.ExecuteScalarAsync<long>(
                "select count(*) from pg_stat_activity where application_name = 'saturated' and query like '%\"sleep\"(%' and state = 'active'") == 2
                && await admin.ExecuteScalarAsync<long>("select count(*) from pg_stat_activity where application_name = 'saturated'") == 3,
            "two sleeps to hold the pool's last two connections");

        var excess = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await client.GetAsync("/items?select=id");
            return await Answer.ReadAsync("GET /items", response);
        }));
        using var ready = await client.GetAsync("/health/ready");

        Assert.All(excess, a => Assert.True(a.IsRetryable503 && a.Code == "PGRST003" && a.RetryAfter == "1", $"{a.Status} {a.Code} {a.RetryAfter} {a.Body}"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var health = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", health.RootElement.GetProperty("status").GetString());
        var database = health.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Degraded", database.GetProperty("status").GetString());
        Assert.Contains("pool's 3 connections", database.GetProperty("description").GetString(), StringComparison.Ordinal);

        await admin.ExecuteAsync("select pg_cancel_backend(pid) from pg_stat_activity where application_name = 'saturated' and query like '%\"sleep\"(%'");
        foreach (var sleep in sleeps)
        {
            (await sleep).Dispose();
        }

        using var after = await client.GetAsync("/items?select=id");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        await Eventually.TrueAsync(
            async () => JsonDocument.Parse(await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString() == "Healthy",
            "readiness to be healthy again");
    }
}
