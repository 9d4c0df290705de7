using Gateway.Planning;
using Gateway.Requests;

namespace Gateway.Tests.Planning;

/// <summary>Which embed each embedded parameter's path names: output names, and PostgREST's legacy relation names.</summary>
public sealed class EmbedPathsTests
{
    private static readonly IReadOnlyList<SelectItem> Select =
    [
        new SelectField(new Field("id"), null, null),
        Embed("tasks", "the_tasks", [Embed("users", null, [])]),
        Embed("clients", null, []),
    ];

    [Fact]
    public void A_path_of_output_names_stays_as_it_is_without_warning()
    {
        var paths = Resolve(new EmbedQuery(["the_tasks", "users"]) { Limit = 1 });

        Assert.Equal(["the_tasks", "users"], Assert.Single(paths.Queries).Path);
        Assert.Null(paths.Warning);
    }

    [Fact]
    public void An_aliased_embed_named_by_its_relation_is_found_with_a_warning_naming_the_alias()
    {
        var paths = Resolve(new EmbedQuery(["tasks", "users"]) { Limit = 1 });

        Assert.Equal(["the_tasks", "users"], Assert.Single(paths.Queries).Path);
        Assert.Equal(
            "299 Gateway \"Embedded resource was referenced by relation name even though it has an alias. This is deprecated and will stop "
            + "working in a future release. Update `tasks` to `the_tasks` in query string filters, orders or limits.\"",
            paths.Warning);
    }

    [Fact]
    public void Parameters_that_name_the_same_embed_two_ways_are_merged()
    {
        var paths = Resolve(
            new EmbedQuery(["the_tasks"]) { Filters = [Equal("name", "a")] },
            new EmbedQuery(["tasks"]) { Filters = [Equal("id", "1")], Limit = 2 });

        var query = Assert.Single(paths.Queries);
        Assert.Equal((2, 2L), (query.Filters.Count, query.Limit));
    }

    [Theory]
    [InlineData("projects")]
    [InlineData("users")]
    public void A_name_that_is_neither_an_output_name_nor_an_aliased_relation_is_400_PGRST108(string name)
    {
        var error = EmbedPaths.Resolve(Select, [new EmbedQuery([name]) { Limit = 1 }]).Error!;

        Assert.Equal((400, "PGRST108", $"'{name}' is not an embedded resource in this request"), (error.Status, error.Code, error.Message));
    }

    [Fact]
    public void A_relation_name_in_the_warning_cannot_break_the_header()
    {
        IReadOnlyList<SelectItem> select = [Embed("t\"\r\né", "alias", [])];

        var warning = EmbedPaths.Resolve(select, [new EmbedQuery(["t\"\r\né"]) { Limit = 1 }]).Value!.Warning!;

        Assert.Contains("Update `t\\\"???` to `alias`", warning, StringComparison.Ordinal);
    }

    private static EmbedPaths Resolve(params EmbedQuery[] queries)
    {
        var paths = EmbedPaths.Resolve(Select, queries);
        Assert.True(paths.IsOk, paths.Error?.Message);
        return paths.Value!;
    }

    private static SelectEmbed Embed(string relation, string? alias, IReadOnlyList<SelectItem> select) =>
        new(relation, alias, null, EmbedJoin.Left, false, select);

    private static Filter Equal(string column, string value) =>
        new(new Field(column), false, new CompareOperation(CompareOperator.Equal, Quantifier.None, value));
}
