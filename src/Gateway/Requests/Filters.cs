namespace Gateway.Requests;

/// <summary><c>field=[not.]operation</c>, e.g. <c>?age=not.gt.18</c> or an item of a logic tree.</summary>
internal sealed record Filter(Field Field, bool Negated, Operation Operation);

/// <summary>What a filter tests. Values are the client's raw text, never SQL.</summary>
internal abstract record Operation;

/// <summary>
/// A binary operator with one value, e.g. <c>eq.5</c>, <c>cs.{a,b}</c>, <c>like(any).{a*,b*}</c>.
/// For <see cref="CompareOperator.Like"/> and <see cref="CompareOperator.ILike"/> the value already has
/// <c>*</c> replaced by <c>%</c>. With a <see cref="Quantifier"/> other than None the value is an array literal <c>{...}</c>.
/// </summary>
internal sealed record CompareOperation(CompareOperator Operator, Quantifier Quantifier, string Value) : Operation;

/// <summary><c>in.(a,"b,c")</c>: the list elements, quotes and escapes removed; empty for <c>in.()</c>.</summary>
internal sealed record InOperation(IReadOnlyList<string> Values) : Operation;

/// <summary><c>is.null</c>, <c>is.not_null</c>, <c>is.true</c>, <c>is.false</c>, <c>is.unknown</c>.</summary>
internal sealed record IsOperation(IsValue Value) : Operation;

/// <summary><c>fts(config).query</c> and its plain, phrase and websearch variants; the config is optional.</summary>
internal sealed record FullTextOperation(FullTextOperator Operator, string? Configuration, string Query) : Operation;

internal enum CompareOperator
{
    /// <summary><c>eq</c>: <c>=</c></summary>
    Equal,

    /// <summary><c>neq</c>: <c>&lt;&gt;</c></summary>
    NotEqual,

    /// <summary><c>gt</c>: <c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>gte</c>: <c>&gt;=</c></summary>
    GreaterThanOrEqual,

    /// <summary><c>lt</c>: <c>&lt;</c></summary>
    LessThan,

    /// <summary><c>lte</c>: <c>&lt;=</c></summary>
    LessThanOrEqual,

    /// <summary><c>like</c></summary>
    Like,

    /// <summary><c>ilike</c></summary>
    ILike,

    /// <summary><c>match</c>: <c>~</c></summary>
    Match,

    /// <summary><c>imatch</c>: <c>~*</c></summary>
    IMatch,

    /// <summary><c>isdistinct</c>: <c>IS DISTINCT FROM</c></summary>
    IsDistinctFrom,

    /// <summary><c>cs</c>: <c>@&gt;</c></summary>
    Contains,

    /// <summary><c>cd</c>: <c>&lt;@</c></summary>
    ContainedIn,

    /// <summary><c>ov</c>: <c>&amp;&amp;</c></summary>
    Overlaps,

    /// <summary><c>sl</c>: <c>&lt;&lt;</c></summary>
    StrictlyLeft,

    /// <summary><c>sr</c>: <c>&gt;&gt;</c></summary>
    StrictlyRight,

    /// <summary><c>nxr</c>: <c>&amp;&lt;</c></summary>
    NotExtendsRight,

    /// <summary><c>nxl</c>: <c>&amp;&gt;</c></summary>
    NotExtendsLeft,

    /// <summary><c>adj</c>: <c>-|-</c></summary>
    Adjacent,
}

/// <summary><c>op(any)</c> / <c>op(all)</c>: compare with <c>ANY</c>/<c>ALL</c> of an array.</summary>
internal enum Quantifier
{
    None,
    Any,
    All,
}

internal enum IsValue
{
    Null,
    NotNull,
    True,
    False,
    Unknown,
}

internal enum FullTextOperator
{
    /// <summary><c>fts</c>: <c>to_tsquery</c></summary>
    Fts,

    /// <summary><c>plfts</c>: <c>plainto_tsquery</c></summary>
    Plain,

    /// <summary><c>phfts</c>: <c>phraseto_tsquery</c></summary>
    Phrase,

    /// <summary><c>wfts</c>: <c>websearch_to_tsquery</c></summary>
    WebSearch,
}

internal enum LogicOperator
{
    And,
    Or,
}

/// <summary>A node of <c>?or=(...)</c> / <c>?and=(...)</c>: a filter, or a nested expression.</summary>
internal abstract record LogicTree;

/// <summary><c>[not.]and(...)</c> / <c>[not.]or(...)</c> with at least one child.</summary>
internal sealed record LogicExpression(bool Negated, LogicOperator Operator, IReadOnlyList<LogicTree> Children) : LogicTree;

/// <summary>A leaf of a logic tree: <c>col.op.value</c>, <c>col.not.op.value</c>, <c>col-&gt;path.op.value</c>.</summary>
internal sealed record LogicFilter(Filter Filter) : LogicTree;
