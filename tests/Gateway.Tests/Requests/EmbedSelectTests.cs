using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

/// <summary><c>?select=</c> with related resources: <c>[alias:]rel[!hint][!inner|!left](items)</c> and spreads <c>...rel(items)</c>.</summary>
public sealed class EmbedSelectTests
{
    [Fact]
    public void An_embed_selects_columns_of_the_related_resource()
    {
        var items = Get("select=id,clients(id,name)").Select;

        Assert.Equal("id", Assert.IsType<SelectField>(items[0]).Field.Column);
        var embed = Assert.IsType<SelectEmbed>(items[1]);
        Assert.Equal("clients", embed.Relation);
        Assert.Null(embed.Alias);
        Assert.Null(embed.Hint);
        Assert.Equal(EmbedJoin.Left, embed.Join);
        Assert.False(embed.Spread);
        Assert.Equal(["id", "name"], embed.Select.Cast<SelectField>().Select(field => field.Field.Column));
        Assert.Equal("clients", embed.OutputName);
    }

    [Fact]
    public void An_aliased_embed_outputs_under_its_alias()
    {
        var embed = SingleEmbed("select=client:clients(name)");

        Assert.Equal("clients", embed.Relation);
        Assert.Equal("client", embed.Alias);
        Assert.Equal("client", embed.OutputName);
    }

    [Fact]
    public void An_inner_embed_with_a_hint_and_alias_parses()
    {
        var embed = SingleEmbed("select=sender:person!message_sender_fkey!inner(name)");

        Assert.Equal("person", embed.Relation);
        Assert.Equal("sender", embed.Alias);
        Assert.Equal("message_sender_fkey", embed.Hint);
        Assert.Equal(EmbedJoin.Inner, embed.Join);
    }

    [Theory]
    [InlineData("rel!hint!inner(*)")]
    [InlineData("rel!inner!hint(*)")]
    public void Hint_and_join_type_may_come_in_either_order(string select)
    {
        var embed = SingleEmbed("select=" + select);

        Assert.Equal("hint", embed.Hint);
        Assert.Equal(EmbedJoin.Inner, embed.Join);
    }

    [Theory]
    [InlineData("clients(*)")]
    [InlineData("clients!left(*)")]
    public void Left_join_is_the_default_and_may_be_given(string select)
    {
        var embed = SingleEmbed("select=" + select);

        Assert.Equal(EmbedJoin.Left, embed.Join);
        Assert.Null(embed.Hint);
    }

    [Theory]
    [InlineData("clients!inner_fk(*)", "inner_fk")]
    [InlineData("clients!leftover(*)", "leftover")]
    [InlineData("clients!\"inner\"(*)", "inner")]
    [InlineData("clients!\"fk.with,odd:chars\"(*)", "fk.with,odd:chars")]
    [InlineData("clients!client_id(*)", "client_id")]
    public void Any_other_word_after_a_bang_is_a_hint(string select, string hint)
    {
        var embed = SingleEmbed("select=" + Uri.EscapeDataString(select));

        Assert.Equal(hint, embed.Hint);
        Assert.Equal(EmbedJoin.Left, embed.Join);
    }

    [Fact]
    public void Embeds_nest()
    {
        var clients = SingleEmbed("select=clients(id,projects(id,tasks(id)))");
        var projects = Assert.IsType<SelectEmbed>(clients.Select[1]);
        var tasks = Assert.IsType<SelectEmbed>(projects.Select[1]);

        Assert.Equal("projects", projects.Relation);
        Assert.Equal("tasks", tasks.Relation);
        Assert.Equal("id", Assert.IsType<SelectField>(Assert.Single(tasks.Select)).Field.Column);
    }

    [Fact]
    public void Star_selects_all_columns_inside_an_embed()
    {
        var items = Get("select=*,clients(*,nested(*))").Select;

        Assert.IsType<SelectAll>(items[0]);
        var clients = Assert.IsType<SelectEmbed>(items[1]);
        Assert.IsType<SelectAll>(clients.Select[0]);
        Assert.IsType<SelectAll>(Assert.Single(Assert.IsType<SelectEmbed>(clients.Select[1]).Select));
    }

    [Theory]
    [InlineData("clients()")]
    [InlineData("clients!inner()")]
    [InlineData("clients( )")]
    public void An_embed_with_empty_parentheses_selects_nothing(string select)
    {
        Assert.Empty(SingleEmbed("select=" + Uri.EscapeDataString(select)).Select);
    }

    [Fact]
    public void Casts_json_paths_and_aliases_work_inside_embeds()
    {
        var items = SingleEmbed("select=tasks(id::text,data->>a,total:data->amount::numeric)").Select.Cast<SelectField>().ToList();

        Assert.Equal("text", items[0].Cast);
        Assert.Equal("->>a", Assert.Single(items[1].Field.JsonPath).ToString());
        Assert.Equal("a", items[1].OutputName);
        Assert.Equal("total", items[2].Alias);
        Assert.Equal("numeric", items[2].Cast);
    }

    [Fact]
    public void The_same_relation_may_be_embedded_twice_under_two_aliases()
    {
        var embeds = Get("select=id,designTasks:tasks(id,name),codeTasks:tasks(id,name)").Select.OfType<SelectEmbed>().ToList();

        Assert.Equal(["designTasks", "codeTasks"], embeds.Select(embed => embed.OutputName));
        Assert.All(embeds, embed => Assert.Equal("tasks", embed.Relation));
    }

    [Fact]
    public void Whitespace_around_embedded_items_is_ignored()
    {
        var items = Get("select=id,+name,+clients(+id+,+name+),+tasks+(id,+name)").Select;

        Assert.Equal(["id", "name"], Assert.IsType<SelectEmbed>(items[2]).Select.Cast<SelectField>().Select(field => field.Field.Column));
        Assert.Equal("tasks", Assert.IsType<SelectEmbed>(items[3]).Relation);
    }

    [Fact]
    public void A_quoted_relation_name_may_hold_any_character()
    {
        Assert.Equal("my (odd) view", SingleEmbed("select=" + Uri.EscapeDataString("\"my (odd) view\"(*)")).Relation);
    }

    [Fact]
    public void A_spread_lifts_the_columns_of_a_relation()
    {
        var embed = SingleEmbed("select=...clients(client_name:name)");

        Assert.True(embed.Spread);
        Assert.Equal("clients", embed.Relation);
        Assert.Null(embed.Alias);
        Assert.Equal("client_name", Assert.IsType<SelectField>(Assert.Single(embed.Select)).OutputName);
    }

    [Fact]
    public void A_spread_may_have_a_hint_and_a_join_type()
    {
        var embed = SingleEmbed("select=...posters!subscribed!inner(*)");

        Assert.True(embed.Spread);
        Assert.Equal("subscribed", embed.Hint);
        Assert.Equal(EmbedJoin.Inner, embed.Join);
    }

    [Fact]
    public void Spreads_nest_inside_embeds_and_spreads()
    {
        var processes = SingleEmbed("select=...processes(name,...process_costs(cost),supervisors(name))");
        var costs = Assert.IsType<SelectEmbed>(processes.Select[1]);
        var supervisors = Assert.IsType<SelectEmbed>(processes.Select[2]);

        Assert.True(costs.Spread);
        Assert.False(supervisors.Spread);
    }

    [Fact]
    public void A_column_named_like_an_embed_without_parentheses_is_a_column()
    {
        Assert.IsType<SelectField>(Assert.Single(Get("select=clients").Select));
    }

    [Theory]
    [InlineData("clients(")]
    [InlineData("clients(id")]
    [InlineData("clients(id,)")]
    [InlineData("clients(,id)")]
    [InlineData("clients)")]
    [InlineData("clients(id))")]
    [InlineData("*,clients(*))")]
    [InlineData("clients(*)x")]
    [InlineData("clients(*)'")]
    [InlineData("clients!(id)")]
    [InlineData("clients!inner")]
    [InlineData("clients!inner,id")]
    [InlineData("clients!a!b(*)")]
    [InlineData("clients!inner!left(*)")]
    [InlineData("clients!a!inner!b(*)")]
    [InlineData("clients->x(*)")]
    [InlineData("rel->jsonpath!hint(*)")]
    [InlineData("id,clients(name[])")]
    [InlineData("clients(*)::text")]
    [InlineData("clients(a:*)")]
    [InlineData("...clients")]
    [InlineData("...clients,id")]
    [InlineData("...clients->x(*)")]
    [InlineData("...(*)")]
    [InlineData("..clients(*)")]
    [InlineData("alias:...clients(*)")]
    [InlineData("count(*)")]
    [InlineData("count!inner(*)")]
    public void Malformed_embed_is_400_PGRST100(string select)
    {
        AssertParseError(GetError("select=" + Uri.EscapeDataString(select)));
    }

    [Fact]
    public void Error_inside_an_embed_points_at_the_character_and_expects_the_closing_parenthesis()
    {
        var error = GetError("select=clients(id;x)");

        Assert.Equal("\"failed to parse select parameter (clients(id;x))\" (line 1, column 11)", error.Message);
        Assert.StartsWith("unexpected \";\" expecting", error.Details, StringComparison.Ordinal);
        Assert.EndsWith("\",\" or \")\"", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_embed_expects_a_comma_or_closing_parenthesis_at_the_end()
    {
        var error = GetError("select=clients(id");

        Assert.Equal("\"failed to parse select parameter (clients(id)\" (line 1, column 11)", error.Message);
        Assert.StartsWith("unexpected end of input expecting", error.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clients!a!b(*)", "two hints")]
    [InlineData("clients!inner!left(*)", "two join types")]
    public void Two_hints_or_two_join_types_are_named_in_the_error(string select, string words)
    {
        Assert.Contains(words, GetError("select=" + select).Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_the_cap_parses()
    {
        var embed = SingleEmbed("select=" + Nested(QueryGrammar.MaxEmbedDepth));

        var depth = 1;
        for (var node = embed; node.Select.Count > 0; node = Assert.IsType<SelectEmbed>(node.Select[0]))
        {
            depth++;
        }

        Assert.Equal(QueryGrammar.MaxEmbedDepth, depth);
    }

    [Fact]
    public void Nesting_beyond_the_cap_is_400_PGRST100()
    {
        var error = GetError("select=" + Nested(QueryGrammar.MaxEmbedDepth + 1));

        AssertParseError(error);
        Assert.Contains("nest at most 16 levels", error.Details, StringComparison.Ordinal);
    }

    /// <summary><c>e(e(...e()))</c> with <paramref name="levels"/> embeds.</summary>
    internal static string Nested(int levels) =>
        string.Concat(Enumerable.Repeat("e(", levels)) + new string(')', levels);

    private static SelectEmbed SingleEmbed(string query) => Assert.IsType<SelectEmbed>(Assert.Single(Get(query).Select));
}
