using System.Net;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

public sealed class CatalogListenerTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task After_its_connection_is_killed_the_listener_reconnects_reloads_and_listens_again()
    {
        var client = api.Anon();
        await using var admin = await api.OpenAdminAsync();

        // The database drops the listener's session, as a restart or a failover would.
        var killed = await admin.ExecuteScalarAsync<int>(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() and query = 'listen pgrst'");
        Assert.Equal(1, killed);

        // A view created while it was away is served once it has reconnected, without any notification.
        await admin.ExecuteAsync("""
            set role gateway_owner;
            create view api.made_while_away as select 1 as one;
            grant select on api.made_while_away to anon;
            reset role;
            """);
        await WaitForStatusAsync(client, "/made_while_away", HttpStatusCode.OK);

        // And it listens again: the next change arrives through NOTIFY.
        await admin.ExecuteAsync("""
            set role gateway_owner;
            create view api.made_after_reconnect as select 2 as two;
            grant select on api.made_after_reconnect to anon;
            reset role;
            """);
        await admin.ExecuteAsync("notify pgrst, 'reload schema'");
        await WaitForStatusAsync(client, "/made_after_reconnect", HttpStatusCode.OK);
    }

    private static async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync(path, timeout.Token);
            if (response.StatusCode == expected)
            {
                return;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
