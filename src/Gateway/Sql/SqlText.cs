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
    private readonly List<NpgsqlParameter> parameters = [];

    // The text while it is written, in a builder reused by the next statement this thread builds once the text is
    // read (ToString); then the finished string. A statement's few kilobytes of builder chunks were the largest
    // allocation of a request after Npgsql's parameters.
    private StringBuilder? text = Builders.Rent();
    private string? built;

    public IReadOnlyList<NpgsqlParameter> Parameters => parameters;

    public SqlText Append(string keywords)
    {
        Text().Append(keywords);
        return this;
    }

    /// <summary>Fixed keywords before everything written so far (<c>explain (...)</c>); parameters keep their numbers.</summary>
    public SqlText Prepend(string keywords)
    {
        Text().Insert(0, keywords);
        return this;
    }

    public SqlText Identifier(string name)
    {
        Text().Append('"').Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        return this;
    }

    public SqlText Parameter(string value)
    {
        parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlDbType.Unknown });
        Text().Append('$').Append(parameters.Count);
        return this;
    }

    /// <summary>A parameter whose type the statement states (e.g. <c>text</c> for JSON keys, <c>json</c> for a body).</summary>
    public SqlText TypedParameter(object value, NpgsqlDbType type)
    {
        parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
        Text().Append('$').Append(parameters.Count);
        return this;
    }

    public override string ToString()
    {
        if (text is not null)
        {
            built = text.ToString();
            Builders.Return(text);
            text = null;
        }

        return built!;
    }

    // Writing after the text was read (rare) starts from the string.
    private StringBuilder Text()
    {
        if (text is null)
        {
            text = new StringBuilder(built);
            built = null;
        }

        return text;
    }

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

    /// <summary>One spare <see cref="StringBuilder"/> per thread, sized for a typical statement.</summary>
    private static class Builders
    {
        private const int Capacity = 2048;
        private const int LargestKept = 16 * 1024;

        [ThreadStatic]
        private static StringBuilder? spare;

        public static StringBuilder Rent()
        {
            var builder = spare;
            spare = null;
            return builder ?? new StringBuilder(Capacity);
        }

        public static void Return(StringBuilder builder)
        {
            if (builder.Capacity <= LargestKept)
            {
                spare = builder.Clear();
            }
        }
    }
}
