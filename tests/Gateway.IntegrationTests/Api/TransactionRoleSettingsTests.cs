using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// An <see cref="ApiFixture"/> where <c>anon</c> has <c>statement_timeout = '100ms'</c> set with <c>ALTER ROLE ... IN
/// DATABASE</c> (this test database only, so other classes' gateways never see it), loaded by a catalog reload.
/// </summary>
public sealed class AnonStatementTimeoutFixture : IAsyncLifetime
{
    public ApiFixture Api { get; } = new();

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        await using (var admin = await Api.OpenAdminAsync())
        {
            await admin.ExecuteAsync($"""
                alter role anon in database "{Api.DatabaseName}" set statement_timeout = '100ms';
                create view api.role_settings_probe as select 1 as one;
                grant select on api.role_settings_probe to anon, authenticated;
                """);
        }

        // The role settings and the probe view are read by the same catalog query, so once the view is served
        // the setting is loaded too.
        await Api.ReloadCatalogAsync("/role_settings_probe");
    }

    public async Task DisposeAsync()
    {
        await using (var admin = await Api.OpenAdminAsync())
        {
            await admin.ExecuteAsync($"""alter role anon in database "{Api.DatabaseName}" reset statement_timeout""");
        }

        await Api.DisposeAsync();
    }
}

/// <summary>
/// The requesting role's own <c>ALTER ROLE ... SET</c> settings apply to its requests (contract §2: <c>SET ROLE</c>
/// alone would not apply them), and only to its requests.
/// </summary>
public sealed class TransactionRoleSettingsTests(AnonStatementTimeoutFixture fixture) : IClassFixture<AnonStatementTimeoutFixture>
{
    private ApiFixture Api => fixture.Api;

    [Fact]
    public async Task Anon_statement_timeout_cancels_a_slow_call_with_a_5xx_57014_that_hides_internals()
    {
        using var response = await Api.Anon().PostJsonAsync("/rpc/sleep", """{"seconds": 1}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.InRange((int)response.StatusCode, 500, 599);
        var error = ParseError(text);
        Assert.Equal("57014", error.Code);
        Assert.Equal("PostgREST; error=57014", Header(response, "Proxy-Status"));
        Assert.DoesNotContain("pg_sleep", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("select", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Npgsql", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anon_statement_timeout_does_not_stop_a_fast_call()
    {
        using var response = await Api.Anon().PostJsonAsync("/rpc/sleep", """{"seconds": 0}""");

        Assert.Equal(204, (int)response.StatusCode);
    }

    [Fact]
    public async Task Authenticated_is_not_affected_by_the_anon_statement_timeout()
    {
        using var response = await Api.As(1).PostJsonAsync("/rpc/sleep", """{"seconds": 0.3}""");

        Assert.True(204 == (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_anon_statement_timeout_does_not_leak_to_the_next_authenticated_request_on_a_pooled_connection()
    {
        // One after another, so the authenticated call most likely gets the connection the anon call used.
        using var anon = await Api.Anon().PostJsonAsync("/rpc/sleep", """{"seconds": 1}""");
        using var authenticated = await Api.As(1).PostJsonAsync("/rpc/sleep", """{"seconds": 0.3}""");

        Assert.InRange((int)anon.StatusCode, 500, 599);
        Assert.True(204 == (int)authenticated.StatusCode, await authenticated.Content.ReadAsStringAsync());
    }
}
