using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// SQL where a write takes names or values: body keys, <c>?columns=</c>, <c>?on_conflict=</c>, the values themselves
/// (JSON, CSV and form) and the filters of PATCH and DELETE. A name that is not a column is a 4xx with the
/// database fingerprint unchanged; a value is stored and matched literally. Each test uses ids in the 7000s.
/// </summary>
public sealed class WritesHostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string DropNotes = "drop table demo.fixture_note cascade";

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Sql_in_a_body_key_returns_400_PGRST204_and_changes_nothing()
    {
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            $$"""{"id": 7001, "body\") values (1, 'x'); {{DropNotes}}; --": "x"}""");

        await AssertErrorAsync(response, 400, "PGRST204");
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_patch_body_key_returns_400_PGRST204_and_changes_nothing()
    {
        await api.SeedNotesAsync((7002, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.7002",
            $$"""{"body\" = 'owned', \"n": 1, "n = 0; {{DropNotes}}; --": 2}""");

        await AssertErrorAsync(response, 400, "PGRST204");
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_columns_returns_4xx_and_changes_nothing()
    {
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Post,
            "/notes?columns=id,body)%20select%201,'x';%20" + Uri.EscapeDataString(DropNotes) + ";--",
            """{"id": 7003, "body": "x"}""");

        await AssertClientErrorAsync(response);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_quoted_column_of_columns_returns_400_and_changes_nothing()
    {
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Post,
            "/notes?columns=%22id%22,%22body%22%22);%20" + Uri.EscapeDataString(DropNotes) + ";--%22",
            """{"id": 7004, "body": "x"}""");

        await AssertClientErrorAsync(response);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_on_conflict_returns_4xx_and_changes_nothing()
    {
        await api.SeedNotesAsync((7005, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Post,
            "/notes?on_conflict=id)%20do%20update%20set%20body='owned';%20" + Uri.EscapeDataString(DropNotes) + ";--",
            """{"id": 7005, "body": "x"}""", ("Prefer", "resolution=merge-duplicates"));

        await AssertClientErrorAsync(response);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_quoted_on_conflict_column_returns_400_and_changes_nothing()
    {
        await api.SeedNotesAsync((7006, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Post,
            "/notes?on_conflict=%22id%22%22)%20do%20nothing;%20" + Uri.EscapeDataString(DropNotes) + ";--%22",
            """{"id": 7006, "body": "x"}""", ("Prefer", "resolution=merge-duplicates"));

        await AssertClientErrorAsync(response);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_json_value_is_stored_literally()
    {
        const string value = "'); " + DropNotes + "; --";

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=body",
            $$"""{"id": 7007, "body": "{{value}}", "tag": "$$x$$"}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, $$"""[{"body": "{{value}}"}]""");
        await api.AssertNotesAsync($$"""[{"id": 7007, "body": "{{value}}", "tag": "$$x$$", "n": 7}]""", 7007);
    }

    [Fact]
    public async Task Sql_in_a_csv_value_is_stored_literally()
    {
        using var response = await anon.SendTextAsync(HttpMethod.Post, "/notes",
            "id,body\n7008,\"x'); " + DropNotes + "; --\"", "text/csv");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync($$"""[{"id": 7008, "body": "x'); {{DropNotes}}; --", "tag": null, "n": 7}]""", 7008);
    }

    [Fact]
    public async Task Sql_in_a_form_value_is_stored_literally()
    {
        using var response = await anon.SendTextAsync(HttpMethod.Post, "/notes",
            "id=7009&body=" + Uri.EscapeDataString("x'); " + DropNotes + "; --"), "application/x-www-form-urlencoded");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync($$"""[{"id": 7009, "body": "x'); {{DropNotes}}; --", "tag": null, "n": 7}]""", 7009);
    }

    [Fact]
    public async Task Sql_in_a_patch_filter_value_is_matched_literally_and_changes_nothing()
    {
        await api.SeedNotesAsync((7010, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Patch,
            "/notes?body=eq." + Uri.EscapeDataString("x' or '1'='1"), """{"body": "owned"}""");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("*/*", Header(response, "Content-Range"));
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_an_integer_delete_filter_returns_400_22P02_and_deletes_nothing()
    {
        await api.SeedNotesAsync((7011, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.RemoveAsync("/notes?id=eq." + Uri.EscapeDataString("7011 or 1=1; " + DropNotes));

        await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_delete_filter_column_returns_4xx_and_deletes_nothing()
    {
        await api.SeedNotesAsync((7012, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.RemoveAsync("/notes?" + Uri.EscapeDataString("id) or (1=1") + "=eq.7012");

        await AssertClientErrorAsync(response);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_delete_in_list_is_matched_literally_and_deletes_nothing()
    {
        await api.SeedNotesAsync((7013, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.RemoveAsync("/notes?body=in.(" + Uri.EscapeDataString("\"x') or true; --\"") + ")");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_delete_or_tree_returns_400_and_deletes_nothing()
    {
        await api.SeedNotesAsync((7014, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.RemoveAsync("/notes?or=" + Uri.EscapeDataString("(id.eq.1,id.eq.2)) or (true"));

        await AssertErrorAsync(response, 400, "PGRST100");
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_a_patch_or_tree_value_is_matched_literally_and_changes_nothing()
    {
        await api.SeedNotesAsync((7015, "a", null));
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Patch,
            "/notes?or=" + Uri.EscapeDataString("(body.eq.\"a' or '1'='1\",tag.eq.\"); " + DropNotes + "; --\")"), """{"body": "owned"}""");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    [Fact]
    public async Task Sql_in_select_of_a_write_returns_4xx_and_writes_nothing()
    {
        var before = await api.WriteStateAsync();

        using var response = await anon.SendJsonAsync(HttpMethod.Post,
            "/notes?select=" + Uri.EscapeDataString("id,(select 1) as x"), """{"id": 7016, "body": "x"}""", ("Prefer", "return=representation"));

        await AssertClientErrorAsync(response);
        Assert.Equal(before, await api.WriteStateAsync());
    }

    // Which 4xx depends on where the name stops parsing; what matters is a PostgREST error and no statement run.
    private static async Task AssertClientErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"expected a 4xx, got {(int)response.StatusCode}: {text}");
        var error = ParseError(text);
        Assert.Equal($"PostgREST; error={error.Code}", Header(response, "Proxy-Status"));
    }
}
