using System.Net;
using System.Text;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Production;
using Gateway.IntegrationTests.Worker;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.IntegrationTests.Execution;

/// <summary>
/// Clients that go away, over real sockets: one that disconnects mid-request gets its statement cancelled in
/// PostgreSQL; one that reads its response slowly does not keep a pooled connection while it does.
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
    public async Task A_client_that_does_not_read_its_response_does_not_hold_a_pooled_connection()
    {
        // Two connections, one of them the catalog listener's: one for requests, and a second's wait for it.
        var connection = api.AuthenticatorConnectionString + ";Maximum Pool Size=2;Timeout=1";
        var logs = new StructuredLogs();
        // Kestrel would end the stalled response after its grace period (MinResponseDataRate); this test keeps it stalled.
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = connection }, logs)
            .WithWebHostBuilder(builder => builder.ConfigureKestrel(kestrel => kestrel.Limits.MinResponseDataRate = null));
        gateway.UseKestrel(server => server.Listen(IPAddress.Loopback, 0));
        var client = await Gateways.ReadyClientAsync(gateway);

        // Headers only: the 16 MB body stays unread, so the server cannot finish writing it.
        using var stalled = await client.GetAsync("/filler", HttpCompletionOption.ResponseHeadersRead);
        using var next = await client.GetAsync("/items?select=id");

        Assert.Equal(HttpStatusCode.OK, stalled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        // The stalled response was still being written when the next request had been answered (a request is logged
        // once its response is complete, a moment after the client has it).
        await Eventually.TrueAsync(
            () => Task.FromResult(logs.Requests.Any(e => e.Field("Target") == "items" && e.Field("Status") == "200")), "the next request to be logged");
        Assert.DoesNotContain(logs.Requests, e => e.Field("Target") == "filler");
    }
}
