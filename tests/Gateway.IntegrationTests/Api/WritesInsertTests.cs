using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// POST to an auto-updatable view (contract §1.6, §1.7, §1.9): one object, a JSON array as one all-or-nothing
/// insert, CSV and form bodies, <c>?columns=</c> as postgrest-js quotes it, the 201 and its headers for each
/// <c>Prefer: return</c>, <c>count=exact</c>, <c>missing=default</c>, and the 400s of a body that does not fit the view.
/// Each test inserts ids of its own (1000s) into api.notes.
/// </summary>
public sealed class WritesInsertTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Post_of_one_object_returns_201_with_no_body_and_content_range_star()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 1001, "body": "one"}""");

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("*/*", Header(response, "Content-Range"));
        Assert.Null(Header(response, "Location"));
        Assert.Null(Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 1001, "body": "one", "tag": null, "n": 7}]""", 1001);
    }

    [Fact]
    public async Task Post_with_return_representation_returns_the_inserted_row_shaped_by_select()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id,body",
            """{"id": 1002, "body": "shown"}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 1002, "body": "shown"}]""");
        Assert.Equal("*/*", Header(response, "Content-Range"));
        Assert.Equal("return=representation", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Post_with_return_minimal_returns_201_and_echoes_the_preference()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id",
            """{"id": 1020, "body": "minimal"}""", ("Prefer", "return=minimal"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("return=minimal", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 1020, "body": "minimal", "tag": null, "n": 7}]""", 1020);
    }

    [Fact]
    public async Task Post_of_a_json_array_inserts_every_row()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 1003, "body": "first", "tag": "t-1003"}, {"id": 1004, "body": "second", "tag": "t-1004"}]""");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync(
            """[{"id": 1003, "body": "first", "tag": "t-1003", "n": 7}, {"id": 1004, "body": "second", "tag": "t-1004", "n": 7}]""",
            1003, 1004);
    }

    [Fact]
    public async Task Post_of_a_json_array_with_one_bad_row_inserts_nothing()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 1005, "body": "fine"}, {"id": 1006, "body": null}]""");

        var error = await AssertErrorAsync(response, 400, "23502");
        Assert.Equal("null value in column \"body\" of relation \"fixture_note\" violates not-null constraint", error.Message);
        await api.AssertNotesAsync("[]", 1005, 1006);
    }

    [Fact]
    public async Task Post_of_csv_inserts_every_line_with_NULL_as_null_and_an_empty_field_as_empty_text()
    {
        using var response = await anon.SendTextAsync(HttpMethod.Post, "/notes",
            "id,body,tag\n1007,from csv,NULL\n1008,,t-1008", "text/csv");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync(
            """[{"id": 1007, "body": "from csv", "tag": null, "n": 7}, {"id": 1008, "body": "", "tag": "t-1008", "n": 7}]""",
            1007, 1008);
    }

    [Fact]
    public async Task Post_of_csv_with_quoted_fields_keeps_commas_quotes_and_a_quoted_NULL_as_text()
    {
        using var response = await anon.SendTextAsync(HttpMethod.Post, "/notes",
            "id,body,tag\n1021,\"a, \"\"quoted\"\" body\",\"NULL\"", "text/csv");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync("""[{"id": 1021, "body": "a, \"quoted\" body", "tag": "NULL", "n": 7}]""", 1021);
    }

    [Fact]
    public async Task Post_of_csv_with_a_line_of_another_length_returns_400_PGRST102()
    {
        using var response = await anon.SendTextAsync(HttpMethod.Post, "/notes", "id,body\n1022,ok\n1023", "text/csv");

        var error = await AssertErrorAsync(response, 400, "PGRST102");
        Assert.Equal("All lines must have same number of fields", error.Message);
        await api.AssertNotesAsync("[]", 1022, 1023);
    }

    [Fact]
    public async Task Post_of_a_form_inserts_one_row_of_its_fields()
    {
        using var response = await anon.SendTextAsync(HttpMethod.Post, "/notes",
            "id=1009&body=from+a+form%21&n=3", "application/x-www-form-urlencoded");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync("""[{"id": 1009, "body": "from a form!", "tag": null, "n": 3}]""", 1009);
    }

    [Fact]
    public async Task Post_with_quoted_columns_inserts_only_those_keys_and_ignores_the_others()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?columns=%22id%22,%22body%22",
            """{"id": 1010, "body": "kept", "tag": "ignored", "n": 99, "not_a_column": true}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 1010, "body": "kept", "tag": null, "n": 7}]""");
    }

    [Fact]
    public async Task Post_of_an_array_with_columns_ignores_keys_outside_columns_in_every_object()
    {
        // postgrest-js sends a bulk insert this way: columns= the union of the keys, each quoted.
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?columns=\"id\",\"body\"&select=id,body",
            """[{"id": 1024, "body": "a", "extra": 1}, {"id": 1025, "body": "b", "other": 2}]""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 1024, "body": "a"}, {"id": 1025, "body": "b"}]""");
    }

    [Fact]
    public async Task Post_with_columns_and_a_key_missing_from_an_object_inserts_null_for_it()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?columns=\"id\",\"body\",\"n\"",
            """[{"id": 1026, "body": "with n", "n": 1}, {"id": 1027, "body": "without n"}]""");

        await AssertNoBodyAsync(response, 201);
        await api.AssertNotesAsync(
            """[{"id": 1026, "body": "with n", "tag": null, "n": 1}, {"id": 1027, "body": "without n", "tag": null, "n": null}]""",
            1026, 1027);
    }

    [Fact]
    public async Task Post_with_columns_and_missing_default_uses_the_column_default_for_absent_keys()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?columns=\"id\",\"body\",\"n\"",
            """[{"id": 1028, "body": "with n", "n": 1}, {"id": 1029, "body": "without n"}]""",
            ("Prefer", "missing=default, return=representation"));

        await AssertRowsAsync(response, 201,
            """[{"id": 1028, "body": "with n", "tag": null, "n": 1}, {"id": 1029, "body": "without n", "tag": null, "n": 7}]""");
        Assert.Equal("missing=default, return=representation", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Post_with_columns_naming_an_unknown_column_returns_400_PGRST204()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?columns=\"id\",\"nope\"", """{"id": 1011, "body": "x"}""");

        var error = await AssertErrorAsync(response, 400, "PGRST204");
        Assert.Equal("Could not find the 'nope' column of 'notes' in the schema cache", error.Message);
        await api.AssertNotesAsync("[]", 1011);
    }

    [Fact]
    public async Task Post_with_a_body_key_that_is_not_a_column_returns_400_PGRST204()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 1012, "body": "x", "nope": 1}""");

        var error = await AssertErrorAsync(response, 400, "PGRST204");
        Assert.Equal("Could not find the 'nope' column of 'notes' in the schema cache", error.Message);
        await api.AssertNotesAsync("[]", 1012);
    }

    [Fact]
    public async Task Post_of_an_array_whose_objects_have_different_keys_returns_400_PGRST102()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 1013, "body": "a"}, {"id": 1014, "body": "b", "tag": "t-1014"}]""");

        var error = await AssertErrorAsync(response, 400, "PGRST102");
        Assert.Equal("All object keys must match", error.Message);
        await api.AssertNotesAsync("[]", 1013, 1014);
    }

    [Fact]
    public async Task Post_of_an_array_with_an_element_that_is_not_an_object_returns_400_PGRST102()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """[{"id": 1030, "body": "a"}, 123, "x"]""");

        var error = await AssertErrorAsync(response, 400, "PGRST102");
        Assert.Equal("All object keys must match", error.Message);
        await api.AssertNotesAsync("[]", 1030);
    }

    [Fact]
    public async Task Post_of_invalid_json_returns_400_PGRST102()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", "}{ x = 2");

        var error = await AssertErrorAsync(response, 400, "PGRST102");
        Assert.Equal("Empty or invalid json", error.Message);
    }

    [Fact]
    public async Task Post_of_an_empty_body_returns_400_PGRST102()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", "");

        var error = await AssertErrorAsync(response, 400, "PGRST102");
        Assert.Equal("Empty or invalid json", error.Message);
    }

    [Fact]
    public async Task Post_with_return_headers_only_sets_location_to_the_inserted_key()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=body",
            """{"id": 1015, "body": "located"}""", ("Prefer", "return=headers-only"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("/notes?id=eq.1015", Header(response, "Location"));
        Assert.Equal("*/*", Header(response, "Content-Range"));
        Assert.Equal("return=headers-only", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 1015, "body": "located", "tag": null, "n": 7}]""", 1015);
    }

    [Fact]
    public async Task Post_of_two_rows_with_return_headers_only_sends_no_location()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 1031, "body": "a"}, {"id": 1032, "body": "b"}]""", ("Prefer", "return=headers-only"));

        // Location names one row; with two there is none to name.
        await AssertNoBodyAsync(response, 201);
        Assert.Null(Header(response, "Location"));
    }

    [Fact]
    public async Task Post_with_count_exact_reports_the_inserted_count_in_content_range()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 1016, "body": "a"}, {"id": 1017, "body": "b"}]""", ("Prefer", "count=exact"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("*/2", Header(response, "Content-Range"));
        Assert.Equal("count=exact", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Post_echoes_applied_preferences_in_postgrest_order()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id",
            """{"id": 1018, "body": "a"}""", ("Prefer", "count=exact, return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 1018}]""");
        Assert.Equal("*/1", Header(response, "Content-Range"));
        Assert.Equal("return=representation, count=exact", Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Post_with_a_value_of_the_wrong_type_returns_400_22P02_and_inserts_nothing()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """[{"id": 1019, "body": "a", "n": 1}, {"id": 1033, "body": "b", "n": "many"}]""");

        var error = await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal("invalid input syntax for type integer: \"many\"", error.Message);
        await api.AssertNotesAsync("[]", 1019, 1033);
    }

    [Fact]
    public async Task Post_to_an_unknown_view_returns_404_PGRST205()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/nonexistent", """{"id": 1}""");

        var error = await AssertErrorAsync(response, 404, "PGRST205");
        Assert.Equal("Could not find the table 'api.nonexistent' in the schema cache", error.Message);
    }

    [Fact]
    public async Task Post_to_a_misspelled_view_hints_at_the_nearest_one_as_reads_do()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notez", """{"id": 1}""");

        var error = await AssertErrorAsync(response, 404, "PGRST205");
        Assert.Equal("Perhaps you meant the table 'api.notes'", error.Hint);
    }
}
