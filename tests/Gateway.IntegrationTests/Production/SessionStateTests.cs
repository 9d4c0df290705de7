using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// A function that leaves session state behind (<c>set_config(..., false)</c>, <c>SET SESSION</c>, a session advisory
/// lock, a <c>LISTEN</c>, a sequence's <c>lastval()</c>) on its pooled connection: the next request on that
/// connection, another caller's, sees its own role and claims and none of the leftovers, whether the pool resets the
/// connection (<c>No Reset On Close=false</c>) or the gateway's own reset at the start of each transaction does
/// (<c>Gateway:SessionReset=true</c>); by default neither does, the leftovers stay, and the role, claims and request
/// settings still do not leak. The pool has two connections, one of them the catalog listener's, so every request
/// below runs on the same connection.
/// </summary>
public sealed class SessionStateTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Fixture = """
        create sequence api.session_sequence;
        grant usage on sequence api.session_sequence to anon, authenticated;

        create function api.leave_session_state() returns int language plpgsql volatile as $$
        begin
          perform set_config('request.jwt.claims', '{"role":"leaked","sub":"leaked"}', false);
          perform set_config('request.method', 'LEAKED', false);
          perform set_config('app.secret_of_the_last_caller', 'leaked', false);
          perform set_config('statement_timeout', '4321', false);
          perform pg_advisory_lock(4242);
          perform nextval('api.session_sequence');
          listen leaked_channel;
          set session role authenticated;
          return pg_backend_pid();
        end $$;
        comment on function api.leave_session_state() is 'Session state tests: a careless function that sets session-level state.';
        grant execute on function api.leave_session_state() to anon, authenticated;

        create function api.session_seen() returns json language plpgsql stable as $$
        declare
          last bigint;
        begin
          begin
            last := lastval();
          exception when object_not_in_prerequisite_state then
            last := null;
          end;
          return json_build_object(
            'role', current_user,
            'claims', current_setting('request.jwt.claims', true),
            'method', current_setting('request.method', true),
            'secret', current_setting('app.secret_of_the_last_caller', true),
            'statement_timeout', current_setting('statement_timeout'),
            'advisory_locks', (select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()),
            'listening', (select count(*) from pg_listening_channels()),
            'lastval', last,
            'backend', pg_backend_pid());
        end $$;
        comment on function api.session_seen() is 'Session state tests: what a request sees of its session.';
        grant execute on function api.session_seen() to anon, authenticated;

        create view api.session_probe as select 1 as one;
        comment on view api.session_probe is 'Session state tests: the objects above exist.';
        grant select on api.session_probe to anon;
        """;

    [Theory]
    [InlineData("", "true")]
    [InlineData(";No Reset On Close=false", "true")]
    [InlineData(";No Reset On Close=true", "true")]
    [InlineData(";No Reset On Close=false", null)]
    public async Task With_a_session_reset_nothing_a_function_leaves_in_the_session_reaches_the_next_request(string connectionOptions, string? sessionReset)
    {
        var seen = await SeenAfterLeftoversAsync(connectionOptions, sessionReset);

        Assert.Equal("anon", (string?)seen["role"]);
        Assert.DoesNotContain("leaked", (string?)seen["claims"] ?? "", StringComparison.Ordinal);
        Assert.Equal("GET", (string?)seen["method"]);
        Assert.True(string.IsNullOrEmpty((string?)seen["secret"]), $"a session setting leaked: {seen}");
        Assert.NotEqual("4321ms", (string?)seen["statement_timeout"]);
        Assert.Equal(0, (int?)seen["advisory_locks"]);
        Assert.Null(seen["lastval"]);
        // UNLISTEN, like LISTEN, takes effect when its transaction commits: the leftover LISTEN is gone by the next one.
        Assert.Equal(0, (int?)seen["listening_after_commit"]);
    }

    /// <summary>
    /// By default (<c>Gateway:SessionReset</c> off, the pool not resetting either) the leftovers stay on the session, as
    /// PostgREST leaves them, but what every transaction sets for itself still cannot leak: the next caller runs as its
    /// own role (the function's <c>SET SESSION ROLE</c> notwithstanding) with its own claims and request settings, and
    /// holds none of the session advisory locks (released by the settings statement itself, whatever the option).
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public async Task Without_a_session_reset_a_function_s_leftovers_stay_but_never_the_role_claims_or_request_settings(string? sessionReset)
    {
        var seen = await SeenAfterLeftoversAsync("", sessionReset);

        Assert.Equal("anon", (string?)seen["role"]);
        Assert.DoesNotContain("leaked", (string?)seen["claims"] ?? "", StringComparison.Ordinal);
        Assert.Equal("GET", (string?)seen["method"]);
        Assert.Equal(0, (int?)seen["advisory_locks"]);
        Assert.Equal("leaked", (string?)seen["secret"]);
        Assert.Equal(1, (int?)seen["listening_after_commit"]);
    }

    // An authenticated caller leaves state behind; then an anonymous caller asks, on the same connection.
    private async Task<JsonNode> SeenAfterLeftoversAsync(string connectionOptions, string? sessionReset)
    {
        await api.EnsureObjectsAsync("api.session_probe", Fixture, "/session_probe");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = api.AuthenticatorConnectionString + ";Maximum Pool Size=2" + connectionOptions,
        };
        if (sessionReset is not null)
        {
            settings["Gateway:SessionReset"] = sessionReset;
        }

        await using var gateway = Gateways.With(api, settings);
        await Gateways.ReadyClientAsync(gateway);
        var authenticated = gateway.CreateClient();
        authenticated.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(await api.CreateAccountAsync($"{Guid.NewGuid():N}@example.com")));

        string leftBy;
        using (var leave = await authenticated.PostAsync("/rpc/leave_session_state", null))
        {
            leftBy = await leave.Content.ReadAsStringAsync();
            Assert.True(leave.IsSuccessStatusCode, leftBy);
        }

        using var seen = await gateway.CreateClient().GetAsync("/rpc/session_seen");
        var body = await seen.Content.ReadAsStringAsync();
        Assert.True(seen.IsSuccessStatusCode, body);
        var found = JsonNode.Parse(body)!;
        // The same PostgreSQL session, so whatever was left there, the next request met it.
        Assert.Equal(int.Parse(leftBy, System.Globalization.CultureInfo.InvariantCulture), (int?)found["backend"]);

        using var again = await gateway.CreateClient().GetAsync("/rpc/session_seen");
        var later = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal((int?)found["backend"], (int?)later["backend"]);
        found["listening_after_commit"] = (int?)later["listening"];
        return found;
    }
}
