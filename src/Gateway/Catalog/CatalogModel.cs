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

    /// <summary>PostGIS, when the database has it: <c>application/geo+json</c> is answered with its functions.</summary>
    public Postgis? Postgis { get; init; }

    public Relation? FindRelation(string name) => Relations.GetValueOrDefault(name);

    public IReadOnlyList<Routine> FindRoutines(string name) => Routines.GetValueOrDefault(name) ?? [];

    /// <summary>The overloads a call can name (<see cref="Routine.IsCallable"/>): what PostgREST's schema cache holds of a function.</summary>
    public IReadOnlyList<Routine> FindCallable(string name) => Index.Callable.GetValueOrDefault(name) ?? [];

    /// <summary>
    /// The relation of the exposed schema whose row type <paramref name="typeName"/> names, as <c>format_type</c> writes
    /// it (<c>api.items</c>, <c>api."Items"</c>): what a function returning its rows returns; null for any other type.
    /// </summary>
    public Relation? FindRelationOfType(string typeName) => Index.RowTypes.GetValueOrDefault(typeName);

    public IReadOnlyList<RoleSetting> SettingsOf(string role) => RoleSettings.GetValueOrDefault(role) ?? [];

    /// <summary>The relationships by the relation they start from (<see cref="Relationship.Table"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Relationship>> Relationships { get; init; } =
        new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal);

    /// <summary>Every way to embed another relation in <paramref name="table"/>'s rows.</summary>
    public IReadOnlyList<Relationship> RelationshipsOf(string table) => Relationships.GetValueOrDefault(table) ?? [];

    // Built on first use from the relations and routines this snapshot holds (made again if a copy holds others), so
    // a call looks its overloads and result relation up instead of filtering or formatting every one on each request.
    private Lookups? lookups;

    private Lookups Index
    {
        get
        {
            var index = lookups;
            if (index is null || !ReferenceEquals(index.Relations, Relations) || !ReferenceEquals(index.Routines, Routines))
            {
                lookups = index = new Lookups(Relations, Routines);
            }

            return index;
        }
    }

    private sealed class Lookups(IReadOnlyDictionary<string, Relation> relations, IReadOnlyDictionary<string, IReadOnlyList<Routine>> routines)
    {
        public IReadOnlyDictionary<string, Relation> Relations { get; } = relations;

        public IReadOnlyDictionary<string, IReadOnlyList<Routine>> Routines { get; } = routines;

        public Dictionary<string, IReadOnlyList<Routine>> Callable { get; } = routines.ToDictionary(
            r => r.Key, r => (IReadOnlyList<Routine>)[.. r.Value.Where(routine => routine.IsCallable)], StringComparer.Ordinal);

        public Dictionary<string, Relation> RowTypes { get; } = RowTypesOf(relations.Values);

        private static Dictionary<string, Relation> RowTypesOf(IEnumerable<Relation> relations)
        {
            var types = new Dictionary<string, Relation>(StringComparer.Ordinal);
            foreach (var relation in relations)
            {
                types.TryAdd(TypeName(relation.Schema) + "." + TypeName(relation.Name), relation);
            }

            return types;
        }

        // A name as format_type writes it: quoted unless it is a plain lower-case identifier.
        private static string TypeName(string name) =>
            name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '$')
                ? name
                : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
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

    /// <summary>The primary key's columns (a view's as PostgREST infers it, see <see cref="RelationshipFinder.PrimaryKeys"/>), empty when unknown.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>
    /// What each role the authenticator may switch to can do with it: table privileges, given USAGE on the schema.
    /// A role missing here can do nothing.
    /// </summary>
    public IReadOnlyDictionary<string, TablePrivileges> Grants { get; init; } = new Dictionary<string, TablePrivileges>();

    public Column? FindColumn(string name) => byName.GetValueOrDefault(name);

    /// <summary>The columns by name, built once with the snapshot (the SQL stage looks every name up here).</summary>
    public IReadOnlyDictionary<string, Column> ColumnsByName => byName;

    /// <summary>
    /// Computed fields (PostgREST's): functions of the exposed schema taking this relation's row, selectable, filterable
    /// and orderable by name like columns, but only when named (<c>*</c> leaves them out) and never written.
    /// </summary>
    public IReadOnlyList<Column> ComputedFields { get; init; } = [];

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

/// <summary>The PostGIS extension: the schema it is installed in and its spatial types as <c>format_type</c> names them.</summary>
internal sealed record Postgis(string Schema, IReadOnlyList<string> Types)
{
    /// <summary>Whether a column of <paramref name="type"/> (e.g. <c>public.geometry(Point,4326)</c>) is a geometry or geography.</summary>
    public bool IsSpatial(string type) =>
        Types.Any(spatial => type == spatial || type.StartsWith(spatial + "(", StringComparison.Ordinal));
}

/// <summary>An identity column's kind (<c>pg_attribute.attidentity</c>).</summary>
internal enum IdentityKind
{
    None,

    /// <summary><c>generated always as identity</c>: PostgreSQL refuses any value but its own.</summary>
    Always,

    /// <summary><c>generated by default as identity</c>: the next value unless one is given.</summary>
    ByDefault,
}

/// <summary>A column, with its SQL type as <c>format_type</c> spells it and the type's category.</summary>
internal sealed record Column(string Name, string Type, char TypeCategory, bool Nullable, bool HasDefault, string? Comment)
{
    /// <summary>The default as SQL (<c>pg_get_expr</c>; a view's own or its base table's), null when none.</summary>
    public string? DefaultExpression { get; init; }

    /// <summary>Whether the column (a view's: its base table column) is an identity column, and which kind.</summary>
    public IdentityKind Identity { get; init; }

    /// <summary>For a computed field, the function that computes it from the row; null for a stored column.</summary>
    public Routine? ComputedBy { get; init; }

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

    /// <summary>The return type's <c>pg_type.typcategory</c> (what OpenAPI makes of a computed field's type).</summary>
    public char ReturnCategory { get; init; } = 'U';

    public bool IsExecutableBy(string role) => ExecutableBy.Contains(role);

    /// <summary>Input parameters only (IN, INOUT, VARIADIC), in declaration order.</summary>
    public IReadOnlyList<RoutineParameter> Inputs { get; } = Parameters.Where(p => p.IsInput).ToList();

    /// <summary>One unnamed json/jsonb parameter: the whole request body is the argument.</summary>
    public bool TakesWholeBody => Inputs is [{ Name: "", Type: "json" or "jsonb" }];

    /// <summary>
    /// Whether a call can name it, so PostgREST keeps it in its schema cache: every input named, or exactly one unnamed
    /// and the first input of a type a whole body can be (bytea, json, jsonb, text, xml).
    /// </summary>
    public bool IsCallable => Inputs.Count(p => p.Name.Length == 0) switch
    {
        0 => true,
        1 => Inputs[0].Type is "bytea" or "json" or "jsonb" or "text" or "xml",
        _ => false,
    };

    /// <summary>One unnamed input and no other: a call passes it the whole body, positionally.</summary>
    public RoutineParameter? SingleUnnamed => Inputs is [{ Name: "" } only] ? only : null;

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

/// <summary>How many rows of <see cref="Relationship.ForeignTable"/> one row of <see cref="Relationship.Table"/> has.</summary>
internal enum Cardinality
{
    ManyToOne,
    OneToMany,
    OneToOne,
    ManyToMany,
}

/// <summary>
/// A way to embed <see cref="ForeignTable"/>'s rows in <see cref="Table"/>'s rows; both are relations of the exposed
/// schema (views are followed back to their base tables, whose keys they carry when they expose both ends' columns).
/// </summary>
internal abstract record Relationship(string Table, string ForeignTable)
{
    public abstract Cardinality Cardinality { get; }

    /// <summary>At most one row of the foreign table per row: embedded as an object (or null), not an array.</summary>
    public bool ToOne => Cardinality is Cardinality.ManyToOne or Cardinality.OneToOne;

    public bool IsSelf => Table == ForeignTable;

    /// <summary>The cardinality as PostgREST words it (<c>many-to-one</c>, ...), in errors and documents.</summary>
    public string CardinalityName => Cardinality switch
    {
        Cardinality.ManyToOne => "many-to-one",
        Cardinality.OneToMany => "one-to-many",
        Cardinality.OneToOne => "one-to-one",
        _ => "many-to-many",
    };
}

/// <summary>
/// A foreign key between two relations: <see cref="Columns"/> of the table equal <see cref="ForeignColumns"/> of the
/// foreign table, pairwise. Each key gives two relationships, one from each end (many-to-one and one-to-many, or
/// one-to-one both ways when the referencing columns are unique).
/// </summary>
internal sealed record KeyRelationship(
    string Table,
    string ForeignTable,
    Cardinality Kind,
    string Constraint,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> ForeignColumns) : Relationship(Table, ForeignTable)
{
    public override Cardinality Cardinality => Kind;
}

/// <summary>
/// Many-to-many through <see cref="Junction"/>, a relation with a foreign key to each end whose columns are all part
/// of its primary key: <c>Table.Columns = Junction.JunctionColumns</c> (key <see cref="Constraint"/>) and
/// <c>Junction.ForeignJunctionColumns = ForeignTable.ForeignColumns</c> (key <see cref="ForeignConstraint"/>).
/// </summary>
internal sealed record JunctionRelationship(
    string Table,
    string ForeignTable,
    string Junction,
    string Constraint,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> JunctionColumns,
    string ForeignConstraint,
    IReadOnlyList<string> ForeignJunctionColumns,
    IReadOnlyList<string> ForeignColumns) : Relationship(Table, ForeignTable)
{
    public override Cardinality Cardinality => Cardinality.ManyToMany;
}

/// <summary>
/// A computed relationship: <see cref="Function"/> of the exposed schema takes a row of the table and returns rows of
/// the foreign table; to-one when it returns one row (not <c>setof</c>, or <c>rows 1</c>).
/// </summary>
internal sealed record ComputedRelationship(string Table, string ForeignTable, Routine Function, bool ReturnsOne) : Relationship(Table, ForeignTable)
{
    public override Cardinality Cardinality => ReturnsOne ? Cardinality.ManyToOne : Cardinality.OneToMany;
}
