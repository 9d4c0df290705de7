using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class FilterTests
{
    [Theory]
    [InlineData("eq.5", "Equal", "5")]
    [InlineData("neq.5", "NotEqual", "5")]
    [InlineData("gt.5", "GreaterThan", "5")]
    [InlineData("gte.5", "GreaterThanOrEqual", "5")]
    [InlineData("lt.5", "LessThan", "5")]
    [InlineData("lte.5", "LessThanOrEqual", "5")]
    [InlineData("like.a*b", "Like", "a%b")]
    [InlineData("ilike.*x*", "ILike", "%x%")]
    [InlineData("match.^a.*z$", "Match", "^a.*z$")]
    [InlineData("imatch.^A", "IMatch", "^A")]
    [InlineData("isdistinct.5", "IsDistinctFrom", "5")]
    [InlineData("cs.{1,2}", "Contains", "{1,2}")]
    [InlineData("cd.{1,2}", "ContainedIn", "{1,2}")]
    [InlineData("ov.[1,5]", "Overlaps", "[1,5]")]
    [InlineData("sl.(1,5)", "StrictlyLeft", "(1,5)")]
    [InlineData("sr.[1,5)", "StrictlyRight", "[1,5)")]
    [InlineData("nxr.[1,5]", "NotExtendsRight", "[1,5]")]
    [InlineData("nxl.[1,5]", "NotExtendsLeft", "[1,5]")]
    [InlineData("adj.[1,5]", "Adjacent", "[1,5]")]
    public void Every_binary_operator_parses(string value, string op, string expected)
    {
        var filter = SingleFilter("col=" + Uri.EscapeDataString(value));

        var operation = Assert.IsType<CompareOperation>(filter.Operation);
        Assert.Equal(Enum.Parse<CompareOperator>(op), operation.Operator);
        Assert.Equal(Quantifier.None, operation.Quantifier);
        Assert.Equal(expected, operation.Value);
        Assert.False(filter.Negated);
    }

    [Theory]
    [InlineData("eq.", "")]
    [InlineData("eq.a.b.c", "a.b.c")]
    [InlineData("eq.\"quoted\"", "\"quoted\"")]
    [InlineData("eq. padded ", " padded ")]
    [InlineData("eq.(a,b)", "(a,b)")]
    public void The_value_is_the_rest_of_the_parameter_verbatim(string value, string expected)
    {
        var filter = SingleFilter("col=" + Uri.EscapeDataString(value));

        Assert.Equal(expected, Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Not_negates_any_operator()
    {
        var filter = SingleFilter("age=not.gt.18");

        Assert.True(filter.Negated);
        Assert.Equal(CompareOperator.GreaterThan, Assert.IsType<CompareOperation>(filter.Operation).Operator);
    }

    [Theory]
    [InlineData("in.(1,2,3)", new[] { "1", "2", "3" })]
    [InlineData("in.(a,\"b,c\",d)", new[] { "a", "b,c", "d" })]
    [InlineData("in.(\"a\\\"b\",\"c\\\\d\")", new[] { "a\"b", "c\\d" })]
    [InlineData("in.(\"x)y\",z)", new[] { "x)y", "z" })]
    [InlineData("in.(a, b , c)", new[] { "a", "b", "c" })]
    [InlineData("in.(\"\")", new[] { "" })]
    [InlineData("in.(a,,b)", new[] { "a", "", "b" })]
    [InlineData("in.()", new string[0])]
    [InlineData("in.( )", new string[0])]
    [InlineData("in.(a\"b)", new[] { "a\"b" })]
    public void In_lists_parse_quotes_escapes_and_empty_lists(string value, string[] expected)
    {
        var filter = SingleFilter("col=" + Uri.EscapeDataString(value));

        Assert.Equal(expected, Assert.IsType<InOperation>(filter.Operation).Values);
    }

    [Fact]
    public void Not_in_empty_list_parses()
    {
        var filter = SingleFilter("id=not.in.()");

        Assert.True(filter.Negated);
        Assert.Empty(Assert.IsType<InOperation>(filter.Operation).Values);
    }

    [Theory]
    [InlineData("in.1,2")]
    [InlineData("in.(1,2")]
    [InlineData("in.(1)x")]
    [InlineData("in.")]
    public void Malformed_in_list_is_400_PGRST100(string value)
    {
        AssertParseError(GetError("col=" + Uri.EscapeDataString(value)));
    }

    [Theory]
    [InlineData("is.null", "Null")]
    [InlineData("is.NULL", "Null")]
    [InlineData("is.not_null", "NotNull")]
    [InlineData("is.Not_Null", "NotNull")]
    [InlineData("is.true", "True")]
    [InlineData("is.TRUE", "True")]
    [InlineData("is.false", "False")]
    [InlineData("is.unknown", "Unknown")]
    public void Is_values_are_case_insensitive(string value, string expected)
    {
        var filter = SingleFilter("col=" + value);

        Assert.Equal(Enum.Parse<IsValue>(expected), Assert.IsType<IsOperation>(filter.Operation).Value);
    }

    [Theory]
    [InlineData("is.maybe")]
    [InlineData("is.nullx")]
    [InlineData("is.")]
    [InlineData("is.1")]
    [InlineData("is.null.x")]
    public void Other_is_values_are_400_PGRST100(string value)
    {
        AssertParseError(GetError("col=" + value));
    }

    [Theory]
    [InlineData("fts.cat", "Fts", null, "cat")]
    [InlineData("fts(english).cat & dog", "Fts", "english", "cat & dog")]
    [InlineData("plfts.fat cats", "Plain", null, "fat cats")]
    [InlineData("phfts(french).le chat", "Phrase", "french", "le chat")]
    [InlineData("wfts.\"fat cat\" -dog", "WebSearch", null, "\"fat cat\" -dog")]
    [InlineData("wfts(simple).x", "WebSearch", "simple", "x")]
    public void Full_text_operators_take_an_optional_configuration(string value, string op, string? config, string query)
    {
        var filter = SingleFilter("body=" + Uri.EscapeDataString(value));

        var operation = Assert.IsType<FullTextOperation>(filter.Operation);
        Assert.Equal(Enum.Parse<FullTextOperator>(op), operation.Operator);
        Assert.Equal(config, operation.Configuration);
        Assert.Equal(query, operation.Query);
    }

    [Theory]
    [InlineData("fts().x")]
    [InlineData("fts(english.x")]
    [InlineData("fts(eng;lish).x")]
    public void Malformed_full_text_configuration_is_400_PGRST100(string value)
    {
        AssertParseError(GetError("body=" + Uri.EscapeDataString(value)));
    }

    [Theory]
    [InlineData("eq(any).{1,2}", "Equal", "Any", "{1,2}")]
    [InlineData("eq(all).{1,2}", "Equal", "All", "{1,2}")]
    [InlineData("gt(any).{1,2}", "GreaterThan", "Any", "{1,2}")]
    [InlineData("gte(all).{1}", "GreaterThanOrEqual", "All", "{1}")]
    [InlineData("lt(any).{1}", "LessThan", "Any", "{1}")]
    [InlineData("lte(any).{1}", "LessThanOrEqual", "Any", "{1}")]
    [InlineData("like(any).{O*,P*}", "Like", "Any", "{O%,P%}")]
    [InlineData("ilike(all).{*a*,*b*}", "ILike", "All", "{%a%,%b%}")]
    [InlineData("match(any).{^a,^b}", "Match", "Any", "{^a,^b}")]
    [InlineData("imatch(all).{a,b}", "IMatch", "All", "{a,b}")]
    public void Quantified_operators_take_an_array_literal(string value, string op, string quantifier, string expected)
    {
        var filter = SingleFilter("col=" + Uri.EscapeDataString(value));

        var operation = Assert.IsType<CompareOperation>(filter.Operation);
        Assert.Equal(Enum.Parse<CompareOperator>(op), operation.Operator);
        Assert.Equal(Enum.Parse<Quantifier>(quantifier), operation.Quantifier);
        Assert.Equal(expected, operation.Value);
    }

    [Theory]
    [InlineData("neq(any).{1}")]
    [InlineData("cs(any).{1}")]
    [InlineData("isdistinct(all).{1}")]
    [InlineData("eq(some).{1}")]
    [InlineData("eq(any).5")]
    [InlineData("eq(any).{1")]
    public void Quantifier_on_other_operators_or_without_array_is_400_PGRST100(string value)
    {
        AssertParseError(GetError("col=" + Uri.EscapeDataString(value)));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("hello")]
    [InlineData("eq")]
    [InlineData("EQ.5")]
    [InlineData("noop.5")]
    [InlineData("eq5")]
    [InlineData("not.5")]
    [InlineData("not.noop.5")]
    [InlineData("")]
    public void Non_operator_value_on_a_relation_is_400_PGRST100(string value)
    {
        AssertParseError(GetError("col=" + value));
    }

    [Fact]
    public void Unknown_operator_error_names_the_filter_and_the_operator()
    {
        var error = GetError("id=noop.5");

        Assert.Equal("\"failed to parse filter (noop.5)\" (line 1, column 1)", error.Message);
        Assert.StartsWith("unexpected \"noop\" expecting \"not\" or operator (eq, neq,", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void A_column_may_repeat()
    {
        var filters = Get("id=gt.1&id=lt.5").Filters;

        Assert.Equal(2, filters.Count);
        Assert.All(filters, f => Assert.Equal("id", f.Field.Column));
    }

    [Fact]
    public void Filter_key_may_carry_a_json_path()
    {
        var filter = SingleFilter("data->a->>b=eq.x");

        Assert.Equal("data", filter.Field.Column);
        Assert.Equal(["->a", "->>b"], filter.Field.JsonPath.Select(step => step.ToString()));
    }

    [Theory]
    [InlineData("data->0=eq.1", 0)]
    [InlineData("data->-1=eq.1", -1)]
    [InlineData("data->>12=eq.1", 12)]
    public void Filter_key_json_path_may_index_arrays(string query, int index)
    {
        Assert.Equal(index, Assert.Single(SingleFilter(query).Field.JsonPath).Index);
    }

    [Fact]
    public void Quoted_key_with_dots_is_one_column()
    {
        Assert.Equal("a.b", SingleFilter("%22a.b%22=eq.1").Field.Column);
    }

    [Theory]
    [InlineData("child.id=eq.1", new[] { "child" }, "id")]
    [InlineData("a.b.c=eq.1", new[] { "a", "b" }, "c")]
    public void Filter_on_an_embedded_resource_is_kept_for_its_path(string query, string[] path, string column)
    {
        var request = Get(query);

        Assert.Empty(request.Filters);
        var embed = Assert.Single(request.Embedded);
        Assert.Equal(path, embed.Path);
        Assert.Equal(column, Assert.Single(embed.Filters).Field.Column);
    }

    [Theory]
    [InlineData("id::text=eq.1")]
    [InlineData("id%5B%5D=eq.1")]
    [InlineData("data->=eq.1")]
    [InlineData("=eq.1")]
    public void Malformed_filter_key_is_400_PGRST100(string query)
    {
        var error = GetError(query);

        AssertParseError(error);
        Assert.StartsWith("\"failed to parse tree path", error.Message, StringComparison.Ordinal);
    }
}
