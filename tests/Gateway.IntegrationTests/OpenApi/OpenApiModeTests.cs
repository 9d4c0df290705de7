using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Gateway.IntegrationTests.Auth;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static Gateway.IntegrationTests.OpenApi.OpenApiHttp;

namespace Gateway.IntegrationTests.OpenApi;

/// <summary>
/// <c>Gateway:OpenApi:Mode</c> (PostgREST's <c>openapi-mode</c>), and roles other than anon and authenticated: any
/// role the authenticator may switch to gets the document of its own privileges.
/// </summary>
public sealed class OpenApiModeTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task IgnorePrivileges_lists_everything_for_anon()
    {
        await using var factory = Gateway(("Gateway:OpenApi:Mode", "IgnorePrivileges"));

        var paths = Paths(await (await ReadyClientAsync(factory)).GetDocumentAsync());

        Assert.Superset(new SortedSet<string> { "/hello_world", "/hello_secure", "/todos", "/rpc/me", "/rpc/login" }, paths);
    }

    [Fact]
    public async Task Disabled_answers_404_for_the_document_and_serves_no_UI()
    {
        await using var factory = Gateway(("Gateway:OpenApi:Mode", "Disabled"));
        var client = await ReadyClientAsync(factory);

        using var document = await client.GetAsync("/openapi.json");
        using var root = await client.GetAsync("/");
        using var docs = await client.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.NotFound, document.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Contains("PGRST125", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_role_the_authenticator_may_switch_to_gets_its_own_document()
    {
        await using (var admin = await database.OpenAdminAsync())
        {
            // Roles are cluster-wide: create it once, grant it in this database.
            await admin.ExecuteAsync("""
                do $$
                begin
                  if not exists (select from pg_roles where rolname = 'openapi_reader') then
                    create role openapi_reader nologin;
                  end if;
                end
                $$;
                grant openapi_reader to authenticator;
                grant usage on schema api to openapi_reader;
                grant select on api.hello_secure to openapi_reader;
                """);
        }

        try
        {
            await using var factory = Gateway(("Gateway:Jwt:AllowedRoles:0", "authenticated"), ("Gateway:Jwt:AllowedRoles:1", "openapi_reader"));
            var client = await ReadyClientAsync(factory);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Jwt.Mint(database.JwtSecret, new Dictionary<string, object>
            {
                ["sub"] = "1",
                ["role"] = "openapi_reader",
                ["token_use"] = "access",
                ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            }));

            var document = await client.GetDocumentAsync();

            Assert.Equal(["/hello_secure"], Paths(document));
            Assert.Equal(["get"], Methods(document, "/hello_secure"));
        }
        finally
        {
            await using var admin = await database.OpenAdminAsync();
            await admin.ExecuteAsync("revoke openapi_reader from authenticator");
        }
    }

    private WebApplicationFactory<Program> Gateway(params (string Key, string Value)[] settings) =>
        new GatewayFactory(database).WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private static async Task<HttpClient> ReadyClientAsync(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);
        return client;
    }
}
