namespace Gateway.Requests;

/// <summary>
/// What one HTTP request asks for, in PostgREST's terms: the target, the action, and everything the query
/// string and headers said about shaping, filtering, paging and the response. Built by
/// <see cref="ApiRequestParser"/>; names in it are unchecked identifiers and values are raw strings, which the
/// planner matches against the catalog and the SQL stage binds as parameters.
/// </summary>
internal sealed record ApiRequest
{
    /// <summary>The HTTP method as received (<c>GET</c>, <c>HEAD</c>, <c>POST</c>, ...).</summary>
    public required string Method { get; init; }

    public required Target Target { get; init; }

    public required RequestAction Action { get; init; }

    /// <summary><c>?select=</c>; <c>*</c> when absent, empty when given empty.</summary>
    public IReadOnlyList<SelectItem> Select { get; init; } = [SelectAll.Instance];

    /// <summary>Column filters (<c>?id=gt.2</c>), combined with AND, in query-string order.</summary>
    public IReadOnlyList<Filter> Filters { get; init; } = [];

    /// <summary>Each <c>?or=(...)</c> / <c>?and=(...)</c> / <c>?not.or=(...)</c>, combined with the filters by AND.</summary>
    public IReadOnlyList<LogicExpression> Logic { get; init; } = [];

    public IReadOnlyList<OrderTerm> Order { get; init; } = [];

    /// <summary>Filters, order and page addressed to embedded resources (<c>tasks.done=eq.false</c>, <c>tasks.limit=2</c>).</summary>
    public IReadOnlyList<EmbedQuery> Embedded { get; init; } = [];

    /// <summary><c>?limit=</c>, never negative; null when absent.</summary>
    public long? Limit { get; init; }

    /// <summary><c>?offset=</c>; 0 when absent or negative.</summary>
    public long Offset { get; init; }

    /// <summary>The <c>Range</c> header, read on GET only; the planner intersects it with limit and offset.</summary>
    public RangeHeader? Range { get; init; }

    /// <summary>Function arguments from the query string of an RPC GET/HEAD, in first-appearance order.</summary>
    public IReadOnlyList<RpcArgument> Arguments { get; init; } = [];

    /// <summary><c>?columns=</c> (the body keys a write may use); null when absent.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary><c>?on_conflict=</c> (the unique columns of an upsert); null when absent.</summary>
    public IReadOnlyList<string>? OnConflict { get; init; }

    public Preferences Preferences { get; init; } = Preferences.None;

    /// <summary>The media type of the body, from <c>Content-Type</c>.</summary>
    public BodyMediaType ContentType { get; init; } = BodyMediaType.Json;

    /// <summary>The response media type chosen from <c>Accept</c>.</summary>
    public MediaType MediaType { get; init; } = MediaType.Json;

    /// <summary>The <c>Accept</c> header as sent (null when absent), for choosing again without the plan types.</summary>
    public string? Accept { get; init; }

    /// <summary>The query string sorted by key and re-encoded, as <c>Content-Location</c> shows it (no leading <c>?</c>).</summary>
    public string CanonicalQuery { get; init; } = "";

    /// <summary>The schema asked for by <c>Accept-Profile</c> (GET/HEAD) or <c>Content-Profile</c>; null when not asked.</summary>
    public string? Profile { get; init; }

    public bool IsHead => string.Equals(Method, "HEAD", StringComparison.Ordinal);
}

internal enum TargetKind
{
    /// <summary><c>/</c>: the OpenAPI description.</summary>
    Root,

    /// <summary><c>/{name}</c>: a view (or table).</summary>
    Relation,

    /// <summary><c>/rpc/{name}</c>: a function.</summary>
    Function,
}

/// <summary>The object a path names. <see cref="Name"/> is empty for the root.</summary>
internal sealed record Target(TargetKind Kind, string Name)
{
    public static Target Root { get; } = new(TargetKind.Root, "");

    public static Target Relation(string name) => new(TargetKind.Relation, name);

    public static Target Function(string name) => new(TargetKind.Function, name);
}

internal enum RequestAction
{
    /// <summary>GET/HEAD of a relation or the root.</summary>
    Read,

    /// <summary>GET/HEAD/POST of a function.</summary>
    Call,

    /// <summary>POST of a relation.</summary>
    Insert,

    /// <summary>PUT of a relation: single-row upsert.</summary>
    Upsert,

    /// <summary>PATCH of a relation.</summary>
    Update,

    /// <summary>DELETE of a relation.</summary>
    Delete,

    /// <summary>OPTIONS of anything.</summary>
    Info,
}

/// <summary>
/// A function argument given in the query string. A repeated key keeps every value in order (a variadic
/// argument takes them all; any other argument takes <see cref="Value"/>, the last).
/// </summary>
internal sealed record RpcArgument(string Name, IReadOnlyList<string> Values)
{
    public string Value => Values[^1];
}

/// <summary>
/// The query parameters addressed to one embedded resource, by its path of output names from the root
/// (<c>clients.projects.name=eq.x</c> has the path <c>clients, projects</c>).
/// </summary>
internal sealed record EmbedQuery(IReadOnlyList<string> Path)
{
    public IReadOnlyList<Filter> Filters { get; init; } = [];

    public IReadOnlyList<LogicExpression> Logic { get; init; } = [];

    public IReadOnlyList<OrderTerm> Order { get; init; } = [];

    public long? Limit { get; init; }

    public long Offset { get; init; }
}

/// <summary>A <c>Range: first-last</c> header (zero-based, inclusive); <see cref="Last"/> is null for <c>first-</c>.</summary>
internal sealed record RangeHeader(long First, long? Last);
