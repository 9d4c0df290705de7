using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// What the database refuses on a write, answered as PostgREST maps it (contract §1.9, §3, §4): unique and foreign
/// key violations are 409, a null into NOT NULL is 400, and a missing privilege is 42501, 401 with
/// <c>WWW-Authenticate: Bearer</c> for anon and 403 for a signed-in user. The database's message, detail and hint
/// pass through unchanged; PostgreSQL leaves out of the detail the values the api roles may not read in the base
/// tables behind the views. Each test uses ids in the 6000s.
/// </summary>
public sealed class WritesErrorTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Post_of_a_duplicate_primary_key_returns_409_23505_without_the_key_value()
    {
        await api.SeedNotesAsync((6001, "first", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 6001, "body": "second"}""");

        var error = await AssertErrorAsync(response, 409, "23505");
        Assert.Equal("duplicate key value violates unique constraint \"fixture_note_pkey\"", error.Message);
        Assert.Null(error.Details);
        Assert.Null(error.Hint);
    }

    [Fact]
    public async Task Post_of_a_duplicate_unique_value_returns_409_23505()
    {
        await api.SeedNotesAsync((6002, "first", "t-6002"));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 6003, "body": "second", "tag": "t-6002"}""");

        var error = await AssertErrorAsync(response, 409, "23505");
        Assert.Equal("duplicate key value violates unique constraint \"fixture_note_tag_key\"", error.Message);
        await api.AssertNotesAsync("[]", 6003);
    }

    [Fact]
    public async Task Patch_onto_an_existing_unique_value_returns_409_23505_and_changes_nothing()
    {
        await api.SeedNotesAsync((6004, "a", "t-6004"), (6005, "b", "t-6005"));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.6005", """{"tag": "t-6004"}""");

        await AssertErrorAsync(response, 409, "23505");
        await api.AssertNotesAsync(
            """[{"id": 6004, "body": "a", "tag": "t-6004", "n": 7}, {"id": 6005, "body": "b", "tag": "t-6005", "n": 7}]""", 6004, 6005);
    }

    [Fact]
    public async Task Post_referencing_a_missing_row_returns_409_23503_without_the_key_value()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/note_links", """{"id": 6006, "note_id": 6999}""");

        var error = await AssertErrorAsync(response, 409, "23503");
        Assert.Equal(
            "insert or update on table \"fixture_note_link\" violates foreign key constraint \"fixture_note_link_note_id_fkey\"",
            error.Message);
        Assert.Equal("Key is not present in table \"fixture_note\".", error.Details);
    }

    [Fact]
    public async Task Delete_of_a_referenced_row_returns_409_23503_and_deletes_nothing()
    {
        await api.SeedNotesAsync((6007, "referenced", null));
        await using (var admin = await api.OpenAdminAsync())
        {
            await admin.ExecuteAsync("insert into demo.fixture_note_link (id, note_id) values (6007, 6007)");
        }

        using var response = await anon.RemoveAsync("/notes?id=eq.6007");

        await AssertErrorAsync(response, 409, "23503");
        await api.AssertNotesAsync("""[{"id": 6007, "body": "referenced", "tag": null, "n": 7}]""", 6007);
    }

    [Fact]
    public async Task Post_of_null_into_a_not_null_column_returns_400_23502_showing_only_the_columns_written()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 6008, "body": null}""");

        var error = await AssertErrorAsync(response, 400, "23502");
        Assert.Equal("null value in column \"body\" of relation \"fixture_note\" violates not-null constraint", error.Message);
        Assert.Equal("Failing row contains (id, body) = (6008, null).", error.Details);
    }

    [Fact]
    public async Task Post_leaving_out_a_not_null_column_without_default_returns_400_23502()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"body": "no id"}""");

        var error = await AssertErrorAsync(response, 400, "23502");
        Assert.Equal("null value in column \"id\" of relation \"fixture_note\" violates not-null constraint", error.Message);
    }

    [Fact]
    public async Task Patch_setting_a_not_null_column_to_null_returns_400_23502_and_changes_nothing()
    {
        await api.SeedNotesAsync((6009, "keep", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.6009", """{"body": null}""");

        await AssertErrorAsync(response, 400, "23502");
        await api.AssertNotesAsync("""[{"id": 6009, "body": "keep", "tag": null, "n": 7}]""", 6009);
    }

    [Fact]
    public async Task Anon_inserting_into_todos_returns_401_42501_with_a_bearer_challenge()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/todos", """{"title": "not allowed"}""");

        var error = await AssertErrorAsync(response, 401, "42501");
        Assert.Equal("permission denied for view todos", error.Message);
        Assert.Equal("Bearer", Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Anon_patching_todos_returns_401_42501()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/todos?todo_id=eq.1", """{"done": true}""");

        await AssertErrorAsync(response, 401, "42501");
        Assert.Equal("Bearer", Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Anon_deleting_todos_returns_401_42501()
    {
        using var response = await anon.RemoveAsync("/todos?todo_id=eq.1");

        await AssertErrorAsync(response, 401, "42501");
    }

    [Fact]
    public async Task Authenticated_inserting_into_a_view_it_may_only_read_returns_403_42501()
    {
        using var response = await api.As(6010).SendJsonAsync(HttpMethod.Post, "/notes_readonly", """{"id": 6010, "body": "x"}""");

        var error = await AssertErrorAsync(response, 403, "42501");
        Assert.Equal("permission denied for view notes_readonly", error.Message);
        Assert.Null(Header(response, "WWW-Authenticate"));
        await api.AssertNotesAsync("[]", 6010);
    }

    [Fact]
    public async Task Authenticated_patching_a_view_it_may_only_read_returns_403_and_changes_nothing()
    {
        await api.SeedNotesAsync((6011, "keep", null));

        using var response = await api.As(6011).SendJsonAsync(HttpMethod.Patch, "/notes_readonly?id=eq.6011", """{"body": "changed"}""");

        await AssertErrorAsync(response, 403, "42501");
        await api.AssertNotesAsync("""[{"id": 6011, "body": "keep", "tag": null, "n": 7}]""", 6011);
    }

    [Fact]
    public async Task Authenticated_deleting_from_a_view_it_may_only_read_returns_403_and_deletes_nothing()
    {
        await api.SeedNotesAsync((6012, "keep", null));

        using var response = await api.As(6012).RemoveAsync("/notes_readonly?id=eq.6012");

        await AssertErrorAsync(response, 403, "42501");
        await api.AssertNotesAsync("""[{"id": 6012, "body": "keep", "tag": null, "n": 7}]""", 6012);
    }

    [Fact]
    public async Task Anon_inserting_into_a_view_it_may_only_read_returns_401_42501()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes_readonly", """{"id": 6013, "body": "x"}""");

        await AssertErrorAsync(response, 401, "42501");
        await api.AssertNotesAsync("[]", 6013);
    }
}
