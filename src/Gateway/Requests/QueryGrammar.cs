using System.Globalization;
using System.Text;
using Gateway.Errors;

namespace Gateway.Requests;

/// <summary>
/// The grammar of PostgREST's query parameters (QueryParams.hs): select (with embeds, spreads and aggregates),
/// filter keys and values, logic trees, order, columns.
/// Each entry point parses one parameter's decoded text; failures are 400 PGRST100 naming the position and what
/// was expected. Names come out as plain strings and values as raw text: nothing here is ever SQL.
/// </summary>
internal static class QueryGrammar
{
    /// <summary>How deeply <c>and(...)</c>/<c>or(...)</c> may nest, the outermost counting as 1.</summary>
    public const int MaxLogicDepth = 32;

    /// <summary>How deeply embeds may nest in <c>?select=</c>: <c>a(b(c()))</c> is 3 levels.</summary>
    public const int MaxEmbedDepth = 16;

    private const string FieldNameExpected = "column name (letters, digits, _, $, spaces and -, or a \"quoted name\")";
    private const string JsonKeyExpected = "JSON key (any text but .,:()>- or a \"quoted key\")";
    private const string OperatorExpected =
        "\"not\" or operator (eq, neq, gt, gte, lt, lte, like, ilike, match, imatch, in, is, isdistinct, " +
        "fts, plfts, phfts, wfts, cs, cd, ov, sl, sr, nxr, nxl, adj)";
    private const string AggregateExpected = "aggregate (.sum(), .avg(), .count(), .max() or .min())";

    private static readonly Dictionary<string, AggregateFunction> Aggregates = new(StringComparer.Ordinal)
    {
        ["sum"] = AggregateFunction.Sum,
        ["avg"] = AggregateFunction.Avg,
        ["count"] = AggregateFunction.Count,
        ["max"] = AggregateFunction.Max,
        ["min"] = AggregateFunction.Min,
    };

    private static readonly Dictionary<string, CompareOperator> Quantifiable = new(StringComparer.Ordinal)
    {
        ["eq"] = CompareOperator.Equal,
        ["gt"] = CompareOperator.GreaterThan,
        ["gte"] = CompareOperator.GreaterThanOrEqual,
        ["lt"] = CompareOperator.LessThan,
        ["lte"] = CompareOperator.LessThanOrEqual,
        ["like"] = CompareOperator.Like,
        ["ilike"] = CompareOperator.ILike,
        ["match"] = CompareOperator.Match,
        ["imatch"] = CompareOperator.IMatch,
    };

    private static readonly Dictionary<string, CompareOperator> Unquantifiable = new(StringComparer.Ordinal)
    {
        ["neq"] = CompareOperator.NotEqual,
        ["isdistinct"] = CompareOperator.IsDistinctFrom,
        ["cs"] = CompareOperator.Contains,
        ["cd"] = CompareOperator.ContainedIn,
        ["ov"] = CompareOperator.Overlaps,
        ["sl"] = CompareOperator.StrictlyLeft,
        ["sr"] = CompareOperator.StrictlyRight,
        ["nxr"] = CompareOperator.NotExtendsRight,
        ["nxl"] = CompareOperator.NotExtendsLeft,
        ["adj"] = CompareOperator.Adjacent,
    };

    private static readonly Dictionary<string, FullTextOperator> FullText = new(StringComparer.Ordinal)
    {
        ["fts"] = FullTextOperator.Fts,
        ["plfts"] = FullTextOperator.Plain,
        ["phfts"] = FullTextOperator.Phrase,
        ["wfts"] = FullTextOperator.WebSearch,
    };

    private static readonly Dictionary<string, IsValue> IsValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["null"] = IsValue.Null,
        ["not_null"] = IsValue.NotNull,
        ["true"] = IsValue.True,
        ["false"] = IsValue.False,
        ["unknown"] = IsValue.Unknown,
    };

    /// <summary>Where an operator's value ends: at the end of the parameter, or at the <c>,</c>/<c>)</c> closing a logic-tree item.</summary>
    private enum ValueStyle
    {
        RestOfInput,
        LogicItem,
    }

    /// <summary>
    /// <c>?select=</c>: comma-separated items, embeds nested up to <see cref="MaxEmbedDepth"/> levels; blank text
    /// selects nothing.
    /// </summary>
    public static Result<IReadOnlyList<SelectItem>> ParseSelect(string text)
    {
        var items = new List<SelectItem>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<IReadOnlyList<SelectItem>>.Ok(items);
        }

        var cursor = new Cursor(text);
        do
        {
            if (!TrySelectItem(cursor, 0, out var item))
            {
                return cursor.ToError("select parameter", text);
            }

            items.Add(item);
        }
        while (cursor.Skip(','));

        return Result<IReadOnlyList<SelectItem>>.Ok(items);
    }

    /// <summary>
    /// A filter's key: <c>column[-&gt;json path]</c>, preceded by an embed path (<c>child.column</c>) if any. Keys of
    /// <c>child.order</c> and the like read the same way, the reserved word taking the column's place.
    /// </summary>
    public static Result<(IReadOnlyList<string> EmbedPath, Field Field)> ParseKey(string key)
    {
        var cursor = new Cursor(key);
        var names = new List<string>();
        do
        {
            if (!TryFieldName(cursor, out var name))
            {
                return cursor.ToError("tree path", key);
            }

            names.Add(name);
        }
        while (cursor.Skip('.'));

        if (!TryJsonPath(cursor, out var path))
        {
            return cursor.ToError("tree path", key);
        }

        if (!cursor.AtEnd)
        {
            cursor.Fail("\".\", \"->\", \"->>\" or end of input");
            return cursor.ToError("tree path", key);
        }

        return (names[..^1], new Field(names[^1], path));
    }

    /// <summary>
    /// A filter's value: <c>[not.]operator[(any|all)|(config)].value</c>. Null when <paramref name="mayBeArgument"/>
    /// and the value failed before committing to an operator (<c>5</c>, <c>hello</c>, <c>eq</c>): on an RPC GET such a
    /// value is a function argument rather than an error, and no error is built for it.
    /// </summary>
    public static Result<Filter>? ParseFilter(Field field, string value, bool mayBeArgument)
    {
        var cursor = new Cursor(value);
        if (TryCondition(cursor, ValueStyle.RestOfInput, out var negated, out var operation, out var isOperatorExpression))
        {
            cursor.SkipSpaces();
            if (cursor.AtEnd)
            {
                return new Filter(field, negated, operation);
            }

            cursor.Fail("end of input");
        }

        if (mayBeArgument && !isOperatorExpression)
        {
            return null;
        }

        return Result<Filter>.Fail(cursor.ToError("filter", value));
    }

    /// <summary>
    /// A logic tree: <paramref name="operatorKey"/> is <c>and</c>, <c>or</c>, <c>not.and</c> or <c>not.or</c>, and
    /// <paramref name="value"/> the parenthesised list, e.g. <c>(age.gt.18,and(a.eq.1,b.is.null))</c>.
    /// </summary>
    public static Result<LogicExpression> ParseLogic(string operatorKey, string value)
    {
        var cursor = new Cursor(operatorKey + value);
        if (TryLogicExpression(cursor, 1, out var expression))
        {
            cursor.SkipSpaces();
            if (cursor.AtEnd)
            {
                return expression;
            }

            cursor.Fail("end of input");
        }

        return cursor.ToError("logic tree", value, operatorKey.Length);
    }

    /// <summary><c>?order=</c>: comma-separated <c>field[.asc|.desc][.nullsfirst|.nullslast]</c>.</summary>
    public static Result<IReadOnlyList<OrderTerm>> ParseOrder(string text)
    {
        var cursor = new Cursor(text);
        var terms = new List<OrderTerm>();
        do
        {
            if (!TryOrderTerm(cursor, out var term))
            {
                return cursor.ToError("order", text);
            }

            terms.Add(term);
        }
        while (cursor.Skip(','));

        return Result<IReadOnlyList<OrderTerm>>.Ok(terms);
    }

    /// <summary><c>?columns=</c> and <c>?on_conflict=</c>: comma-separated names, plain or double-quoted.</summary>
    public static Result<IReadOnlyList<string>> ParseColumns(string text, string parameter)
    {
        var cursor = new Cursor(text);
        var names = new List<string>();
        do
        {
            cursor.SkipSpaces();
            if (!TryFieldName(cursor, out var name))
            {
                return cursor.ToError($"{parameter} parameter", text);
            }

            names.Add(name);
            cursor.SkipSpaces();
        }
        while (cursor.Skip(','));

        if (!cursor.AtEnd)
        {
            cursor.Fail("\",\" or end of input");
            return cursor.ToError($"{parameter} parameter", text);
        }

        return Result<IReadOnlyList<string>>.Ok(names);
    }

    /// <summary>
    /// One item of a select list at <paramref name="depth"/> (0 for <c>?select=</c> itself, 1 inside an embed, ...):
    /// <c>*</c>, a spread, <c>count()</c>, an embed, or a column; it ends at <c>,</c>, or at the end (depth 0) or the
    /// <c>)</c> closing its embed.
    /// </summary>
    private static bool TrySelectItem(Cursor cursor, int depth, out SelectItem item)
    {
        item = SelectAll.Instance;
        cursor.SkipSpaces();
        if (cursor.Skip('*'))
        {
            cursor.SkipSpaces();
            return AtItemEnd(cursor, depth) || cursor.Fail(ItemEndExpected(depth));
        }

        if (cursor.Skip("..."))
        {
            return TryFieldName(cursor, out var spread) && TryEmbed(cursor, depth, spread, alias: null, isSpread: true, out item);
        }

        var alias = TryAlias(cursor);
        cursor.SkipSpaces();
        if (cursor.Skip("count()"))
        {
            return TryCount(cursor, depth, alias, out item);
        }

        if (!TryFieldName(cursor, out var column))
        {
            return false;
        }

        // As in PostgREST, "count" is never a relation: count() is the aggregate.
        if ((cursor.Is('(') || cursor.Is('!')) && column != "count")
        {
            return TryEmbed(cursor, depth, column, alias, isSpread: false, out item);
        }

        return TryColumn(cursor, depth, column, alias, out item);
    }

    /// <summary>
    /// <c>[!hint][!inner|!left](items)</c> after a relation's name: at most one hint and one join type, in either
    /// order. A quoted <c>!"inner"</c> is a hint.
    /// </summary>
    private static bool TryEmbed(Cursor cursor, int depth, string relation, string? alias, bool isSpread, out SelectItem item)
    {
        item = SelectAll.Instance;
        string? hint = null;
        EmbedJoin? join = null;
        while (cursor.Skip('!'))
        {
            var start = cursor.Position;
            var quoted = cursor.Is('"');
            if (!TryFieldName(cursor, out var parameter))
            {
                return false;
            }

            if (!quoted && parameter is "inner" or "left")
            {
                if (join is not null)
                {
                    cursor.Position = start;
                    return cursor.Stop($"'{RequestErrors.Echo(relation)}' has two join types; give one of !inner or !left");
                }

                join = parameter == "inner" ? EmbedJoin.Inner : EmbedJoin.Left;
            }
            else
            {
                if (hint is not null)
                {
                    cursor.Position = start;
                    return cursor.Stop($"'{RequestErrors.Echo(relation)}' has two hints; give one foreign key, column or junction name");
                }

                hint = parameter;
            }
        }

        if (!cursor.Is('('))
        {
            return cursor.Fail("\"!\" or \"(\"");
        }

        if (depth >= MaxEmbedDepth)
        {
            return cursor.Stop($"embedded resources may nest at most {MaxEmbedDepth} levels deep");
        }

        cursor.Position++;
        var children = new List<SelectItem>();
        cursor.SkipSpaces();
        if (!cursor.Skip(')'))
        {
            do
            {
                if (!TrySelectItem(cursor, depth + 1, out var child))
                {
                    return false;
                }

                children.Add(child);
            }
            while (cursor.Skip(','));

            // Every item ends at "," or ")" inside an embed, so the loop stops at the ")".
            cursor.Position++;
        }

        cursor.SkipSpaces();
        item = new SelectEmbed(relation, alias, hint, join ?? EmbedJoin.Left, isSpread, children);
        return AtItemEnd(cursor, depth) || cursor.Fail(ItemEndExpected(depth));
    }

    /// <summary><c>[::cast]</c> after <c>count()</c>.</summary>
    private static bool TryCount(Cursor cursor, int depth, string? alias, out SelectItem item)
    {
        item = SelectAll.Instance;
        string? cast = null;
        if (cursor.Skip("::") && !TryCastType(cursor, out cast))
        {
            return false;
        }

        cursor.SkipSpaces();
        item = new SelectCount(alias, cast);
        return AtItemEnd(cursor, depth)
            || cursor.Fail(cast is null ? "\"::\", " + ItemEndExpected(depth) : ItemEndExpected(depth));
    }

    /// <summary>
    /// <c>[json path][::cast][.aggregate()[::cast]]</c> after a column's name: the first cast applies to the column
    /// (the aggregate's input), the second to the aggregate's result.
    /// </summary>
    private static bool TryColumn(Cursor cursor, int depth, string column, string? alias, out SelectItem item)
    {
        item = SelectAll.Instance;
        if (!TryJsonPath(cursor, out var path))
        {
            return false;
        }

        cursor.SkipSpaces();
        string? cast = null;
        if (cursor.Skip("::") && !TryCastType(cursor, out cast))
        {
            return false;
        }

        AggregateFunction? aggregate = null;
        string? aggregateCast = null;
        if (cursor.Is('.'))
        {
            if (!TryAggregate(cursor, out aggregate))
            {
                return false;
            }

            if (cursor.Skip("::") && !TryCastType(cursor, out aggregateCast))
            {
                return false;
            }
        }

        cursor.SkipSpaces();
        item = new SelectField(new Field(column, path), alias, cast) { Aggregate = aggregate, AggregateCast = aggregateCast };
        if (AtItemEnd(cursor, depth))
        {
            return true;
        }

        // What could have come next, given what came already.
        var expected = new List<string>();
        if (path.Count == 0 && cast is null && aggregate is null && column != "count")
        {
            expected.Add("\"(\"");
            expected.Add("\"!\"");
        }

        if (cast is null && aggregate is null)
        {
            expected.Add("\"->\"");
            expected.Add("\"->>\"");
        }

        if (aggregate is null ? cast is null : aggregateCast is null)
        {
            expected.Add("\"::\"");
        }

        if (aggregate is null)
        {
            expected.Add(AggregateExpected);
        }

        expected.Add(ItemEndExpected(depth));
        return cursor.Fail(string.Join(", ", expected));
    }

    /// <summary><c>.sum()</c>, <c>.avg()</c>, <c>.count()</c>, <c>.max()</c> or <c>.min()</c>.</summary>
    private static bool TryAggregate(Cursor cursor, out AggregateFunction? aggregate)
    {
        aggregate = null;
        cursor.Position++;
        var start = cursor.Position;
        if (!Aggregates.TryGetValue(cursor.ReadWhile(char.IsAsciiLetterLower), out var function))
        {
            cursor.Position = start;
            return cursor.Fail(AggregateExpected);
        }

        if (!cursor.Skip("()"))
        {
            return cursor.Fail("\"()\"");
        }

        aggregate = function;
        return true;
    }

    /// <summary>Whether the current select item ends here: at <c>,</c>, or at the end (depth 0) or <c>)</c> (inside an embed).</summary>
    private static bool AtItemEnd(Cursor cursor, int depth) => cursor.Is(',') || (depth == 0 ? cursor.AtEnd : cursor.Is(')'));

    private static string ItemEndExpected(int depth) => depth == 0 ? "\",\" or end of input" : "\",\" or \")\"";

    /// <summary><c>alias:</c> (a single colon; <c>::</c> is a cast), or nothing, leaving the cursor where it was.</summary>
    private static string? TryAlias(Cursor cursor)
    {
        var start = cursor.Position;
        if (TryFieldName(cursor, out var alias) && cursor.Is(':') && !cursor.IsAt("::"))
        {
            cursor.Position++;
            return alias;
        }

        cursor.Position = start;
        return null;
    }

    /// <summary>A type name of <c>[A-Za-z0-9_ $]</c>, optionally followed by <c>[]</c>s (<c>int</c>, <c>double precision</c>, <c>text[]</c>).</summary>
    private static bool TryCastType(Cursor cursor, out string? cast)
    {
        cast = null;
        var start = cursor.Position;
        var name = cursor.ReadWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or ' ' or '$').Trim(' ');
        // The name becomes SQL text (a type cannot be a parameter), so each word must read as an identifier:
        // a letter or '_' first. A word starting with '$' or a digit could be a parameter ($1), a number, or the
        // start of a dollar quote (1$$, $x$).
        if (name.Length > 0 && name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(word => !(char.IsAsciiLetter(word[0]) || word[0] == '_')))
        {
            cursor.Position = start;
            return cursor.Fail("type name (words of [A-Za-z0-9_$] starting with a letter or _)");
        }

        if (name.Length == 0)
        {
            cursor.Position = start;
            return cursor.Fail("type name ([A-Za-z0-9_ $])");
        }

        var dimensions = 0;
        while (cursor.Skip("[]"))
        {
            dimensions++;
        }

        cast = name + string.Concat(Enumerable.Repeat("[]", dimensions));
        return true;
    }

    /// <summary><c>field[.asc|.desc][.nullsfirst|.nullslast]</c>, where the field may be an embed's column: <c>client(name)</c>.</summary>
    private static bool TryOrderTerm(Cursor cursor, out OrderTerm term)
    {
        term = null!;
        cursor.SkipSpaces();
        if (!TryFieldName(cursor, out var column))
        {
            return false;
        }

        string? embed = null;
        if (cursor.Skip('('))
        {
            embed = column;
            cursor.SkipSpaces();
            if (!TryFieldName(cursor, out column))
            {
                return false;
            }
        }

        if (!TryJsonPath(cursor, out var path))
        {
            return false;
        }

        if (embed is not null)
        {
            cursor.SkipSpaces();
            if (!cursor.Skip(')'))
            {
                return cursor.Fail("\"->\", \"->>\" or \")\"");
            }
        }

        cursor.SkipSpaces();
        OrderDirection? direction = null;
        OrderNulls? nulls = null;
        while (nulls is null && cursor.Skip('.'))
        {
            var wordStart = cursor.Position;
            switch (cursor.ReadWhile(char.IsAsciiLetterLower))
            {
                case "asc" when direction is null:
                    direction = OrderDirection.Ascending;
                    break;
                case "desc" when direction is null:
                    direction = OrderDirection.Descending;
                    break;
                case "nullsfirst":
                    nulls = OrderNulls.First;
                    break;
                case "nullslast":
                    nulls = OrderNulls.Last;
                    break;
                default:
                    cursor.Position = wordStart;
                    return cursor.Fail(direction is null
                        ? "\"asc\", \"desc\", \"nullsfirst\" or \"nullslast\""
                        : "\"nullsfirst\" or \"nullslast\"");
            }
        }

        cursor.SkipSpaces();
        if (!AtItemEnd(cursor, 0))
        {
            return cursor.Fail(nulls is null ? "delimiter (.), \",\" or end of input" : "\",\" or end of input");
        }

        term = new OrderTerm(new Field(column, path), direction, nulls) { Embed = embed };
        return true;
    }

    private static bool TryLogicExpression(Cursor cursor, int depth, out LogicExpression expression)
    {
        expression = null!;
        var negated = cursor.Skip("not.");
        LogicOperator logicOperator;
        if (cursor.Skip("and"))
        {
            logicOperator = LogicOperator.And;
        }
        else if (cursor.Skip("or"))
        {
            logicOperator = LogicOperator.Or;
        }
        else
        {
            return cursor.Fail("logic operator (and, or)");
        }

        cursor.SkipSpaces();
        if (!cursor.Skip('('))
        {
            return cursor.Fail("\"(\"");
        }

        if (depth > MaxLogicDepth)
        {
            return cursor.Stop($"logic trees (and/or) may nest at most {MaxLogicDepth} levels deep");
        }

        var children = new List<LogicTree>();
        do
        {
            cursor.SkipSpaces();
            if (!TryLogicTree(cursor, depth, out var child))
            {
                return false;
            }

            children.Add(child);
            cursor.SkipSpaces();
        }
        while (cursor.Skip(','));

        if (!cursor.Skip(')'))
        {
            return cursor.Fail("\",\" or \")\"");
        }

        expression = new LogicExpression(negated, logicOperator, children);
        return true;
    }

    /// <summary>An item inside <c>and(...)</c>/<c>or(...)</c>: a filter if it reads as one, else a nested expression.</summary>
    private static bool TryLogicTree(Cursor cursor, int depth, out LogicTree tree)
    {
        var start = cursor.Position;
        if (TryLogicFilter(cursor, out var filter))
        {
            tree = new LogicFilter(filter);
            return true;
        }

        tree = null!;
        if (cursor.IsStopped)
        {
            return false;
        }

        cursor.Position = start;
        if (!TryLogicExpression(cursor, depth + 1, out var expression))
        {
            return false;
        }

        tree = expression;
        return true;
    }

    private static bool TryLogicFilter(Cursor cursor, out Filter filter)
    {
        filter = null!;
        if (!TryFieldName(cursor, out var column) || !TryJsonPath(cursor, out var path))
        {
            return false;
        }

        cursor.SkipSpaces();
        if (!cursor.Skip('.'))
        {
            return cursor.Fail("delimiter (.)");
        }

        if (!TryCondition(cursor, ValueStyle.LogicItem, out var negated, out var operation, out _))
        {
            return false;
        }

        filter = new Filter(new Field(column, path), negated, operation);
        return true;
    }

    /// <summary>
    /// <c>[not.]operator...value</c>. <paramref name="committed"/> turns true once the text has shown itself to be an
    /// operator expression (<c>not.</c>, or an operator and its delimiter); a failure before that means "not an operator".
    /// </summary>
    private static bool TryCondition(Cursor cursor, ValueStyle style, out bool negated, out Operation operation, out bool committed)
    {
        operation = null!;
        negated = cursor.Skip("not.");
        committed = negated;
        var wordStart = cursor.Position;
        var word = cursor.ReadWhile(char.IsAsciiLetterLower);

        if (Quantifiable.TryGetValue(word, out var quantifiable))
        {
            var quantifier = cursor.Skip("(any)") ? Quantifier.Any : cursor.Skip("(all)") ? Quantifier.All : Quantifier.None;
            if (!cursor.Skip('.'))
            {
                return cursor.Fail(quantifier == Quantifier.None ? "\"(any)\", \"(all)\" or delimiter (.)" : "delimiter (.)");
            }

            committed = true;
            var valueStart = cursor.Position;
            if (!TryValue(cursor, style, out var value))
            {
                return false;
            }

            if (quantifier != Quantifier.None && !(value.StartsWith('{') && value.EndsWith('}')))
            {
                cursor.Position = valueStart;
                return cursor.Fail($"array literal {{...}} after ({(quantifier == Quantifier.Any ? "any" : "all")})");
            }

            if (quantifiable is CompareOperator.Like or CompareOperator.ILike)
            {
                value = value.Replace('*', '%');
            }

            operation = new CompareOperation(quantifiable, quantifier, value);
            return true;
        }

        if (Unquantifiable.TryGetValue(word, out var unquantifiable))
        {
            if (!cursor.Skip('.'))
            {
                return cursor.Fail(cursor.Is('(')
                    ? $"delimiter (.) ({word} takes no (any)/(all); only eq, gt, gte, lt, lte, like, ilike, match and imatch do)"
                    : "delimiter (.)");
            }

            committed = true;
            if (!TryValue(cursor, style, out var value))
            {
                return false;
            }

            operation = new CompareOperation(unquantifiable, Quantifier.None, value);
            return true;
        }

        if (FullText.TryGetValue(word, out var fullText))
        {
            string? configuration = null;
            if (cursor.Skip('('))
            {
                configuration = cursor.ReadWhile(IsIdentifierChar).Trim(' ');
                if (configuration.Length == 0 || !cursor.Skip(')'))
                {
                    return cursor.Fail("text search configuration ([a..z0..9_ $]) and \")\"");
                }
            }

            if (!cursor.Skip('.'))
            {
                return cursor.Fail(configuration is null ? "\"(\" or delimiter (.)" : "delimiter (.)");
            }

            committed = true;
            if (!TryValue(cursor, style, out var query))
            {
                return false;
            }

            operation = new FullTextOperation(fullText, configuration, query);
            return true;
        }

        if (word is "in" or "is")
        {
            if (!cursor.Skip('.'))
            {
                return cursor.Fail("delimiter (.)");
            }

            committed = true;
            if (word == "is")
            {
                var valueStart = cursor.Position;
                if (!IsValues.TryGetValue(cursor.ReadWhile(ch => char.IsAsciiLetter(ch) || ch == '_'), out var isValue))
                {
                    cursor.Position = valueStart;
                    return cursor.Fail("null, not_null, true, false or unknown");
                }

                operation = new IsOperation(isValue);
                return true;
            }

            if (!TryList(cursor, out var values))
            {
                return false;
            }

            operation = new InOperation(values);
            return true;
        }

        cursor.Position = wordStart;
        return cursor.Fail(OperatorExpected);
    }

    /// <summary>
    /// The value after an operator. At the top level it is the rest of the parameter, verbatim. Inside a logic tree
    /// it ends at <c>,</c> or <c>)</c> (trailing spaces dropped), unless double-quoted (quotes removed, <c>\</c>
    /// escapes) or an array literal <c>{...}</c> (kept whole, braces included).
    /// </summary>
    private static bool TryValue(Cursor cursor, ValueStyle style, out string value)
    {
        if (style == ValueStyle.RestOfInput)
        {
            value = cursor.Text[cursor.Position..];
            cursor.Position = cursor.Text.Length;
            return true;
        }

        var start = cursor.Position;
        if (cursor.Is('"') && TryQuoted(cursor, out value))
        {
            cursor.SkipSpaces();
            if (cursor.AtEnd || cursor.Is(',') || cursor.Is(')'))
            {
                return true;
            }

            cursor.Position = start;
        }

        if (cursor.Is('{') && TryArrayLiteral(cursor))
        {
            value = cursor.Text[start..cursor.Position];
            return true;
        }

        // Whitespace before the next , or ) surrounds the item rather than belonging to the value.
        cursor.Position = start;
        value = cursor.ReadWhile(ch => ch is not (',' or ')')).TrimEnd(' ', '\t');
        return true;
    }

    /// <summary><c>{...}</c> with balanced braces (so <c>{{1,2},{3,4}}</c> stays whole).</summary>
    private static bool TryArrayLiteral(Cursor cursor)
    {
        var depth = 0;
        while (!cursor.AtEnd)
        {
            var ch = cursor.Current;
            cursor.Position++;
            depth += ch switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>(a, "b,c", d)</c>: elements may be double-quoted (with <c>\</c> escapes) to hold <c>,</c> and <c>)</c>;
    /// unquoted ones are literal text, trimmed. <c>()</c> is the empty list.
    /// </summary>
    private static bool TryList(Cursor cursor, out IReadOnlyList<string> values)
    {
        var elements = new List<string>();
        values = elements;
        cursor.SkipSpaces();
        if (!cursor.Skip('('))
        {
            return cursor.Fail("\"(\"");
        }

        var onlyBlank = true;
        do
        {
            cursor.SkipSpaces();
            var start = cursor.Position;
            if (cursor.Is('"') && TryQuoted(cursor, out var quoted))
            {
                cursor.SkipSpaces();
                if (cursor.Is(',') || cursor.Is(')'))
                {
                    elements.Add(quoted);
                    onlyBlank = false;
                    continue;
                }

                cursor.Position = start;
            }

            var element = cursor.ReadWhile(ch => ch is not (',' or ')')).Trim(' ', '\t');
            onlyBlank &= element.Length == 0;
            elements.Add(element);
        }
        while (cursor.Skip(','));

        if (!cursor.Skip(')'))
        {
            return cursor.Fail("\",\" or \")\"");
        }

        if (onlyBlank && elements.Count == 1)
        {
            elements.Clear();
        }

        cursor.SkipSpaces();
        return true;
    }

    /// <summary>A name: <c>"anything, with \" escapes"</c>, or identifier parts of <c>[letters digits _ $ space]</c> joined by <c>-</c>.</summary>
    private static bool TryFieldName(Cursor cursor, out string name)
    {
        if (cursor.Is('"'))
        {
            return TryQuoted(cursor, out name);
        }

        return TryDashSeparated(cursor, IsIdentifierChar, FieldNameExpected, out name);
    }

    /// <summary>
    /// <c>part(-part)*</c>, each part trimmed, where a <c>-</c> followed by <c>&gt;</c> is a JSON arrow and ends the name.
    /// </summary>
    private static bool TryDashSeparated(Cursor cursor, Func<char, bool> isPartChar, string expected, out string name)
    {
        name = "";
        var joined = new StringBuilder();
        while (true)
        {
            var partStart = cursor.Position;
            var part = cursor.ReadWhile(isPartChar).Trim(' ');
            if (part.Length == 0)
            {
                cursor.Position = partStart;
                return cursor.Fail(expected);
            }

            joined.Append(part);
            if (!cursor.Is('-') || cursor.IsAt("->"))
            {
                name = joined.ToString();
                return true;
            }

            cursor.Position++;
            joined.Append('-');
        }
    }

    private static bool TryQuoted(Cursor cursor, out string value)
    {
        value = "";
        var text = new StringBuilder();
        cursor.Position++;
        while (!cursor.AtEnd)
        {
            var ch = cursor.Current;
            cursor.Position++;
            if (ch == '"')
            {
                value = text.ToString();
                return true;
            }

            if (ch == '\\')
            {
                if (cursor.AtEnd)
                {
                    break;
                }

                ch = cursor.Current;
                cursor.Position++;
            }

            text.Append(ch);
        }

        return cursor.Fail("closing quote (\")");
    }

    /// <summary><c>(-&gt;|-&gt;&gt;)(key|index)</c>, any number of times.</summary>
    private static bool TryJsonPath(Cursor cursor, out IReadOnlyList<JsonPathStep> path)
    {
        var steps = new List<JsonPathStep>();
        path = steps;
        while (true)
        {
            bool asText;
            if (cursor.Skip("->>"))
            {
                asText = true;
            }
            else if (cursor.Skip("->"))
            {
                asText = false;
            }
            else
            {
                return true;
            }

            if (!TryJsonOperand(cursor, asText, out var step))
            {
                return false;
            }

            steps.Add(step);
        }
    }

    private static bool TryJsonOperand(Cursor cursor, bool asText, out JsonPathStep step)
    {
        step = null!;
        var text = cursor.Text;
        var start = cursor.Position;
        var end = start < text.Length && text[start] == '-' ? start + 1 : start;
        var digitsStart = end;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end > digitsStart && IsIndexEnd(text, end))
        {
            if (!int.TryParse(text.AsSpan(start, end - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            {
                return cursor.Fail("array index between -2147483648 and 2147483647");
            }

            cursor.Position = end;
            step = JsonPathStep.ForIndex(index, asText);
            return true;
        }

        string key;
        if (cursor.Is('"'))
        {
            if (!TryQuoted(cursor, out key))
            {
                return false;
            }
        }
        else if (!TryDashSeparated(cursor, IsJsonKeyChar, JsonKeyExpected, out key))
        {
            return false;
        }

        step = JsonPathStep.ForKey(key, asText);
        return true;
    }

    /// <summary>Whether digits end here as an index (<c>-&gt;0.eq.1</c>, <c>-&gt;0::int</c>) rather than starting a key (<c>-&gt;0abc</c>).</summary>
    private static bool IsIndexEnd(string text, int position) =>
        position >= text.Length
        || text[position] is '.' or ',' or ')' or ' ' or '\t'
        || text.AsSpan(position).StartsWith("->", StringComparison.Ordinal)
        || text.AsSpan(position).StartsWith("::", StringComparison.Ordinal);

    private static bool IsIdentifierChar(char ch) => char.IsLetter(ch) || char.IsAsciiDigit(ch) || ch is '_' or '$' or ' ';

    private static bool IsJsonKeyChar(char ch) => ch is not ('(' or '-' or ':' or '.' or ',' or '>' or ')');
}
