using System.Globalization;

namespace Gateway.Requests;

/// <summary>A column, optionally followed by a JSON path: <c>data</c>, <c>data-&gt;a-&gt;&gt;b</c>, <c>tags-&gt;0</c>.</summary>
internal sealed record Field(string Column, IReadOnlyList<JsonPathStep> JsonPath)
{
    public Field(string column)
        : this(column, [])
    {
    }

    public override string ToString() => Column + string.Concat(JsonPath);
}

/// <summary>
/// One step of a JSON path: <c>-&gt;key</c> or <c>-&gt;&gt;key</c> (<see cref="AsText"/>), or the same with an array
/// index (<c>-&gt;0</c>, <c>-&gt;-1</c>). Keys are arbitrary text the SQL stage binds as parameters.
/// </summary>
internal sealed record JsonPathStep
{
    private JsonPathStep(bool asText, string? key, int? index)
    {
        AsText = asText;
        Key = key;
        Index = index;
    }

    /// <summary><c>-&gt;&gt;</c> (the value as text) rather than <c>-&gt;</c> (as JSON).</summary>
    public bool AsText { get; }

    /// <summary>The object key, or null for an index step.</summary>
    public string? Key { get; }

    /// <summary>The array index (negative counts from the end), or null for a key step.</summary>
    public int? Index { get; }

    public static JsonPathStep ForKey(string key, bool asText) => new(asText, key, null);

    public static JsonPathStep ForIndex(int index, bool asText) => new(asText, null, index);

    public override string ToString() =>
        (AsText ? "->>" : "->") + (Key ?? Index!.Value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>An item of <c>?select=</c>.</summary>
internal abstract record SelectItem;

/// <summary><c>*</c>: every column.</summary>
internal sealed record SelectAll : SelectItem
{
    public static SelectAll Instance { get; } = new();

    private SelectAll()
    {
    }
}

/// <summary><c>[alias:]column[json path][::cast]</c>. The cast is a type name of <c>[A-Za-z0-9_ $]</c> and optional <c>[]</c>.</summary>
internal sealed record SelectField(Field Field, string? Alias, string? Cast) : SelectItem
{
    /// <summary><c>column.sum()</c> and the like: the aggregate of the (cast) column; null for a plain column.</summary>
    public AggregateFunction? Aggregate { get; init; }

    /// <summary><c>column.sum()::int</c>: the cast of the aggregate's result.</summary>
    public string? AggregateCast { get; init; }

    /// <summary>
    /// The key of this item in the JSON output: the alias, else the aggregate's name (<c>amount.sum()</c> gives
    /// <c>sum</c>, as PostgREST names it), else the last key of the JSON path, else the column
    /// (<c>data-&gt;&gt;0::int</c> gives <c>data</c>, <c>settings-&gt;foo-&gt;&gt;bar</c> gives <c>bar</c>).
    /// </summary>
    public string OutputName =>
        Alias
        ?? Aggregate switch
        {
            AggregateFunction.Count => "count",
            AggregateFunction.Sum => "sum",
            AggregateFunction.Avg => "avg",
            AggregateFunction.Min => "min",
            AggregateFunction.Max => "max",
            _ => Field.JsonPath.LastOrDefault(step => step.Key is not null)?.Key ?? Field.Column,
        };
}

/// <summary>
/// <c>[alias:]relation[!hint][!inner|!left](items)</c>, or a spread <c>...relation[!hint][!inner|!left](items)</c>: the rows of a
/// related relation, embedded in each row. <see cref="Hint"/> names the foreign key, a column or the junction when
/// several relationships lead to <see cref="Relation"/>.
/// </summary>
internal sealed record SelectEmbed(string Relation, string? Alias, string? Hint, EmbedJoin Join, bool Spread, IReadOnlyList<SelectItem> Select) : SelectItem
{
    /// <summary>The key of the embedded value in each row, and the name its parameters use (<c>tasks.limit=2</c>).</summary>
    public string OutputName => Alias ?? Relation;
}

internal enum EmbedJoin
{
    /// <summary>The default: rows without related rows stay, with null or <c>[]</c>.</summary>
    Left,

    /// <summary><c>!inner</c>: only rows that have related rows.</summary>
    Inner,
}

/// <summary>An aggregate function of <c>?select=</c> (<c>amount.sum()</c>, <c>count()</c>), when aggregates are enabled.</summary>
internal enum AggregateFunction
{
    Count,
    Sum,
    Avg,
    Min,
    Max,
}

/// <summary><c>[alias:]count()[::cast]</c>: the number of rows (of the group).</summary>
internal sealed record SelectCount(string? Alias, string? Cast) : SelectItem
{
    public string OutputName => Alias ?? "count";
}

internal enum OrderDirection
{
    Ascending,
    Descending,
}

internal enum OrderNulls
{
    First,
    Last,
}

/// <summary>An item of <c>?order=</c>: <c>field[.asc|.desc][.nullsfirst|.nullslast]</c>; null means not given.</summary>
internal sealed record OrderTerm(Field Field, OrderDirection? Direction, OrderNulls? Nulls)
{
    /// <summary><c>order=client(name).asc</c>: the to-one embedded relation (its output name) whose column orders the rows.</summary>
    public string? Embed { get; init; }
}
