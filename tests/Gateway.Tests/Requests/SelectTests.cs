using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class SelectTests
{
    [Fact]
    public void Missing_select_means_star()
    {
        Assert.Equal([SelectAll.Instance], Get("").Select);
    }

    [Fact]
    public void Star_selects_all()
    {
        Assert.Equal([SelectAll.Instance], Get("select=*").Select);
    }

    [Fact]
    public void Empty_select_selects_nothing()
    {
        Assert.Empty(Get("select=").Select);
    }

    [Fact]
    public void Items_are_separated_by_commas_and_whitespace_is_ignored()
    {
        var items = Fields("select=+id+,+name,*");

        Assert.Equal(["id", "name"], items.Select(i => i.Field.Column));
        Assert.IsType<SelectAll>(Get("select=+id+,+name,*").Select[2]);
    }

    [Fact]
    public void Alias_renames_the_output_key()
    {
        var item = Single("select=title:name");

        Assert.Equal("name", item.Field.Column);
        Assert.Equal("title", item.Alias);
        Assert.Equal("title", item.OutputName);
    }

    [Theory]
    [InlineData("id::text", "text")]
    [InlineData("amount::double precision", "double precision")]
    [InlineData("tags::text[]", "text[]")]
    [InlineData("grid::int[][]", "int[][]")]
    [InlineData("id::_int4", "_int4")]
    public void Cast_keeps_the_type_name(string select, string cast)
    {
        Assert.Equal(cast, Single("select=" + Uri.EscapeDataString(select)).Cast);
    }

    [Fact]
    public void Json_path_with_keys_outputs_the_last_key()
    {
        var item = Single("select=settings->foo->>bar");

        Assert.Equal("settings", item.Field.Column);
        Assert.Equal(["->foo", "->>bar"], item.Field.JsonPath.Select(step => step.ToString()));
        Assert.Equal("bar", item.OutputName);
    }

    [Fact]
    public void Json_path_of_only_indexes_outputs_the_column()
    {
        var item = Single("select=data->>0::int");

        Assert.Equal(0, Assert.Single(item.Field.JsonPath).Index);
        Assert.True(item.Field.JsonPath[0].AsText);
        Assert.Equal("int", item.Cast);
        Assert.Equal("data", item.OutputName);
    }

    [Fact]
    public void Json_path_accepts_negative_indexes()
    {
        var item = Single("select=data->-1->name");

        Assert.Equal(-1, item.Field.JsonPath[0].Index);
        Assert.Equal("name", item.Field.JsonPath[1].Key);
        Assert.Equal("name", item.OutputName);
    }

    [Fact]
    public void Select_with_alias_cast_and_json_path_parses()
    {
        var item = Single("select=total:data->amount::numeric");

        Assert.Equal("data", item.Field.Column);
        Assert.Equal("amount", Assert.Single(item.Field.JsonPath).Key);
        Assert.Equal("numeric", item.Cast);
        Assert.Equal("total", item.OutputName);
    }

    [Fact]
    public void Double_quoted_names_may_hold_any_character()
    {
        var item = Single("select=" + Uri.EscapeDataString("\"a.b\":\"x,y:z\\\"q\""));

        Assert.Equal("a.b", item.Alias);
        Assert.Equal("x,y:z\"q", item.Field.Column);
    }

    [Fact]
    public void Quoted_json_keys_may_hold_reserved_characters()
    {
        var item = Single("select=" + Uri.EscapeDataString("data->\"a.b,c\""));

        Assert.Equal("a.b,c", Assert.Single(item.Field.JsonPath).Key);
    }

    [Theory]
    [InlineData("first name", "first name")]
    [InlineData("a-b", "a-b")]
    [InlineData("$col_1", "$col_1")]
    [InlineData("café", "café")]
    public void Identifiers_allow_letters_digits_underscore_dollar_space_and_dash(string select, string column)
    {
        Assert.Equal(column, Single("select=" + Uri.EscapeDataString(select)).Field.Column);
    }

    [Theory]
    [InlineData("rel(*)", "rel")]
    [InlineData("id,clients(id,name)", "clients")]
    [InlineData("c:clients!inner(*)", "clients")]
    [InlineData("clients!fk_name(*)", "clients")]
    [InlineData("...clients(name)", "clients")]
    public void Embedding_parses_to_an_embed(string select, string relation)
    {
        var embed = Assert.Single(Get("select=" + Uri.EscapeDataString(select)).Select.OfType<SelectEmbed>());

        Assert.Equal(relation, embed.Relation);
    }

    [Theory]
    [InlineData("count()")]
    [InlineData("total:count()")]
    [InlineData("amount.sum()")]
    [InlineData("amount::int.avg()")]
    [InlineData("id,price.max()")]
    [InlineData("price.min()")]
    [InlineData("id.count()")]
    public void Aggregates_parse_whether_or_not_they_are_enabled(string select)
    {
        var items = Get("select=" + Uri.EscapeDataString(select)).Select;

        Assert.Contains(items, item => item is SelectCount or SelectField { Aggregate: not null });
    }

    [Fact]
    public void A_column_named_count_is_not_an_aggregate()
    {
        Assert.Equal("count", Single("select=count").Field.Column);
    }

    [Theory]
    [InlineData("id,")]
    [InlineData(",id")]
    [InlineData("id::")]
    [InlineData("a:b:c")]
    [InlineData("id name,")]
    [InlineData("\"id")]
    [InlineData("data->")]
    [InlineData("data->>-78xy")]
    [InlineData("*!hint")]
    [InlineData("a:*")]
    [InlineData("id::int.x")]
    public void Malformed_select_is_400_PGRST100(string select)
    {
        AssertParseError(GetError("select=" + Uri.EscapeDataString(select)));
    }

    [Fact]
    public void Select_error_names_the_parameter_the_column_and_the_unexpected_token()
    {
        var error = GetError("select=id,name;x");

        Assert.Equal("\"failed to parse select parameter (id,name;x)\" (line 1, column 8)", error.Message);
        Assert.StartsWith("unexpected \";\" expecting", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_first_select_counts()
    {
        Assert.Equal("a", Single("select=a&select=b").Field.Column);
    }

    private static SelectField Single(string query) => Assert.IsType<SelectField>(Assert.Single(Get(query).Select));

    private static List<SelectField> Fields(string query) => [.. Get(query).Select.OfType<SelectField>()];
}
