using System.Text.Json.Nodes;
using Dapper;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Npgsql;

namespace Gateway.IntegrationTests.OpenApi;

/// <summary>Reads the OpenAPI document as a client would, and what a role may use as PostgreSQL itself says.</summary>
internal static class OpenApiHttp
{
    public const string ContentType = "application/openapi+json; charset=utf-8";

    /// <summary>GET /openapi.json: asserts 200 and the content type, returns the raw text.</summary>
    public static async Task<string> GetDocumentTextAsync(this HttpClient client, string path = "/openapi.json")
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.ToString());
        return text;
    }

    public static async Task<JsonNode> GetDocumentAsync(this HttpClient client) => JsonNode.Parse(await client.GetDocumentTextAsync())!;

    /// <summary>The document's paths, e.g. <c>/todos</c>, <c>/rpc/login</c>.</summary>
    public static SortedSet<string> Paths(JsonNode document) =>
        new(document["paths"]!.AsObject().Select(p => p.Key), StringComparer.Ordinal);

    /// <summary>The HTTP methods of one path, lower-case.</summary>
    public static SortedSet<string> Methods(JsonNode document, string path) =>
        new(document["paths"]![path]!.AsObject().Select(p => p.Key), StringComparer.Ordinal);

    /// <summary>Reads the text with Microsoft.OpenApi's reader and validates it with the default rule set.</summary>
    public static (OpenApiDocument Document, IReadOnlyList<string> Problems) Read(string json)
    {
        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        var problems = new List<string>();
        problems.AddRange(result.Diagnostic?.Errors.Select(e => $"read: {e}") ?? []);
        Assert.NotNull(result.Document);
        problems.AddRange(result.Document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.Select(e => $"validate: {e}") ?? []);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, result.Diagnostic?.SpecificationVersion);
        return (result.Document, problems);
    }

    /// <summary>
    /// The paths <paramref name="role"/> may use in schema api, from PostgreSQL's privilege functions: each view it
    /// may select, insert into, update or delete from, and each function it may execute.
    /// </summary>
    public static async Task<SortedSet<string>> PathsRoleMayUseAsync(NpgsqlConnection admin, string role)
    {
        var paths = await admin.QueryAsync<string>("""
            select '/' || c.relname
            from pg_class c
            where c.relnamespace = 'api'::regnamespace and c.relkind in ('v', 'r', 'm', 'f', 'p')
              and has_schema_privilege(@role, 'api', 'USAGE')
              and (has_table_privilege(@role, c.oid, 'SELECT') or has_table_privilege(@role, c.oid, 'INSERT')
                   or has_table_privilege(@role, c.oid, 'UPDATE') or has_table_privilege(@role, c.oid, 'DELETE'))
            union
            select '/rpc/' || p.proname
            from pg_proc p
            where p.pronamespace = 'api'::regnamespace and p.prokind = 'f'
              and has_schema_privilege(@role, 'api', 'USAGE')
              and has_function_privilege(@role, p.oid, 'EXECUTE')
              -- Callable by name: every input named, or one unnamed json/jsonb taking the whole body.
              and (not exists (
                     select 1
                     from unnest(coalesce(p.proargnames, array_fill(''::text, array[p.pronargs])),
                                 coalesce(p.proargmodes, array_fill('i'::"char", array[p.pronargs]))) as a(name, mode)
                     where a.mode in ('i', 'b', 'v') and a.name = '')
                   or (p.pronargs = 1 and p.proargtypes[0] in ('json'::regtype, 'jsonb'::regtype)))
            """, new { role });
        return new SortedSet<string>(paths, StringComparer.Ordinal);
    }
}
