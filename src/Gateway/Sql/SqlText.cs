using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// SQL text under construction. The only ways in are <see cref="Identifier"/> (a catalog name, always quoted),
/// <see cref="Parameter"/> (any client value, bound as an <c>unknown</c>-typed parameter so PostgreSQL casts it
/// to the column's type, as PostgREST does) and fixed keywords written by the SQL stage itself.
/// </summary>
internal sealed class SqlText
{
    private readonly StringBuilder text = new();
    private readonly List<NpgsqlParameter> parameters = [];

    public IReadOnlyList<NpgsqlParameter> Parameters => parameters;

    public SqlText Append(string keywords)
    {
        text.Append(keywords);
        return this;
    }

    /// <summary>Fixed keywords before everything written so far (<c>explain (...)</c>); parameters keep their numbers.</summary>
    public SqlText Prepend(string keywords)
    {
        text.Insert(0, keywords);
        return this;
    }

    public SqlText Identifier(string name)
    {
        text.Append('"').Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        return this;
    }

    public SqlText Parameter(string value)
    {
        parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Unknown });
        text.Append('$').Append(parameters.Count);
        return this;
    }

    /// <summary>A parameter whose type the statement states (e.g. <c>text</c> for JSON keys, <c>json</c> for a body).</summary>
    public SqlText TypedParameter(object value, NpgsqlDbType type)
    {
        parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
        text.Append('$').Append(parameters.Count);
        return this;
    }

    public override string ToString() => text.ToString();

    /// <summary>A PostgreSQL array literal (<c>{"a","b\"c"}</c>) of the given elements, for <c>= any($n)</c>.</summary>
    public static string ArrayLiteral(IEnumerable<string> elements)
    {
        var literal = new StringBuilder("{");
        foreach (var element in elements)
        {
            if (literal.Length > 1)
            {
                literal.Append(',');
            }

            literal.Append('"');
            foreach (var c in element)
            {
                if (c is '"' or '\\')
                {
                    literal.Append('\\');
                }

                literal.Append(c);
            }

            literal.Append('"');
        }

        return literal.Append('}').ToString();
    }
}
