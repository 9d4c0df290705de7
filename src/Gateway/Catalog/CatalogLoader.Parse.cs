using System.Text.Json;
using Npgsql;

namespace Gateway.Catalog;

/// <summary>The catalog query's JSON document turned into a <see cref="CatalogSnapshot"/> (no database here, so it is unit-testable).</summary>
internal sealed partial class CatalogLoader
{
    internal static CatalogSnapshot Parse(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        var sources = Array(root, "column_sources", s => new ColumnSource(
            s.GetProperty("relation").GetString()!, s.GetProperty("column").GetString()!,
            s.GetProperty("table").GetString()!, s.GetProperty("table_column").GetString()!));
        var keys = RelationshipFinder.PrimaryKeys(
            sources,
            Array(root, "primary_keys", k => (Table: k.GetProperty("table").GetString()!, Columns: Names(k.GetProperty("columns"))))
                .ToDictionary(k => k.Table, k => (IReadOnlyList<string>)k.Columns, StringComparer.Ordinal));

        var relationsJson = root.GetProperty("relations").EnumerateArray().ToList();
        var relations = relationsJson
            .Select(r => ParseRelation(schema, r) with { PrimaryKey = keys.GetValueOrDefault(r.GetProperty("name").GetString()!) ?? [] })
            .ToDictionary(r => r.Name, StringComparer.Ordinal);

        var routinesJson = root.GetProperty("routines").EnumerateArray().Select(p => (Json: p, Routine: ParseRoutine(schema, p))).ToList();
        var routines = routinesJson
            .GroupBy(p => p.Routine.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Routine>)g.Select(p => p.Routine).ToList(), StringComparer.Ordinal);

        var roleSettings = root.GetProperty("role_settings").EnumerateArray()
            .GroupBy(s => s.GetProperty("role").GetString()!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<RoleSetting>)g.Select(s => new RoleSetting(s.GetProperty("name").GetString()!, s.GetProperty("value").GetString()!)).ToList(),
                StringComparer.Ordinal);

        var rowTypes = relationsJson
            .Where(r => r.TryGetProperty("type", out _))
            .ToDictionary(r => r.GetProperty("type").GetString()!, r => r.GetProperty("name").GetString()!, StringComparer.Ordinal);
        var relationships = RelationshipFinder.Find(
            sources,
            Array(root, "foreign_keys", k => new TableForeignKey(
                k.GetProperty("constraint").GetString()!,
                k.GetProperty("table").GetString()!, Names(k.GetProperty("columns")),
                k.GetProperty("foreign_table").GetString()!, Names(k.GetProperty("foreign_columns")),
                k.GetProperty("one_to_one").GetBoolean(),
                k.TryGetProperty("of_private_junction", out var junction) && junction.GetBoolean())),
            keys,
            rowTypes,
            // One row: not setof, or setof declared ROWS 1 (PostgREST's rule).
            routinesJson.Select(p => (p.Routine, !p.Routine.ReturnsSet || (p.Json.TryGetProperty("rows", out var rows) && rows.GetDouble() == 1))));

        relations = ComputedFields.Attach(relations, rowTypes, routinesJson.Select(p => p.Routine));

        return new CatalogSnapshot(schema, relations, routines, roleSettings, DateTimeOffset.UtcNow)
        {
            Comment = root.TryGetProperty("schema_comment", out var comment) ? comment.GetString() : null,
            Postgis = root.TryGetProperty("postgis", out var postgis) && postgis.ValueKind == JsonValueKind.Object
                ? new Postgis(postgis.GetProperty("schema").GetString()!, Names(postgis.GetProperty("types")))
                : null,
            Relationships = relationships,
        };
    }

    private static Relation ParseRelation(string schema, JsonElement r) => new(
        schema,
        r.GetProperty("name").GetString()!,
        r.GetProperty("kind").GetString()![0],
        ParseColumns(r.GetProperty("columns")),
        r.GetProperty("comment").GetString(),
        r.GetProperty("insertable").GetBoolean(),
        r.GetProperty("updatable").GetBoolean(),
        r.GetProperty("deletable").GetBoolean())
    {
        Grants = r.TryGetProperty("grants", out var grants) ? ParseGrants(grants) : new Dictionary<string, TablePrivileges>(),
    };

    private static Routine ParseRoutine(string schema, JsonElement p) => new(
        schema,
        p.GetProperty("name").GetString()!,
        p.GetProperty("parameters").EnumerateArray().Select(a => new RoutineParameter(
            a.GetProperty("name").GetString() ?? "",
            a.GetProperty("type").GetString()!,
            a.GetProperty("mode").GetString()![0],
            a.GetProperty("has_default").GetBoolean())).ToList(),
        p.GetProperty("return_type").GetString()!,
        p.GetProperty("return_type_kind").GetString()![0],
        p.GetProperty("returns_set").GetBoolean(),
        ParseColumns(p.GetProperty("return_columns")),
        ReturnsComposite(p),
        p.GetProperty("volatility").GetString() switch
        {
            "i" => Volatility.Immutable,
            "s" => Volatility.Stable,
            _ => Volatility.Volatile,
        },
        p.GetProperty("settings").EnumerateArray().Select(s => ParseSetting(s.GetString()!)).ToList(),
        p.GetProperty("comment").GetString())
    {
        ExecutableBy = p.TryGetProperty("executable_by", out var callers)
            ? callers.EnumerateArray().Select(g => g.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal),
        ReturnCategory = p.TryGetProperty("return_category", out var category) && category.GetString() is [var c] ? c : 'U',
    };

    // The relationship facts are optional in the document, so tests of other things can leave them out.
    private static List<T> Array<T>(JsonElement root, string name, Func<JsonElement, T> parse) =>
        root.TryGetProperty(name, out var items) ? items.EnumerateArray().Select(parse).ToList() : [];

    private static List<string> Names(JsonElement names) => names.EnumerateArray().Select(n => n.GetString()!).ToList();

    // A composite type, a table/view row type, or any OUT/INOUT/TABLE parameter make an object result, keyed by the
    // parameters' names: PostgREST 12+ answers {"num_plus_one": 6} for a single OUT parameter, not a bare 6.
    private static bool ReturnsComposite(JsonElement routine) =>
        routine.GetProperty("return_type_kind").GetString() == "c" || routine.GetProperty("return_columns").GetArrayLength() > 0;

    private static Dictionary<string, TablePrivileges> ParseGrants(JsonElement grants) => grants.EnumerateObject()
        .ToDictionary(
            g => g.Name,
            g => (g.Value.GetProperty("select").GetBoolean() ? TablePrivileges.Select : TablePrivileges.None)
                | (g.Value.GetProperty("insert").GetBoolean() ? TablePrivileges.Insert : TablePrivileges.None)
                | (g.Value.GetProperty("update").GetBoolean() ? TablePrivileges.Update : TablePrivileges.None)
                | (g.Value.GetProperty("delete").GetBoolean() ? TablePrivileges.Delete : TablePrivileges.None),
            StringComparer.Ordinal);

    private static List<Column> ParseColumns(JsonElement columns) => columns.EnumerateArray()
        .Select(c => new Column(
            c.GetProperty("name").GetString()!,
            c.GetProperty("type").GetString()!,
            c.GetProperty("category").GetString()![0],
            c.GetProperty("nullable").GetBoolean(),
            c.GetProperty("has_default").GetBoolean(),
            c.GetProperty("comment").GetString())
        {
            DefaultExpression = c.TryGetProperty("default", out var expression) ? expression.GetString() : null,
            Identity = c.TryGetProperty("identity", out var identity) && identity.GetString() is [var kind] ? kind switch
            {
                'a' => IdentityKind.Always,
                _ => IdentityKind.ByDefault,
            } : IdentityKind.None,
        })
        .ToList();

    private static RoleSetting ParseSetting(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        return new RoleSetting(assignment[..equals], assignment[(equals + 1)..]);
    }
}
