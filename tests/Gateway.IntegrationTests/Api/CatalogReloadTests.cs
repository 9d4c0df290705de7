using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The catalog snapshot (contract §2, "Schema cache"): loaded at start-up, so /health/ready waits for it; objects
/// created or dropped later are seen only after <c>NOTIFY pgrst, 'reload schema'</c>, without a restart, and
/// requests keep being served while it reloads.
/// </summary>
public sealed class CatalogReloadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Ready_is_200_once_the_catalog_is_loaded()
    {
        using var response = await api.Anon().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", (string?)report!["checks"]!["catalog"]!["status"]);
    }

    [Fact]
    public async Task View_created_after_start_up_is_404_until_a_reload_then_served()
    {
        await AdminAsync("""
            create view api.catalog_late_view as select 'late'::text as word;
            grant select on api.catalog_late_view to anon;
            """);

        using (var before = await api.Anon().GetAsync("/catalog_late_view"))
        {
            await AssertErrorAsync(before, 404, "PGRST205");
        }

        await api.ReloadCatalogAsync("/catalog_late_view");

        using var after = await api.Anon().GetAsync("/catalog_late_view");
        await AssertJsonEqualAsync(after, """[{"word": "late"}]""");
    }

    [Fact]
    public async Task Function_created_after_start_up_is_404_until_a_reload_then_callable()
    {
        await AdminAsync("""
            create function api.catalog_late_function(n integer) returns integer language sql immutable as $$ select n * 10 $$;
            grant execute on function api.catalog_late_function(integer) to anon;
            """);

        using (var before = await api.Anon().GetAsync("/rpc/catalog_late_function?n=4"))
        {
            await AssertErrorAsync(before, 404, "PGRST202");
        }

        await api.ReloadCatalogAsync("/rpc/catalog_late_function?n=4");

        using var after = await api.Anon().GetAsync("/rpc/catalog_late_function?n=4");
        await AssertJsonEqualAsync(after, "40");
    }

    [Fact]
    public async Task Function_dropped_after_start_up_is_404_after_a_reload()
    {
        await AdminAsync("""
            create function api.catalog_doomed() returns integer language sql immutable as $$ select 1 $$;
            grant execute on function api.catalog_doomed() to anon;
            """);
        await api.ReloadCatalogAsync("/rpc/catalog_doomed");

        await AdminAsync("drop function api.catalog_doomed(); notify pgrst, 'reload schema';");

        // Until the reload lands, the old snapshot still names it and PostgreSQL answers 42883 instead.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string last;
        do
        {
            await Task.Delay(50, timeout.Token);
            using var response = await api.Anon().GetAsync("/rpc/catalog_doomed", timeout.Token);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}";
        }
        while (!last.Contains("\"PGRST202\"", StringComparison.Ordinal));

        Assert.StartsWith("404 ", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_keep_being_served_while_the_catalog_reloads()
    {
        using var stop = new CancellationTokenSource();
        var notifier = Task.Run(async () =>
        {
            await using var admin = await api.OpenAdminAsync();
            var sent = 0;
            while (!stop.IsCancellationRequested || sent < 20)
            {
                await admin.ExecuteAsync("notify pgrst, 'reload schema'");
                sent++;
            }

            return sent;
        });

        var failures = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            var calls = Enumerable.Range(0, 20).Select(async i =>
            {
                using var response = await api.Anon().GetAsync($"/rpc/add?a={i}&b=1");
                var text = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.OK && text == (i + 1).ToString(CultureInfo.InvariantCulture)
                    ? null
                    : $"{(int)response.StatusCode} {text}";
            });
            failures.AddRange((await Task.WhenAll(calls)).OfType<string>());
        }

        await stop.CancelAsync();
        Assert.True(await notifier >= 20);
        Assert.Empty(failures);
    }

    private async Task AdminAsync(string sql)
    {
        await using var admin = await api.OpenAdminAsync();
        await admin.ExecuteAsync(sql);
    }
}
