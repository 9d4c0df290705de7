using System.Text.Json;
using Gateway.Catalog;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// What the planner decided for one request: resolved catalog objects (relations, columns, routines and their
/// types), never SQL text. The SQL stage turns a plan into a statement and cannot fail for one; Execution runs it
/// under <see cref="Rules"/>; Responses shape the answer from <see cref="Answer"/>.
/// </summary>
internal abstract record ApiPlan
{
    /// <summary>Runs as a read-only transaction (GET/HEAD, and calls of functions that declare they do not write).</summary>
    public required bool ReadOnly { get; init; }

    /// <summary>What the result must satisfy for the transaction to commit.</summary>
    public ResultRules Rules { get; init; } = ResultRules.None;

    public required Answer Answer { get; init; }
}

/// <summary>GET/HEAD of a relation: a tree of reads, the root's rows are the body.</summary>
internal sealed record ReadPlan(ReadNode Root, CountMode Count) : ApiPlan;

/// <summary>A function call whose result is read like a relation (select, filters, order, page).</summary>
internal sealed record CallPlan(Routine Routine, CallArguments Arguments, ReadNode Result, CountMode Count) : ApiPlan
{
    /// <summary>How the function's result becomes the body.</summary>
    public BodyShape Shape => Routine.ReturnsComposite
        ? Routine.ReturnsSet ? BodyShape.Rows : BodyShape.Object
        : Routine.ReturnsSet ? BodyShape.ScalarSet : BodyShape.Scalar;
}

/// <summary>An insert, upsert, update or delete through a relation; <see cref="Returning"/> reads the affected rows.</summary>
internal sealed record MutatePlan(Relation Relation, Mutation Mutation, ReadNode Returning) : ApiPlan;

/// <summary>OPTIONS: the methods the target allows, decided from the catalog.</summary>
internal sealed record OptionsPlan(string Allow) : ApiPlan;

/// <summary>
/// One relation's part of a read: its source, the columns it selects, its filters, order and page, and the reads
/// of related relations embedded in its rows.
/// </summary>
internal sealed record ReadNode(
    RowSource Source,
    IReadOnlyList<SelectTerm> Select,
    IReadOnlyList<Condition> Where,
    IReadOnlyList<OrderBy> Order,
    long? Limit,
    long Offset)
{
    public IReadOnlyList<Embed> Children { get; init; } = [];

    /// <summary>Some select term aggregates (or a to-one spread's hoisted one): the other terms group the rows.</summary>
    public bool Aggregates => Select.Any(SelectTerm.IsAggregate) || Children.Any(e => e.Hoisted.Count > 0);
}

/// <summary>
/// A related relation's rows in each row of its parent: one object (or null) when the relationship is to-one, an array
/// otherwise; a spread lifts its columns into the parent's row instead (arrays of values when to-many).
/// </summary>
internal sealed record Embed(Relationship Relationship, string OutputName, EmbedJoin Join, bool Spread, ReadNode Node)
{
    public bool ToOne => Relationship.ToOne;

    /// <summary>
    /// Aggregates of a to-one spread (and of the to-one spreads inside it), lifted to the nearest ancestor that is no
    /// to-one spread, so they aggregate its rows (PostgREST's hoisting): <c>client_id,...invoices(total.sum())</c> sums
    /// the totals per client_id. Keyed by the plain column the spread selects in their place.
    /// </summary>
    public IReadOnlyDictionary<string, HoistedAggregate> Hoisted { get; init; } = new Dictionary<string, HoistedAggregate>();
}

/// <summary>Where a node's rows come from.</summary>
internal abstract record RowSource;

internal sealed record RelationSource(Relation Relation) : RowSource;

/// <summary>The rows of a function call (a scalar result is one column, <c>pgrst_scalar</c>).</summary>
internal sealed record CallSource(Routine Routine, CallArguments Arguments) : RowSource;

/// <summary>The rows a write affected, as rows of <see cref="Relation"/> (for <c>return=representation</c>).</summary>
internal sealed record WrittenRows(Relation Relation) : RowSource;

/// <summary>A computed relationship's rows (of <see cref="Rows"/>): its function called with the parent's row.</summary>
internal sealed record ComputedSource(Routine Function, Relation Parent, Relation Rows) : RowSource;

/// <summary>How a call gets its arguments.</summary>
internal abstract record CallArguments;

/// <summary>Named arguments from one JSON object (a POST body), converted by PostgreSQL to each parameter's type.</summary>
internal sealed record BodyArguments(IReadOnlyList<RoutineParameter> Parameters, JsonElement Body) : CallArguments;

/// <summary>Named arguments from the query string (GET/HEAD), each cast to its parameter's type.</summary>
internal sealed record QueryArguments(IReadOnlyList<(RoutineParameter Parameter, RpcArgument Argument)> Values) : CallArguments;

/// <summary>
/// The one unnamed parameter, passed positionally: the body's bytes as they came, or on GET the arguments as a JSON
/// object (PostgREST's rule); PostgreSQL decodes them to the parameter's type.
/// </summary>
internal sealed record PositionalArgument(RoutineParameter Parameter, byte[] Value) : CallArguments;

/// <summary>A column of a node's source, with an optional JSON path into it.</summary>
internal sealed record ColumnPath(Column Column, IReadOnlyList<JsonPathStep> JsonPath);

/// <summary>One output of a select.</summary>
internal abstract record SelectTerm
{
    /// <summary>Whether <paramref name="term"/> aggregates the rows: <c>count()</c> or a column's aggregate.</summary>
    public static bool IsAggregate(SelectTerm term) => term is CountTerm { Legacy: false } or ColumnTerm { Aggregate: not null };
}

/// <summary><c>*</c>: every column of the source.</summary>
internal sealed record AllColumns : SelectTerm
{
    public static AllColumns Instance { get; } = new();
}

/// <summary>A column (or JSON path), optionally cast, under its output name; or its aggregate.</summary>
internal sealed record ColumnTerm(ColumnPath Field, string? Cast, string OutputName) : SelectTerm
{
    public AggregateFunction? Aggregate { get; init; }

    /// <summary>The cast of the aggregate's result.</summary>
    public string? AggregateCast { get; init; }
}

/// <summary><c>count()</c>: the number of rows (of the group).</summary>
internal sealed record CountTerm(string OutputName, string? Cast) : SelectTerm
{
    /// <summary>
    /// <c>count</c> without parentheses where no column has that name: the rows counted as PostgREST's SQL counts them
    /// before it had aggregates (<c>"t"."count"</c>, PostgreSQL's <c>count(t)</c>). Not an aggregate to the planner:
    /// allowed with aggregates off, groups nothing (other columns beside it are PostgreSQL's 42803), never hoisted.
    /// </summary>
    public bool Legacy { get; init; }
}

/// <summary>
/// <c>true</c> under <see cref="OutputName"/>: what a to-one spread selects for its hoisted <c>count()</c>, so the
/// ancestor that aggregates counts the rows that have the spread's row.
/// </summary>
internal sealed record RowMarkerTerm(string OutputName) : SelectTerm;

/// <summary>An aggregate lifted out of a to-one spread: the function, the cast of its result, its output name.</summary>
internal sealed record HoistedAggregate(AggregateFunction Function, string? Cast, string OutputName);

/// <summary>A filter condition; a node's conditions are combined with AND.</summary>
internal abstract record Condition;

internal sealed record FilterCondition(ColumnPath Field, bool Negated, Operation Operation) : Condition;

internal sealed record LogicCondition(bool Negated, LogicOperator Operator, IReadOnlyList<Condition> Children) : Condition;

/// <summary><c>tasks=not.is.null</c> (or <c>is.null</c>) on an embedded resource: whether the row has related rows.</summary>
internal sealed record EmbedPresence(Embed Embed, bool Present) : Condition;

/// <summary>An order term: a column of the node, or of a to-one embed (<see cref="Embed"/>).</summary>
internal sealed record OrderBy(ColumnPath Field, OrderDirection? Direction, OrderNulls? Nulls)
{
    public Embed? Embed { get; init; }
}

/// <summary>Whether and how the total row count is reported.</summary>
internal enum CountMode
{
    None,

    /// <summary><c>count=exact</c> (and <c>estimated</c>, which is exact here).</summary>
    Exact,

    /// <summary><c>count=planned</c>: PostgreSQL's row estimate.</summary>
    Planned,
}

/// <summary>How the rows of the main statement become the body.</summary>
internal enum BodyShape
{
    /// <summary>An array of objects (views, SETOF composite functions).</summary>
    Rows,

    /// <summary>One object (a function returning one composite or OUT parameters).</summary>
    Object,

    /// <summary>A bare JSON value (a function returning one scalar).</summary>
    Scalar,

    /// <summary>An array of values (SETOF scalar).</summary>
    ScalarSet,
}

/// <summary>A write through a relation.</summary>
internal abstract record Mutation;

/// <summary>
/// INSERT of <see cref="Rows"/> (a JSON array of objects) into <see cref="Columns"/>; with <see cref="Resolution"/>
/// an upsert on <see cref="ConflictColumns"/>. PUT is a merge upsert of one row on the primary key.
/// </summary>
internal sealed record Insert(
    JsonElement Rows,
    IReadOnlyList<Column> Columns,
    IReadOnlyList<string>? ConflictColumns,
    ResolutionPreference? Resolution,
    bool MissingAsDefault) : Mutation
{
    /// <summary>PUT: a single-row merge upsert on the primary key, addressed by the URL.</summary>
    public bool Put { get; init; }

    /// <summary>The statement counts the rows that already existed, so an upsert can tell 200 from 201.</summary>
    public bool CountsExisting => Resolution is not null && ConflictColumns is { Count: > 0 };
}

/// <summary>UPDATE of <see cref="Columns"/> from one JSON object, on the rows <see cref="Where"/> selects.</summary>
internal sealed record Update(JsonElement Row, IReadOnlyList<string> Columns, IReadOnlyList<Condition> Where) : Mutation;

internal sealed record Delete(IReadOnlyList<Condition> Where) : Mutation;

/// <summary>A PATCH of <c>{}</c>: touches no row, and needs no write privilege.</summary>
internal sealed record NoChange : Mutation
{
    public static NoChange Instance { get; } = new();
}

/// <summary>
/// How to answer once the statement ran, decided while planning: the negotiated media type, the first row of the
/// page, which preferences were applied, and for writes the status and headers PostgREST gives them.
/// </summary>
internal sealed record Answer(MediaType Media)
{
    /// <summary>The value of <c>Preference-Applied</c>, or null.</summary>
    public string? PreferenceApplied { get; init; }

    /// <summary>The value of <c>Warning</c> (a deprecated form the request used), or null.</summary>
    public string? Warning { get; init; }

    /// <summary>The query as <c>Content-Location</c> shows it (reads and calls).</summary>
    public string CanonicalQuery { get; init; } = "";

    /// <summary>HEAD: headers only.</summary>
    public bool HeadersOnly { get; init; }

    /// <summary>The page's first row index, for <c>Content-Range</c>.</summary>
    public long Offset { get; init; }

    /// <summary>The body has the affected rows (<c>return=representation</c>).</summary>
    public bool Representation { get; init; }

    /// <summary>For <c>return=headers-only</c>: the primary key columns whose values build <c>Location</c>.</summary>
    public IReadOnlyList<string>? LocationKey { get; init; }

    /// <summary><c>Prefer: count=exact</c> on a write: the affected count is the total of <c>Content-Range</c>.</summary>
    public bool CountAffected { get; init; }
}
