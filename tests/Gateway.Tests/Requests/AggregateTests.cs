using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

/// <summary>
/// Aggregates in <c>?select=</c>: <c>count()</c> and <c>column.sum()</c> and the like. They always parse; whether they
/// are allowed (<c>Gateway:AggregatesEnabled</c>) is the planner's question.
/// </summary>
public sealed class AggregateTests
{
    [Theory]
    [InlineData("amount.sum()", "Sum", "sum")]
    [InlineData("amount.avg()", "Avg", "avg")]
    [InlineData("amount.min()", "Min", "min")]
    [InlineData("amount.max()", "Max", "max")]
    [InlineData("amount.count()", "Count", "count")]
    public void An_aggregate_of_a_column_outputs_under_the_function_name(string select, string function, string outputName)
    {
        var field = SingleField("select=" + select);

        Assert.Equal("amount", field.Field.Column);
        Assert.Equal(Enum.Parse<AggregateFunction>(function), field.Aggregate);
        Assert.Null(field.Cast);
        Assert.Null(field.AggregateCast);
        Assert.Equal(outputName, field.OutputName);
    }

    [Fact]
    public void A_cast_before_the_aggregate_casts_its_input()
    {
        var field = SingleField("select=amount::int.sum()");

        Assert.Equal("int", field.Cast);
        Assert.Null(field.AggregateCast);
        Assert.Equal(AggregateFunction.Sum, field.Aggregate);
    }

    [Fact]
    public void A_cast_after_the_aggregate_casts_its_result()
    {
        var field = SingleField("select=total_charged:invoice_total.sum()::text");

        Assert.Null(field.Cast);
        Assert.Equal("text", field.AggregateCast);
        Assert.Equal("total_charged", field.OutputName);
    }

    [Fact]
    public void An_alias_a_json_path_and_both_casts_combine()
    {
        var field = SingleField("select=s:jsonb_col->>key::integer.sum()::text");

        Assert.Equal("jsonb_col", field.Field.Column);
        Assert.Equal("->>key", Assert.Single(field.Field.JsonPath).ToString());
        Assert.Equal("integer", field.Cast);
        Assert.Equal(AggregateFunction.Sum, field.Aggregate);
        Assert.Equal("text", field.AggregateCast);
        Assert.Equal("s", field.OutputName);
    }

    [Fact]
    public void Count_of_rows_parses()
    {
        var count = SingleCount("select=count()");

        Assert.Null(count.Alias);
        Assert.Null(count.Cast);
        Assert.Equal("count", count.OutputName);
    }

    [Fact]
    public void Count_of_rows_takes_an_alias_and_a_cast()
    {
        var count = SingleCount("select=cnt:count()::text");

        Assert.Equal("cnt", count.OutputName);
        Assert.Equal("text", count.Cast);
    }

    [Fact]
    public void Aggregates_group_by_the_other_selected_columns_as_plain_items()
    {
        var items = Get("select=c:count(),client_id,invoice_total.max()").Select;

        Assert.IsType<SelectCount>(items[0]);
        Assert.Null(Assert.IsType<SelectField>(items[1]).Aggregate);
        Assert.Equal(AggregateFunction.Max, Assert.IsType<SelectField>(items[2]).Aggregate);
    }

    [Fact]
    public void Aggregates_parse_inside_embeds_and_spreads()
    {
        var items = Get("select=name,project_invoices(invoice_total.sum()),...processes(processes_count:count())").Select;

        Assert.Equal(AggregateFunction.Sum, Assert.IsType<SelectField>(Assert.Single(Assert.IsType<SelectEmbed>(items[1]).Select)).Aggregate);
        Assert.Equal("processes_count", Assert.IsType<SelectCount>(Assert.Single(Assert.IsType<SelectEmbed>(items[2]).Select)).OutputName);
    }

    [Fact]
    public void A_bare_count_column_is_a_column()
    {
        var field = SingleField("select=count");

        Assert.Equal("count", field.Field.Column);
        Assert.Null(field.Aggregate);
    }

    [Theory]
    [InlineData("amount.total()")]
    [InlineData("amount.sum")]
    [InlineData("amount.sum(x)")]
    [InlineData("amount.SUM()")]
    [InlineData("amount.sum()::")]
    [InlineData("amount.sum().avg()")]
    [InlineData("amount.sum()::int::text")]
    [InlineData("amount::int::text")]
    [InlineData("amount.sum()->x")]
    [InlineData("count()x")]
    [InlineData("count()::int.sum()")]
    [InlineData("count(id)")]
    [InlineData("a:b:count()")]
    public void Malformed_aggregate_is_400_PGRST100(string select)
    {
        AssertParseError(GetError("select=" + Uri.EscapeDataString(select)));
    }

    [Fact]
    public void Unknown_aggregate_error_lists_the_aggregates()
    {
        var error = GetError("select=amount.total()");

        Assert.Equal("\"failed to parse select parameter (amount.total())\" (line 1, column 8)", error.Message);
        Assert.Equal("unexpected \"total\" expecting aggregate (.sum(), .avg(), .count(), .max() or .min())", error.Details);
    }

    private static SelectField SingleField(string query) => Assert.IsType<SelectField>(Assert.Single(Get(query).Select));

    private static SelectCount SingleCount(string query) => Assert.IsType<SelectCount>(Assert.Single(Get(query).Select));
}
