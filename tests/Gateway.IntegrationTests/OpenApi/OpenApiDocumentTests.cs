using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.OpenApi.OpenApiHttp;

namespace Gateway.IntegrationTests.OpenApi;

/// <summary>
/// The OpenAPI 3 document (issue 5; PostgREST's root endpoint, contract §5, without its complaints): valid OpenAPI
/// 3.0, listing exactly what the caller's role may use, with column types as JSON Schema and typed function
/// results; served at /openapi.json and at / , with Swagger UI at /docs, and rebuilt after a catalog reload.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Anon_document_is_valid_OpenAPI_3()
    {
        var (document, problems) = Read(await api.Anon().GetDocumentTextAsync());

        Assert.Empty(problems);
        Assert.NotEmpty(document.Paths);
    }

    [Fact]
    public async Task Authenticated_document_is_valid_OpenAPI_3()
    {
        var account = await api.CreateAccountAsync("openapi-valid@example.com");

        var (document, problems) = Read(await api.As(account).GetDocumentTextAsync());

        Assert.Empty(problems);
        Assert.Contains("/todos", document.Paths.Keys);
    }

    [Fact]
    public async Task Anon_document_lists_exactly_what_anon_may_use()
    {
        var document = await api.Anon().GetDocumentAsync();

        await using var admin = await api.OpenAdminAsync();
        Assert.Equal(await PathsRoleMayUseAsync(admin, "anon"), Paths(document));
        Assert.Superset(new SortedSet<string> { "/hello_world", "/rpc/signup", "/rpc/login", "/rpc/refresh_tokens", "/rpc/anon_only" }, Paths(document));
        Assert.DoesNotContain("/hello_secure", Paths(document));
        Assert.DoesNotContain("/todos", Paths(document));
        Assert.DoesNotContain("/rpc/me", Paths(document));
        Assert.DoesNotContain("/rpc/hello_world_email", Paths(document));
    }

    [Fact]
    public async Task Authenticated_document_lists_exactly_what_authenticated_may_use()
    {
        var account = await api.CreateAccountAsync("openapi-paths@example.com");

        var document = await api.As(account).GetDocumentAsync();

        await using var admin = await api.OpenAdminAsync();
        Assert.Equal(await PathsRoleMayUseAsync(admin, "authenticated"), Paths(document));
        Assert.Superset(new SortedSet<string> { "/hello_world", "/hello_secure", "/todos", "/rpc/me", "/rpc/hello_world_email", "/rpc/login" }, Paths(document));
        Assert.DoesNotContain("/rpc/anon_only", Paths(document));
    }

    [Fact]
    public async Task Write_methods_appear_only_where_the_view_and_the_role_allow_them()
    {
        var account = await api.CreateAccountAsync("openapi-methods@example.com");

        var authenticated = await api.As(account).GetDocumentAsync();
        var anon = await api.Anon().GetDocumentAsync();

        // todos has a primary key (todo_id, inferred from demo.todo), so PUT upserts one row.
        Assert.Equal(["delete", "get", "patch", "post", "put"], Methods(authenticated, "/todos"));
        Assert.Equal(["get"], Methods(authenticated, "/hello_secure"));
        // items is an updatable view, but anon holds SELECT only.
        Assert.Equal(["get"], Methods(anon, "/items"));
    }

    [Fact]
    public async Task Read_operation_has_a_filter_per_column_and_the_paging_parameters()
    {
        var document = await api.Anon().GetDocumentAsync();

        var names = Parameters(document, document["paths"]!["/items"]!["get"]!).Select(p => $"{p["in"]}:{p["name"]}").ToList();

        Assert.Superset(
            new HashSet<string> { "query:id", "query:price", "query:tags", "query:select", "query:order", "query:limit", "query:offset", "header:Range", "header:Prefer" },
            names.ToHashSet());
        var filter = document["components"]!["parameters"]!["rowFilter.items.price"]!;
        Assert.Contains("eq.5", (string?)filter["description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Column_types_map_to_JSON_Schema()
    {
        var document = await api.Anon().GetDocumentAsync();

        var items = document["components"]!["schemas"]!["items"]!;
        Assert.Equal("Fixture rows of every common type.", (string?)items["description"]);
        var columns = items["properties"]!;
        AssertType(columns["id"], "integer", "int32");
        AssertType(columns["big"], "integer", "int64");
        AssertType(columns["price"], "number", null);
        AssertType(columns["active"], "boolean", null);
        AssertType(columns["name"], "string", null);
        AssertType(columns["day"], "string", "date");
        AssertType(columns["at"], "string", "date-time");
        AssertType(columns["tags"], "array", null);
        AssertType(columns["tags"]!["items"], "string", null);
        AssertType(columns["nums"]!["items"], "integer", "int32");
        AssertType(columns["span"], "string", null);
        AssertType(columns["search"], "string", null);
        // json and jsonb hold any JSON value: no type at all.
        Assert.Null(columns["data"]!["type"]);
        Assert.Null(columns["doc"]!["type"]);
        // Columns of a view may be null.
        Assert.True((bool?)columns["id"]!["nullable"]);
    }

    [Fact]
    public async Task Function_results_are_typed_by_their_return_type()
    {
        var paths = (await api.Anon().GetDocumentAsync())["paths"]!;

        AssertType(Result(paths, "/rpc/add"), "integer", "int32");
        AssertType(Result(paths, "/rpc/greet"), "string", null);
        AssertType(Result(paths, "/rpc/numbers"), "array", null);
        AssertType(Result(paths, "/rpc/numbers")!["items"], "integer", "int32");

        var item = Result(paths, "/rpc/item")!;
        AssertType(item, "object", null);
        AssertType(item["properties"]!["price"], "number", null);
        AssertType(item["properties"]!["at"], "string", "date-time");

        var many = Result(paths, "/rpc/items_named")!;
        AssertType(many, "array", null);
        AssertType(many["items"]!["properties"]!["tags"], "array", null);

        var outs = Result(paths, "/rpc/doubled")!;
        Assert.Equal(["doubled", "tripled"], outs["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));

        Assert.Null(Result(paths, "/rpc/echo")!["type"]);
        Assert.NotNull(paths["/rpc/noop"]!["post"]!["responses"]!["204"]);
        Assert.Null(paths["/rpc/noop"]!["post"]!["responses"]!["200"]);
    }

    [Fact]
    public async Task Function_body_schema_requires_the_arguments_without_defaults()
    {
        var paths = (await api.Anon().GetDocumentAsync())["paths"]!;

        var add = BodySchema(paths, "/rpc/add");
        Assert.Equal(["a", "b"], add["required"]!.AsArray().Select(r => (string)r!).Order(StringComparer.Ordinal));
        AssertType(add["properties"]!["a"], "integer", "int32");

        var greet = BodySchema(paths, "/rpc/greet");
        Assert.Null(greet["required"]);
        AssertType(greet["properties"]!["name"], "string", null);

        var raise = BodySchema(paths, "/rpc/raise_pgrst");
        Assert.Equal(["message"], raise["required"]!.AsArray().Select(r => (string)r!));
    }

    [Fact]
    public async Task GET_is_listed_only_for_stable_and_immutable_functions()
    {
        var document = await api.Anon().GetDocumentAsync();

        Assert.Equal(["get", "post"], Methods(document, "/rpc/add"));
        Assert.Equal(["get", "post"], Methods(document, "/rpc/items_named"));
        Assert.Equal(["post"], Methods(document, "/rpc/bump"));
        Assert.Equal(["post"], Methods(document, "/rpc/noop"));
        var get = document["paths"]!["/rpc/add"]!["get"]!;
        var a = Parameters(document, get).Single(p => (string?)p["name"] == "a");
        Assert.Equal("query", (string?)a["in"]);
        Assert.True((bool?)a["required"]);
    }

    [Fact]
    public async Task Comments_become_descriptions()
    {
        var account = await api.CreateAccountAsync("openapi-comments@example.com");

        var document = await api.As(account).GetDocumentAsync();

        Assert.Equal("The only schema exposed over HTTP: views and functions for anon and authenticated.", (string?)document["info"]!["description"]);
        Assert.StartsWith("For authenticated only", (string?)document["components"]!["schemas"]!["hello_secure"]!["description"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)document["paths"]!["/rpc/login"]!["post"]!["description"]));
    }

    [Fact]
    public async Task Document_declares_an_optional_bearer_JWT_scheme()
    {
        var document = await api.Anon().GetDocumentAsync();

        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", (string?)scheme["type"]);
        Assert.Equal("bearer", (string?)scheme["scheme"]);
        Assert.Equal("JWT", (string?)scheme["bearerFormat"]);
        var security = document["security"]!.AsArray();
        Assert.Contains(security, s => s!["bearer"] is not null);
        Assert.Contains(security, s => s!.AsObject().Count == 0);
    }

    [Fact]
    public async Task Root_with_the_openapi_media_type_answers_the_same_document()
    {
        var client = api.Anon();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/openapi+json"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(await client.GetDocumentTextAsync(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_with_a_JSON_accept_answers_the_document_as_PostgREST_does()
    {
        var client = api.Anon();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var document = JsonNode.Parse(await client.GetDocumentTextAsync("/"))!;

        Assert.StartsWith("3.0", (string?)document["openapi"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_follows_the_callers_role()
    {
        var account = await api.CreateAccountAsync("openapi-root@example.com");

        var document = JsonNode.Parse(await api.As(account).GetDocumentTextAsync("/"))!;

        Assert.Contains("/todos", Paths(document));
    }

    [Fact]
    public async Task Document_varies_by_Authorization()
    {
        using var response = await api.Anon().GetAsync("/openapi.json");

        Assert.Contains("Authorization", response.Headers.Vary);
    }

    [Fact]
    public async Task Document_with_a_bad_token_is_401()
    {
        var client = api.Anon();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");

        using var response = await client.GetAsync("/openapi.json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Docs_serves_Swagger_UI_pointing_at_the_document()
    {
        var client = api.Anon();

        using var page = await client.GetAsync("/docs");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", html, StringComparison.Ordinal);
        using var config = await client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, "index.js"));
        Assert.Contains("openapi.json", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_changes_after_a_catalog_reload_that_adds_a_view()
    {
        Assert.DoesNotContain("/openapi_late_view", Paths(await api.Anon().GetDocumentAsync()));
        await using (var admin = await api.OpenAdminAsync())
        {
            await admin.ExecuteAsync("""
                create view api.openapi_late_view as select 1::bigint as n;
                comment on view api.openapi_late_view is 'Added after start-up.';
                grant select on api.openapi_late_view to anon;
                """);
        }

        await api.ReloadCatalogAsync("/openapi_late_view");

        var document = await api.Anon().GetDocumentAsync();
        Assert.Contains("/openapi_late_view", Paths(document));
        AssertType(document["components"]!["schemas"]!["openapi_late_view"]!["properties"]!["n"], "integer", "int64");
    }

    private static void AssertType(JsonNode? schema, string type, string? format)
    {
        Assert.NotNull(schema);
        Assert.True(type == (string?)schema["type"], $"expected type {type}: {schema.ToJsonString()}");
        Assert.True(format == (string?)schema["format"], $"expected format {format ?? "none"}: {schema.ToJsonString()}");
    }

    private static JsonNode? Result(JsonNode paths, string path) =>
        paths[path]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"];

    private static JsonNode BodySchema(JsonNode paths, string path) =>
        paths[path]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;

    /// <summary>An operation's parameters with <c>$ref</c>s to components resolved.</summary>
    private static IEnumerable<JsonNode> Parameters(JsonNode document, JsonNode operation) =>
        operation["parameters"]!.AsArray().Select(p => (string?)p!["$ref"] is { } reference
            ? document["components"]!["parameters"]![reference["#/components/parameters/".Length..]]!
            : p!);
}
