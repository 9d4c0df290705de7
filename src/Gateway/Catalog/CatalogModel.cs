namespace Gateway.Catalog;

/// <summary>
/// An immutable picture of the exposed schema: its views (and tables), their columns, its functions with
/// their parameters and result shapes, and the settings of the roles requests switch to. Loaded at start-up
/// and swapped whole on <c>NOTIFY pgrst, 'reload schema'</c>; requests never query the catalog themselves.
/// </summary>
internal sealed record CatalogSnapshot(
    string Schema,
    IReadOnlyDictionary<string, Relation> Relations,
    IReadOnlyDictionary<string, IReadOnlyList<Routine>> Routines,
    IReadOnlyDictionary<string, IReadOnlyList<RoleSetting>> RoleSettings,
    DateTimeOffset LoadedAt)
{
    /// <summary>The schema's <c>COMMENT</c> (the OpenAPI document's description).</summary>
    public string? Comment { get; init; }

    public Relation? FindRelation(string name) => Relations.GetValueOrDefault(name);

    public IReadOnlyList<Routine> FindRoutines(string name) => Routines.GetValueOrDefault(name) ?? [];

    public IReadOnlyList<RoleSetting> SettingsOf(string role) => RoleSettings.GetValueOrDefault(role) ?? [];
}

/// <summary>A view or table of the exposed schema.</summary>
internal sealed record Relation(
    string Schema,
    string Name,
    char Kind,
    IReadOnlyList<Column> Columns,
    string? Comment,
    bool Insertable,
    bool Updatable,
    bool Deletable)
{
    private readonly Dictionary<string, Column> byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The primary key's columns (inferred for views from their base table), empty when unknown.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>
    /// What each role the authenticator may switch to can do with it: table privileges, given USAGE on the schema.
    /// A role missing here can do nothing.
    /// </summary>
    public IReadOnlyDictionary<string, TablePrivileges> Grants { get; init; } = new Dictionary<string, TablePrivileges>();

    public Column? FindColumn(string name) => byName.GetValueOrDefault(name);

    /// <summary>The columns by name, built once with the snapshot (the SQL stage looks every name up here).</summary>
    public IReadOnlyDictionary<string, Column> ColumnsByName => byName;

    public TablePrivileges PrivilegesOf(string role) => Grants.GetValueOrDefault(role);
}

/// <summary>One role's table privileges on a relation, as <c>has_table_privilege</c> reports them.</summary>
[Flags]
internal enum TablePrivileges
{
    None = 0,
    Select = 1,
    Insert = 2,
    Update = 4,
    Delete = 8,
}

/// <summary>A column, with its SQL type as <c>format_type</c> spells it and the type's category.</summary>
internal sealed record Column(string Name, string Type, char TypeCategory, bool Nullable, bool HasDefault, string? Comment)
{
    /// <summary>The default as SQL (<c>pg_get_expr</c>; a view's own or its base table's), null when none.</summary>
    public string? DefaultExpression { get; init; }

    /// <summary>Whether <c>-&gt;</c> on this column must go through <c>to_jsonb</c> first (composite or array).</summary>
    public bool IsJson => Type is "json" or "jsonb";

    public bool IsTsVector => Type == "tsvector";
}

/// <summary>A function of the exposed schema, one overload.</summary>
internal sealed record Routine(
    string Schema,
    string Name,
    IReadOnlyList<RoutineParameter> Parameters,
    string ReturnType,
    char ReturnTypeKind,
    bool ReturnsSet,
    IReadOnlyList<Column> ReturnColumns,
    bool ReturnsComposite,
    Volatility Volatility,
    IReadOnlyList<RoleSetting> Settings,
    string? Comment)
{
    /// <summary>The roles the authenticator may switch to that have EXECUTE on it, given USAGE on the schema.</summary>
    public IReadOnlySet<string> ExecutableBy { get; init; } = new HashSet<string>();

    public bool ReturnsVoid => ReturnType == "void";

    public bool IsExecutableBy(string role) => ExecutableBy.Contains(role);

    /// <summary>Input parameters only (IN, INOUT, VARIADIC), in declaration order.</summary>
    public IReadOnlyList<RoutineParameter> Inputs { get; } = Parameters.Where(p => p.IsInput).ToList();

    /// <summary>One unnamed json/jsonb parameter: the whole request body is the argument.</summary>
    public bool TakesWholeBody => Inputs is [{ Name: "", Type: "json" or "jsonb" }];

    /// <summary>
    /// The columns a call's result can be selected, filtered and ordered by, built once with the snapshot: the
    /// composite's (or OUT parameters'), else the one <c>pgrst_scalar</c> column the SQL stage names a scalar.
    /// </summary>
    public IReadOnlyDictionary<string, Column> ResultColumns { get; } = ReturnsComposite
        ? ReturnColumns.ToDictionary(c => c.Name, StringComparer.Ordinal)
        : new Dictionary<string, Column>(StringComparer.Ordinal) { ["pgrst_scalar"] = new("pgrst_scalar", ReturnType, 'X', true, false, null) };
}

internal sealed record RoutineParameter(string Name, string Type, char Mode, bool HasDefault)
{
    public bool IsInput => Mode is 'i' or 'b' or 'v';

    public bool IsVariadic => Mode == 'v';
}

internal sealed record RoleSetting(string Name, string Value);

internal enum Volatility
{
    Immutable,
    Stable,
    Volatile,
}
