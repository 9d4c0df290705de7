using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

/// <summary>Input meant to reach SQL or break the parser comes back as PGRST100, or stays an inert string.</summary>
public sealed class HostileInputTests
{
    [Theory]
    [InlineData("select=id;drop table x")]
    [InlineData("select=id,name);drop table x;--")]
    [InlineData("select=x;y:id")]
    [InlineData("select=a' or '1'='1:id")]
    [InlineData("select=id::int;drop table x")]
    [InlineData("select=id::int)")]
    [InlineData("select=id::\"int\"")]
    [InlineData("select=id::int--")]
    [InlineData("select=data->>'; drop table y; --")]
    [InlineData("id;drop table x=eq.1")]
    [InlineData("id)or(1=eq.1")]
    [InlineData("id=eq;drop table x.1")]
    [InlineData("id=eq'.1")]
    [InlineData("id=fts(english');drop).x")]
    [InlineData("order=id;drop table x")]
    [InlineData("order=id.desc;drop table x")]
    [InlineData("or=(id.eq.1);drop table x")]
    [InlineData("columns=a;drop table x")]
    [InlineData("select=c:clients!fk;drop(*)")]
    [InlineData("select=clients(id);drop table x")]
    [InlineData("select=clients(id::int;drop)")]
    [InlineData("select=...x;drop(*)")]
    [InlineData("select=x.sum();drop")]
    [InlineData("order=clients(name;drop)")]
    [InlineData("tasks;drop.limit=1")]
    [InlineData("tasks;drop.order=id")]
    public void Sql_in_names_operators_aliases_and_casts_is_400_PGRST100(string query)
    {
        AssertParseError(GetError(Escape(query)));
    }

    [Fact]
    public void Sql_in_a_json_key_stays_an_inert_key()
    {
        var item = Assert.IsType<SelectField>(Assert.Single(Get(Escape("select=data->>x'; drop table y")).Select));

        Assert.Equal("x'; drop table y", Assert.Single(item.Field.JsonPath).Key);
    }

    [Fact]
    public void Sql_in_a_filter_value_stays_an_inert_value()
    {
        var filter = SingleFilter(Escape("name=eq.'; drop table x; --"));

        Assert.Equal("'; drop table x; --", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Doubled_quote_does_not_escape_a_quoted_name()
    {
        AssertParseError(GetError(Escape("\"id\"\"; drop table x\"=eq.1")));
    }

    [Fact]
    public void Quoted_names_keep_embedded_quotes_as_text()
    {
        var filter = SingleFilter(Escape("\"a\\\"; drop table x; --\"=eq.1"));

        Assert.Equal("a\"; drop table x; --", filter.Field.Column);
    }

    [Theory]
    [InlineData("select=id%00")]
    [InlineData("name=eq.a%00b")]
    [InlineData("na%00me=eq.1")]
    [InlineData("or=(a.eq.%00)")]
    public void Nul_characters_are_400_PGRST100(string query)
    {
        var error = GetError(query);

        AssertParseError(error);
        Assert.Contains("NUL", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Very_long_bad_input_is_400_and_not_echoed_in_full()
    {
        var error = GetError("select=" + new string('a', 100_000) + ";");

        AssertParseError(error);
        Assert.True(error.Message.Length < 300, $"message is {error.Message.Length} characters");
        Assert.True(error.Details!.Length < 300, $"details are {error.Details.Length} characters");
    }

    [Fact]
    public void Very_long_operator_word_is_not_echoed_in_full()
    {
        var error = GetError("id=" + new string('x', 100_000));

        Assert.True(error.Details!.Length < 400, $"details are {error.Details.Length} characters");
    }

    [Fact]
    public void Very_long_valid_value_is_kept()
    {
        var value = new string('v', 1_000_000);

        Assert.Equal(value, Assert.IsType<CompareOperation>(SingleFilter("name=eq." + value).Operation).Value);
    }

    [Fact]
    public void Many_parameters_parse()
    {
        var query = string.Join('&', Enumerable.Range(0, 5_000).Select(i => $"c{i}=eq.{i}"));

        Assert.Equal(5_000, Get(query).Filters.Count);
    }

    [Fact]
    public void Very_deep_logic_nesting_is_400_not_a_crash()
    {
        AssertParseError(GetError("or=" + LogicTreeTests.Nested(100_000)));
    }

    [Fact]
    public void Very_deep_embed_nesting_is_400_not_a_crash()
    {
        AssertParseError(GetError("select=" + EmbedSelectTests.Nested(100_000)));
    }

    [Fact]
    public void Very_deep_unclosed_embed_nesting_is_400_not_a_crash()
    {
        AssertParseError(GetError("select=" + string.Concat(Enumerable.Repeat("...e!h!inner(", 100_000))));
    }

    [Fact]
    public void Many_sibling_embeds_parse()
    {
        var select = "select=" + string.Join(',', Enumerable.Range(0, 5_000).Select(i => $"e{i}(id,f(id))"));

        Assert.Equal(5_000, Get(select).Select.Count);
    }

    [Fact]
    public void Many_embedded_paths_parse()
    {
        var query = string.Join('&', Enumerable.Range(0, 5_000).Select(i => $"e{i}.c=eq.{i}&e{i}.limit=1"));

        Assert.Equal(5_000, Get(query).Embedded.Count);
    }

    [Fact]
    public void Sql_in_a_hint_or_relation_name_stays_an_inert_name()
    {
        var embed = Assert.IsType<SelectEmbed>(Assert.Single(Get(Escape("select=\"x\\\";drop\"!\"fk'; drop table y\"(*)")).Select));

        Assert.Equal("x\";drop", embed.Relation);
        Assert.Equal("fk'; drop table y", embed.Hint);
    }

    [Fact]
    public void Very_long_json_path_parses_without_recursion()
    {
        var select = "select=data" + string.Concat(Enumerable.Repeat("->a", 50_000));

        Assert.Equal(50_000, Assert.IsType<SelectField>(Assert.Single(Get(select).Select)).Field.JsonPath.Count);
    }

    [Theory]
    [InlineData("data->99999999999=eq.1")]
    [InlineData("select=data->-99999999999")]
    public void Json_index_out_of_range_is_400_PGRST100(string query)
    {
        AssertParseError(GetError(query));
    }

    [Theory]
    [InlineData("name=eq.%ED%A0%80", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("name=eq.%C0%AF", "\uFFFD\uFFFD")]
    [InlineData("name=eq.%C0%27", "\uFFFD'")]
    [InlineData("name=eq.\uD800", "\uD800")]
    public void Broken_encodings_stay_inert_text(string query, string value)
    {
        Assert.Equal(value, Assert.IsType<CompareOperation>(SingleFilter(query).Operation).Value);
    }

    [Fact]
    public void Control_characters_in_errors_are_escaped()
    {
        var error = GetError("select=id%01");

        Assert.Contains("unexpected \"\\u0001\"", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_method_name_is_truncated_in_the_error()
    {
        var error = Error(new string('X', 10_000), "/todos", "");

        Assert.Equal("PGRST117", error.Code);
        Assert.True(error.Message.Length < 300);
    }

    [Fact]
    public void Huge_accept_header_is_truncated_in_the_error()
    {
        var error = Error("GET", "/todos", "", "Accept: x/" + new string('y', 10_000));

        Assert.Equal("PGRST107", error.Code);
        Assert.True(error.Message.Length < 300);
    }

    [Fact]
    public void Huge_invalid_preference_list_is_truncated_in_the_error()
    {
        var error = Error("GET", "/todos", "", "Prefer: handling=strict, " + string.Join(", ", Enumerable.Repeat("junk", 5_000)));

        Assert.Equal("PGRST122", error.Code);
        Assert.True(error.Details!.Length < 300);
    }

    /// <summary>Percent-encodes each value (and key) the way a client would put it on the wire.</summary>
    private static string Escape(string query) =>
        string.Join('&', query.Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return Uri.EscapeDataString(pair[..equals]) + "=" + Uri.EscapeDataString(pair[(equals + 1)..]);
        }));
}
