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
    /// <summary>
    /// The key of this item in the JSON output: the alias, else the last key of the JSON path, else the column
    /// (<c>data-&gt;&gt;0::int</c> gives <c>data</c>, <c>settings-&gt;foo-&gt;&gt;bar</c> gives <c>bar</c>).
    /// </summary>
    public string OutputName =>
        Alias ?? Field.JsonPath.LastOrDefault(step => step.Key is not null)?.Key ?? Field.Column;
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
internal sealed record OrderTerm(Field Field, OrderDirection? Direction, OrderNulls? Nulls);
