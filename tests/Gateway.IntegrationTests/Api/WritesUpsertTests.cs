using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// POST as an upsert (contract §1.7 <c>resolution</c>, §1.9): <c>merge-duplicates</c> updates rows whose key exists
/// and answers 201 when any row was inserted, 200 when none was; <c>ignore-duplicates</c> leaves existing rows as
/// they are; <c>?on_conflict=</c> names the unique column to resolve on. Each test uses ids in the 2000s.
/// </summary>
public sealed class WritesUpsertTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Merge_duplicates_updates_existing_rows_inserts_new_ones_and_returns_201()
    {
        await api.SeedNotesAsync((2001, "old", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id,body",
            """[{"id": 2001, "body": "merged"}, {"id": 2002, "body": "fresh"}]""",
            ("Prefer", "return=representation, resolution=merge-duplicates"));

        await AssertRowsAsync(response, 201, """[{"id": 2001, "body": "merged"}, {"id": 2002, "body": "fresh"}]""");
        Assert.Equal("resolution=merge-duplicates, return=representation", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync(
            """[{"id": 2001, "body": "merged", "tag": null, "n": 7}, {"id": 2002, "body": "fresh", "tag": null, "n": 7}]""",
            2001, 2002);
    }

    [Fact]
    public async Task Merge_duplicates_when_every_row_exists_returns_200()
    {
        await api.SeedNotesAsync((2003, "old", null), (2004, "old", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id,body",
            """[{"id": 2003, "body": "new 3"}, {"id": 2004, "body": "new 4"}]""",
            ("Prefer", "return=representation, resolution=merge-duplicates"));

        await AssertRowsAsync(response, 200, """[{"id": 2003, "body": "new 3"}, {"id": 2004, "body": "new 4"}]""");
        await api.AssertNotesAsync(
            """[{"id": 2003, "body": "new 3", "tag": null, "n": 7}, {"id": 2004, "body": "new 4", "tag": null, "n": 7}]""",
            2003, 2004);
    }

    [Fact]
    public async Task Merge_duplicates_with_return_minimal_updates_the_row_without_a_body()
    {
        await api.SeedNotesAsync((2005, "old", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 2005, "body": "merged quietly", "n": 1}""", ("Prefer", "resolution=merge-duplicates"));

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("resolution=merge-duplicates", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 2005, "body": "merged quietly", "tag": null, "n": 1}]""", 2005);
    }

    [Fact]
    public async Task Merge_duplicates_keeps_columns_that_the_body_does_not_name()
    {
        await api.SeedNotesAsync((2006, "old", "t-2006"));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 2006, "body": "new body"}""", ("Prefer", "resolution=merge-duplicates"));

        await AssertNoBodyAsync(response, 200);
        await api.AssertNotesAsync("""[{"id": 2006, "body": "new body", "tag": "t-2006", "n": 7}]""", 2006);
    }

    [Fact]
    public async Task Ignore_duplicates_inserts_new_rows_and_leaves_existing_ones_untouched()
    {
        await api.SeedNotesAsync((2007, "keep me", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id,body",
            """[{"id": 2007, "body": "overwrite"}, {"id": 2008, "body": "new"}]""",
            ("Prefer", "return=representation, resolution=ignore-duplicates"));

        await AssertRowsAsync(response, 201, """[{"id": 2008, "body": "new"}]""");
        Assert.Equal("resolution=ignore-duplicates, return=representation", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync(
            """[{"id": 2007, "body": "keep me", "tag": null, "n": 7}, {"id": 2008, "body": "new", "tag": null, "n": 7}]""",
            2007, 2008);
    }

    [Fact]
    public async Task Ignore_duplicates_when_every_row_exists_returns_201_and_an_empty_array()
    {
        await api.SeedNotesAsync((2009, "keep me", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 2009, "body": "overwrite"}]""", ("Prefer", "return=representation, resolution=ignore-duplicates"));

        await AssertRowsAsync(response, 201, "[]");
        await api.AssertNotesAsync("""[{"id": 2009, "body": "keep me", "tag": null, "n": 7}]""", 2009);
    }

    [Fact]
    public async Task On_conflict_with_a_unique_column_merges_the_row_holding_that_value()
    {
        await api.SeedNotesAsync((2010, "old", "t-2010"));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?on_conflict=tag&select=id,body,tag",
            """{"id": 2011, "tag": "t-2010", "body": "merged on tag"}""",
            ("Prefer", "return=representation, resolution=merge-duplicates"));

        await AssertRowsAsync(response, 200, """[{"id": 2011, "body": "merged on tag", "tag": "t-2010"}]""");
        await api.AssertNotesAsync("""[{"id": 2011, "body": "merged on tag", "tag": "t-2010", "n": 7}]""", 2010, 2011);
    }

    [Theory]
    [InlineData("upsert_tags")]
    [InlineData("upsert_tags_table")]
    public async Task Merge_duplicates_of_only_the_key_returns_the_existing_row(string relation)
    {
        // PostgREST updates every body column, the conflict columns too, so the row comes back (not `do nothing`).
        // Objects of its own (a view over a private table, and a table exposed directly): the notes' other columns
        // are not null, so a body of only their key cannot be inserted.
        await api.EnsureObjectsAsync("api.upsert_tags_table", """
            set role gateway_owner;
            create table demo.upsert_tags (tag text primary key, uses integer not null default 0);
            insert into demo.upsert_tags values ('t-2020', 5);
            create view api.upsert_tags as select tag, uses from demo.upsert_tags;
            grant select, insert, update on api.upsert_tags to anon;
            create table api.upsert_tags_table (tag text primary key, uses integer not null default 0);
            insert into api.upsert_tags_table values ('t-2020', 5);
            grant select, insert, update on api.upsert_tags_table to anon;
            reset role;
        """, "/upsert_tags_table");

        using var response = await anon.SendJsonAsync(HttpMethod.Post, $"/{relation}",
            """[{"tag": "t-2020"}, {"tag": "t-2021"}]""", ("Prefer", "return=representation, resolution=merge-duplicates"));

        await AssertRowsAsync(response, 201, """[{"tag": "t-2020", "uses": 5}, {"tag": "t-2021", "uses": 0}]""");
    }

    [Fact]
    public async Task On_conflict_with_ignore_duplicates_skips_rows_whose_unique_value_exists()
    {
        await api.SeedNotesAsync((2012, "keep me", "t-2012"));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?on_conflict=tag&select=id",
            """[{"id": 2013, "tag": "t-2012", "body": "skipped"}, {"id": 2014, "tag": "t-2014", "body": "inserted"}]""",
            ("Prefer", "return=representation, resolution=ignore-duplicates"));

        await AssertRowsAsync(response, 201, """[{"id": 2014}]""");
        await api.AssertNotesAsync(
            """[{"id": 2012, "body": "keep me", "tag": "t-2012", "n": 7}, {"id": 2014, "body": "inserted", "tag": "t-2014", "n": 7}]""",
            2012, 2013, 2014);
    }

    [Fact]
    public async Task On_conflict_with_a_quoted_column_name_merges_on_that_column()
    {
        await api.SeedNotesAsync((2015, "old", "t-2015"));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?on_conflict=%22tag%22",
            """{"id": 2015, "tag": "t-2015", "body": "merged on quoted tag"}""", ("Prefer", "resolution=merge-duplicates"));

        await AssertNoBodyAsync(response, 200);
        await api.AssertNotesAsync("""[{"id": 2015, "body": "merged on quoted tag", "tag": "t-2015", "n": 7}]""", 2015);
    }

    [Fact]
    public async Task Post_without_resolution_on_an_existing_key_returns_409_23505()
    {
        await api.SeedNotesAsync((2016, "first", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 2016, "body": "second"}""");

        await AssertErrorAsync(response, 409, "23505");
        await api.AssertNotesAsync("""[{"id": 2016, "body": "first", "tag": null, "n": 7}]""", 2016);
    }

    [Fact]
    public async Task Merge_duplicates_on_a_column_without_unique_constraint_returns_400_42P10()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?on_conflict=body",
            """{"id": 2017, "body": "x"}""", ("Prefer", "resolution=merge-duplicates"));

        var error = await AssertErrorAsync(response, 400, "42P10");
        Assert.Equal("there is no unique or exclusion constraint matching the ON CONFLICT specification", error.Message);
        await api.AssertNotesAsync("[]", 2017);
    }
}
