using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// PATCH and DELETE on a view (contract §1.4 Content-Range on writes, §1.9): filters and <c>or</c>/<c>and</c> trees
/// choose the rows, 204 without a body or 200 with the rows for <c>return=representation</c> (<c>[]</c> when none
/// matched), <c>{}</c> changes nothing, and <c>Content-Range</c> is <c>0-(n-1)/*</c> for PATCH, <c>*/*</c> for DELETE,
/// with the total when a count is asked for. Each test uses ids in the 3000s.
/// </summary>
public sealed class WritesUpdateDeleteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Patch_with_filters_updates_the_matching_rows_and_returns_204()
    {
        await api.SeedNotesAsync((3001, "a", null), (3002, "b", null), (3003, "c", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=gte.3001&id=lte.3002", """{"body": "patched"}""");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("0-1/*", Header(response, "Content-Range"));
        await api.AssertNotesAsync(
            """
            [{"id": 3001, "body": "patched", "tag": null, "n": 7}, {"id": 3002, "body": "patched", "tag": null, "n": 7},
             {"id": 3003, "body": "c", "tag": null, "n": 7}]
            """,
            3001, 3002, 3003);
    }

    [Fact]
    public async Task Patch_with_an_or_tree_updates_rows_matching_either_branch()
    {
        await api.SeedNotesAsync((3004, "a", null), (3005, "b", null), (3006, "c", "t-3006"));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?or=(id.eq.3004,tag.eq.t-3006)", """{"n": 0}""");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync(
            """
            [{"id": 3004, "body": "a", "tag": null, "n": 0}, {"id": 3005, "body": "b", "tag": null, "n": 7},
             {"id": 3006, "body": "c", "tag": "t-3006", "n": 0}]
            """,
            3004, 3005, 3006);
    }

    [Fact]
    public async Task Patch_with_an_and_tree_nested_in_an_or_tree_updates_only_rows_it_matches()
    {
        await api.SeedNotesAsync((3007, "x", null), (3008, "y", null), (3009, "x", null), (3010, "z", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch,
            "/notes?id=gte.3007&id=lte.3010&or=(and(body.eq.x,id.lt.3009),id.eq.3010)", """{"body": "hit"}""");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync(
            """
            [{"id": 3007, "body": "hit", "tag": null, "n": 7}, {"id": 3008, "body": "y", "tag": null, "n": 7},
             {"id": 3009, "body": "x", "tag": null, "n": 7}, {"id": 3010, "body": "hit", "tag": null, "n": 7}]
            """,
            3007, 3008, 3009, 3010);
    }

    [Fact]
    public async Task Patch_with_return_representation_returns_200_and_the_updated_rows_shaped_by_select()
    {
        await api.SeedNotesAsync((3011, "a", null), (3012, "b", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=in.(3011,3012)&select=id,body&order=id",
            """{"body": "shown"}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200, """[{"id": 3011, "body": "shown"}, {"id": 3012, "body": "shown"}]""");
        Assert.Equal("0-1/*", Header(response, "Content-Range"));
        Assert.Equal("return=representation", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Patch_with_return_representation_matching_nothing_returns_200_and_an_empty_array()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3999",
            """{"body": "nobody"}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200, "[]");
        Assert.Equal("*/*", Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Patch_matching_nothing_returns_204()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3998", """{"body": "nobody"}""");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("*/*", Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Patch_with_an_empty_object_changes_nothing_and_returns_204()
    {
        await api.SeedNotesAsync((3013, "unchanged", "t-3013"));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3013", "{}");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("*/*", Header(response, "Content-Range"));
        await api.AssertNotesAsync("""[{"id": 3013, "body": "unchanged", "tag": "t-3013", "n": 7}]""", 3013);
    }

    [Fact]
    public async Task Patch_with_an_empty_object_and_return_representation_returns_200_and_an_empty_array()
    {
        await api.SeedNotesAsync((3014, "unchanged", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3014", "{}", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200, "[]");
        await api.AssertNotesAsync("""[{"id": 3014, "body": "unchanged", "tag": null, "n": 7}]""", 3014);
    }

    [Fact]
    public async Task Patch_with_count_exact_reports_the_affected_range_and_total()
    {
        await api.SeedNotesAsync((3015, "a", null), (3016, "b", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=in.(3015,3016)", """{"n": 1}""", ("Prefer", "count=exact"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("0-1/2", Header(response, "Content-Range"));
        Assert.Equal("count=exact", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Patch_setting_a_column_to_null_stores_null()
    {
        await api.SeedNotesAsync((3017, "a", "t-3017"));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3017", """{"tag": null}""");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync("""[{"id": 3017, "body": "a", "tag": null, "n": 7}]""", 3017);
    }

    [Fact]
    public async Task Patch_with_a_body_key_that_is_not_a_column_returns_400_PGRST204_and_changes_nothing()
    {
        await api.SeedNotesAsync((3018, "a", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3018", """{"body": "b", "nope": 1}""");

        var error = await AssertErrorAsync(response, 400, "PGRST204");
        Assert.Equal("Could not find the 'nope' column of 'notes' in the schema cache", error.Message);
        await api.AssertNotesAsync("""[{"id": 3018, "body": "a", "tag": null, "n": 7}]""", 3018);
    }

    [Fact]
    public async Task Patch_with_columns_updates_only_those_keys()
    {
        await api.SeedNotesAsync((3019, "a", "t-3019"));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3019&columns=%22body%22",
            """{"body": "only body", "tag": "ignored", "junk": 1}""");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync("""[{"id": 3019, "body": "only body", "tag": "t-3019", "n": 7}]""", 3019);
    }

    [Fact]
    public async Task Patch_of_invalid_json_returns_400_PGRST102()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.3020", "}{ x = 2");

        await AssertErrorAsync(response, 400, "PGRST102");
    }

    [Fact]
    public async Task Delete_with_filters_removes_the_matching_rows_and_returns_204()
    {
        await api.SeedNotesAsync((3021, "a", null), (3022, "b", null), (3023, "c", null));

        using var response = await anon.RemoveAsync("/notes?id=gte.3021&id=lt.3023");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("*/*", Header(response, "Content-Range"));
        await api.AssertNotesAsync("""[{"id": 3023, "body": "c", "tag": null, "n": 7}]""", 3021, 3022, 3023);
    }

    [Fact]
    public async Task Delete_with_return_representation_returns_200_and_the_deleted_rows()
    {
        await api.SeedNotesAsync((3024, "a", "t-3024"), (3025, "b", null));

        using var response = await anon.RemoveAsync("/notes?id=in.(3024,3025)&order=id", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200,
            """[{"id": 3024, "body": "a", "tag": "t-3024", "n": 7}, {"id": 3025, "body": "b", "tag": null, "n": 7}]""");
        Assert.Equal("return=representation", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("[]", 3024, 3025);
    }

    [Fact]
    public async Task Delete_with_an_or_tree_removes_rows_matching_either_branch()
    {
        await api.SeedNotesAsync((3026, "a", null), (3027, "b", null), (3028, "c", "t-3028"));

        using var response = await anon.RemoveAsync("/notes?or=(id.eq.3026,tag.eq.t-3028)");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync("""[{"id": 3027, "body": "b", "tag": null, "n": 7}]""", 3026, 3027, 3028);
    }

    [Fact]
    public async Task Delete_with_a_negated_or_tree_removes_rows_matching_neither_branch()
    {
        await api.SeedNotesAsync((3029, "keep", null), (3030, "drop", null), (3031, "keep", null));

        using var response = await anon.RemoveAsync("/notes?id=gte.3029&id=lte.3031&not.or=(id.eq.3029,id.eq.3031)");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync(
            """[{"id": 3029, "body": "keep", "tag": null, "n": 7}, {"id": 3031, "body": "keep", "tag": null, "n": 7}]""",
            3029, 3030, 3031);
    }

    [Fact]
    public async Task Delete_with_count_exact_reports_the_deleted_total()
    {
        await api.SeedNotesAsync((3032, "a", null), (3033, "b", null));

        using var response = await anon.RemoveAsync("/notes?id=in.(3032,3033)", ("Prefer", "count=exact"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("*/2", Header(response, "Content-Range"));
        Assert.Equal("count=exact", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Delete_matching_nothing_returns_204()
    {
        using var response = await anon.RemoveAsync("/notes?id=eq.3997");

        await AssertNoBodyAsync(response, 204);
    }

    [Fact]
    public async Task Delete_with_a_filter_on_an_unknown_column_returns_400_42703_and_deletes_nothing()
    {
        await api.SeedNotesAsync((3034, "a", null));

        using var response = await anon.RemoveAsync("/notes?nope=eq.1");

        await AssertErrorAsync(response, 400, "42703");
        await api.AssertNotesAsync("""[{"id": 3034, "body": "a", "tag": null, "n": 7}]""", 3034);
    }
}
