using System.Net;
using System.Text;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Production;
using Gateway.IntegrationTests.Worker;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Execution;

/// <summary>
/// Clients that go away, over real sockets: one that disconnects mid-request gets its statement cancelled in
/// PostgreSQL; one that stops reading a large (streamed) response gives its pooled connection back at once (the rest
/// of the body waits in a temporary file) and can still read every byte; without a writable spill directory it is
/// cut off by Kestrel's minimum data rate instead, and the connection goes back then.
/// </summary>
public sealed class ClientDisconnectTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    // 16 000 rows of a kilobyte: a 16 MB body, more than the socket buffers of both ends hold.
    public Task InitializeAsync() => api.EnsureObjectsAsync("api.filler", """
        set role gateway_owner;
        create view api.filler as select i as id, repeat('x', 1000) as filler from generate_series(1, 16000) as i;
        grant select on api.filler to anon;
        reset role;
        """, "/filler?limit=1");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_client_that_disconnects_mid_request_gets_its_statement_cancelled_in_postgresql()
    {
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, new Dictionary<string, string?>(), logs, kestrel: true);
        var client = await Gateways.ReadyClientAsync(gateway);
        await using var admin = await api.OpenAdminAsync();
        const string Running = Gateways.RunningSleeps;
        using var leave = new CancellationTokenSource();

        var call = client.PostAsync("/rpc/sleep", new StringContent("{\"seconds\": 33.5}", Encoding.UTF8, "application/json"), leave.Token);
        await Eventually.TrueAsync(async () => call.IsCompleted || await admin.ExecuteScalarAsync<long>(Running) > 0, "the sleep to start in PostgreSQL");
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        // Well before the 33.5 seconds of the sleep: the gateway cancelled it.
        await Eventually.TrueAsync(async () => await admin.ExecuteScalarAsync<long>(Running) == 0, "the statement to be cancelled", TimeSpan.FromSeconds(10));
        // Not a failure of the gateway: logged as the client's doing (499), without an error.
        var answered = await Eventually.ValueAsync(
            () => Task.FromResult(logs.Requests.FirstOrDefault(e => e.Field("Target") == "sleep")), e => e is not null, Eventually.DefaultBound, "the request to be logged");
        Assert.Equal("499", answered!.Field("Status"));
        Assert.DoesNotContain(logs.Entries, e => e.Category == "Gateway.Errors");
    }

    [Fact]
    public async Task A_client_that_stops_reading_a_large_response_frees_its_connection_and_later_reads_every_byte()
    {
        // Two connections, one of them the catalog listener's: one for requests, and a second's wait for it. No minimum
        // data rate: Kestrel never cuts the stalled client off, so only the spill can free its connection.
        var connection = api.AuthenticatorConnectionString + ";Maximum Pool Size=2;Timeout=1";
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = connection })
            .WithWebHostBuilder(builder => builder.ConfigureKestrel(kestrel => kestrel.Limits.MinResponseDataRate = null));
        gateway.UseKestrel(server => server.Listen(IPAddress.Loopback, 0));
        var client = await Gateways.ReadyClientAsync(gateway);
        var whole = await client.GetByteArrayAsync("/filler");

        // Headers only: the 16 MB body stays unread, more than the sockets of both ends hold.
        using var stalled = await client.GetAsync("/filler", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stalled.StatusCode);

        // The rest of the body went to a file: the connection is back while the client still has not read.
        await ConnectionFreedAsync(client);

        var late = await stalled.Content.ReadAsByteArrayAsync();
        Assert.Equal(stalled.Content.Headers.ContentLength, late.Length);
        Assert.Equal(whole, late);
    }

    [Fact]
    public async Task Without_a_writable_spill_directory_a_stalled_client_is_cut_off_its_connection_freed_and_one_warning_logged()
    {
        var logs = new StructuredLogs();
        var connection = api.AuthenticatorConnectionString + ";Maximum Pool Size=2;Timeout=1";
        // Nothing can be created under a file. Kestrel allows a response time in proportion to the bytes written (several MB
        // sit in the sockets), so a minimum rate of 1 MB/s ends the stalled one in seconds; 64 KiB/s took past the 30 s
        // request timeout, which then ended it instead (found by the spill helper).
        await using var gateway = Gateways.With(
                api,
                new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = connection, ["Gateway:SpillDirectory"] = "/dev/null/spill" },
                logs)
            .WithWebHostBuilder(builder => builder.ConfigureKestrel(kestrel =>
                kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 1024 * 1024, gracePeriod: TimeSpan.FromSeconds(2))));
        gateway.UseKestrel(server => server.Listen(IPAddress.Loopback, 0));
        var client = await Gateways.ReadyClientAsync(gateway);

        using var stalled = await client.GetAsync("/filler", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stalled.StatusCode);

        // Streamed from the open row, as without a spill: Kestrel's minimum rate ends it and frees the connection.
        await ConnectionFreedAsync(client);
        using (var second = await client.GetAsync("/filler", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(second.Content.Headers.ContentLength, (await second.Content.ReadAsByteArrayAsync()).Length);
        }

        var warnings = logs.Entries.Where(e => e.Event.Id == 1210).ToList();
        Assert.True(warnings.Count == 1, $"{warnings.Count} spill warnings");
        Assert.Equal(LogLevel.Warning, warnings[0].Level);
        Assert.Contains("/dev/null/spill", warnings[0].Message);
    }

    // Another request gets the pool's one request connection: the stalled response no longer holds it.
    private static Task ConnectionFreedAsync(HttpClient client) => Eventually.TrueAsync(
        async () =>
        {
            using var response = await client.GetAsync("/items?select=id");
            return response.StatusCode == HttpStatusCode.OK;
        },
        "the stalled response's connection to be freed");
}
