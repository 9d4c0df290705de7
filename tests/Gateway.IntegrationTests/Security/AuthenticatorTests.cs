using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The gateway's login on its own, before it switches role: it reads nothing and calls nothing, and the only
/// roles it can become are anon and authenticated.
/// </summary>
public sealed class AuthenticatorTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    public static TheoryData<string> ApplicationSchemas() =>
        new("api", "internal", "queues", "comms", "accounts", "auth", "demo", "extensions");

    public static TheoryData<string> ApiViews() => new("api.hello_world", "api.hello_secure", "api.todos");

    public static TheoryData<string> ApiFunctionCalls() => new(
        "select api.signup('correct horse battery', 'authenticator@example.com')",
        "select api.login('authenticator@example.com', 'correct horse battery')",
        "select api.refresh_tokens('not-a-token')",
        "select api.me()",
        "select api.hello_world_email('someone@example.com')");

    [Theory]
    [MemberData(nameof(ApplicationSchemas))]
    public async Task Authenticator_has_no_usage_on_any_application_schema(string schema)
    {
        await using var admin = await database.OpenAdminAsync();
        await using var session = await CallerSession.BeginAsync(database, Callers.Authenticator);

        var usage = await admin.ExecuteScalarAsync<bool>(
            "select has_schema_privilege('authenticator', @schema, 'usage')", new { schema });
        var error = await session.RefusedAsync($"select from {schema}.no_such_relation");

        Assert.False(usage, $"authenticator has USAGE on schema {schema}");
        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains($"schema {schema}", error.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ApiViews))]
    public async Task Authenticator_cannot_read_api_views(string view)
    {
        await using var session = await CallerSession.BeginAsync(database, Callers.Authenticator);

        var error = await session.RefusedAsync($"select * from {view}");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Theory]
    [MemberData(nameof(ApiFunctionCalls))]
    public async Task Authenticator_cannot_execute_api_functions(string call)
    {
        await using var session = await CallerSession.BeginAsync(database, Callers.Authenticator);

        var error = await session.RefusedAsync(call);

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Theory]
    [InlineData("anon")]
    [InlineData("authenticated")]
    public async Task Authenticator_can_switch_to(string role)
    {
        await using var session = await CallerSession.BeginAsync(database, Callers.Authenticator);

        await session.ExecuteAsync("select set_config('role', @role, true)", new { role });

        Assert.Equal(role, await session.ScalarAsync<string>("select current_user"));
    }

    [Theory]
    [InlineData("worker_service_user")]
    [InlineData("gateway_owner")]
    [InlineData("postgres")]
    public async Task Authenticator_cannot_switch_to(string role)
    {
        await using var session = await CallerSession.BeginAsync(database, Callers.Authenticator);

        var error = await session.RefusedAsync("select set_config('role', @role, true)", new { role });

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains($"permission denied to set role \"{role}\"", error.MessageText, StringComparison.Ordinal);
        Assert.Equal("authenticator", await session.ScalarAsync<string>("select current_user"));
    }
}
