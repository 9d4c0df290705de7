using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// A function that leaves session state behind (<c>set_config(..., false)</c>, <c>SET SESSION</c>) on its pooled
/// connection: the next request on that connection, another caller's, sees its own role and claims, never the
/// leftovers; with the default pool reset it sees no leftover at all. The pool has two connections, one of them the
/// catalog listener's, so every request below runs on the same connection.
/// </summary>
public sealed class SessionStateTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Fixture = """
        create function api.leave_session_state() returns void language plpgsql volatile as $$
        begin
          perform set_config('request.jwt.claims', '{"role":"leaked","sub":"leaked"}', false);
          perform set_config('request.method', 'LEAKED', false);
          perform set_config('app.secret_of_the_last_caller', 'leaked', false);
          perform set_config('statement_timeout', '4321', false);
          set session role authenticated;
        end $$;
        comment on function api.leave_session_state() is 'Session state tests: a careless function that sets session-level state.';
        grant execute on function api.leave_session_state() to anon, authenticated;

        create function api.session_seen() returns json language sql stable as $$
          select json_build_object(
            'role', current_user,
            'claims', current_setting('request.jwt.claims', true),
            'method', current_setting('request.method', true),
            'secret', current_setting('app.secret_of_the_last_caller', true),
            'statement_timeout', current_setting('statement_timeout'))
        $$;
        comment on function api.session_seen() is 'Session state tests: what a request sees of its session.';
        grant execute on function api.session_seen() to anon, authenticated;

        create view api.session_probe as select 1 as one;
        comment on view api.session_probe is 'Session state tests: the objects above exist.';
        grant select on api.session_probe to anon;
        """;

    [Fact]
    public async Task With_the_default_pool_reset_nothing_a_function_leaves_in_the_session_reaches_the_next_request()
    {
        var seen = await SeenAfterLeftoversAsync("");

        Assert.Equal("anon", (string?)seen["role"]);
        Assert.DoesNotContain("leaked", (string?)seen["claims"] ?? "", StringComparison.Ordinal);
        Assert.Equal("GET", (string?)seen["method"]);
        Assert.True(string.IsNullOrEmpty((string?)seen["secret"]), $"a session setting leaked: {seen}");
        Assert.NotEqual("4321ms", (string?)seen["statement_timeout"]);
    }

    [Fact]
    public async Task Without_the_pool_reset_the_next_request_still_runs_as_its_own_role_with_its_own_claims()
    {
        var seen = await SeenAfterLeftoversAsync(";No Reset On Close=true");

        // The session did keep what the function left (so this ran on that connection), as the README warns ...
        Assert.Equal("leaked", (string?)seen["secret"]);
        // ... but every request sets these for its own transaction, whatever the session holds.
        Assert.Equal("anon", (string?)seen["role"]);
        Assert.DoesNotContain("leaked", (string?)seen["claims"] ?? "", StringComparison.Ordinal);
        Assert.Equal("GET", (string?)seen["method"]);
    }

    // An authenticated caller leaves state behind; then an anonymous caller asks, on the same connection.
    private async Task<JsonNode> SeenAfterLeftoversAsync(string connectionOptions)
    {
        await api.EnsureObjectsAsync("api.session_probe", Fixture, "/session_probe");
        await using var gateway = Gateways.With(api, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = api.AuthenticatorConnectionString + ";Maximum Pool Size=2" + connectionOptions,
        });
        await Gateways.ReadyClientAsync(gateway);
        var authenticated = gateway.CreateClient();
        authenticated.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(await api.CreateAccountAsync($"{Guid.NewGuid():N}@example.com")));

        using (var leave = await authenticated.PostAsync("/rpc/leave_session_state", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, leave.StatusCode);
        }

        using var seen = await gateway.CreateClient().GetAsync("/rpc/session_seen");
        var body = await seen.Content.ReadAsStringAsync();
        Assert.True(seen.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }
}
