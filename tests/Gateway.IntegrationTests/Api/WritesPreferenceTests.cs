using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The preferences and media types that decide, after the statement ran, whether a write stays (contract §1.6,
/// §1.7, §2 step 5): <c>handling=strict</c> with <c>max-affected</c> (400 PGRST124, rolled back), strict with an
/// unknown preference (400 PGRST122) and lenient ignoring it, a singular <c>Accept</c> that needs exactly one row
/// (406 PGRST116, rolled back), and <c>tx=rollback</c>, honored only when <c>Gateway:AllowTransactionOverride</c> is on.
/// Each test uses ids in the 5000s.
/// </summary>
public sealed class WritesPreferenceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Patch_with_strict_max_affected_exceeded_returns_400_PGRST124_and_changes_nothing()
    {
        await api.SeedNotesAsync((5001, "a", null), (5002, "b", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=in.(5001,5002)",
            """{"body": "too many"}""", ("Prefer", "handling=strict, max-affected=1"));

        var error = await AssertErrorAsync(response, 400, "PGRST124");
        Assert.Equal("Query result exceeds max-affected preference constraint", error.Message);
        Assert.Equal("The query affects 2 rows", error.Details);
        await api.AssertNotesAsync(
            """[{"id": 5001, "body": "a", "tag": null, "n": 7}, {"id": 5002, "body": "b", "tag": null, "n": 7}]""", 5001, 5002);
    }

    [Fact]
    public async Task Delete_with_strict_max_affected_exceeded_returns_400_PGRST124_and_deletes_nothing()
    {
        await api.SeedNotesAsync((5003, "a", null), (5004, "b", null));

        using var response = await anon.RemoveAsync("/notes?id=in.(5003,5004)",
            ("Prefer", "handling=strict, max-affected=1"), ("Prefer", "return=representation"));

        var error = await AssertErrorAsync(response, 400, "PGRST124");
        Assert.Equal("The query affects 2 rows", error.Details);
        await api.AssertNotesAsync(
            """[{"id": 5003, "body": "a", "tag": null, "n": 7}, {"id": 5004, "body": "b", "tag": null, "n": 7}]""", 5003, 5004);
    }

    [Fact]
    public async Task Patch_with_strict_max_affected_not_exceeded_applies_and_echoes_both_preferences()
    {
        await api.SeedNotesAsync((5005, "a", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.5005",
            """{"body": "within limit"}""", ("Prefer", "handling=strict, max-affected=1"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("handling=strict, max-affected=1", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 5005, "body": "within limit", "tag": null, "n": 7}]""", 5005);
    }

    [Fact]
    public async Task Patch_with_lenient_max_affected_exceeded_applies_to_every_row()
    {
        await api.SeedNotesAsync((5006, "a", null), (5007, "b", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=in.(5006,5007)",
            """{"body": "lenient"}""", ("Prefer", "handling=lenient, max-affected=1"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("handling=lenient", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync(
            """[{"id": 5006, "body": "lenient", "tag": null, "n": 7}, {"id": 5007, "body": "lenient", "tag": null, "n": 7}]""",
            5006, 5007);
    }

    [Fact]
    public async Task Strict_handling_with_an_unknown_preference_returns_400_PGRST122_and_writes_nothing()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 5008, "body": "x"}""", ("Prefer", "handling=strict, foo=bar, return=representation, bogus"));

        var error = await AssertErrorAsync(response, 400, "PGRST122");
        Assert.Equal("Invalid preferences given with handling=strict", error.Message);
        Assert.Equal("Invalid preferences: foo=bar, bogus", error.Details);
        await api.AssertNotesAsync("[]", 5008);
    }

    [Fact]
    public async Task Lenient_handling_ignores_an_unknown_preference()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 5009, "body": "x"}""", ("Prefer", "handling=lenient, foo=bar"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("handling=lenient", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 5009, "body": "x", "tag": null, "n": 7}]""", 5009);
    }

    [Fact]
    public async Task An_unknown_preference_without_handling_is_ignored()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 5010, "body": "x"}""", ("Prefer", "foo=bar"));

        await AssertNoBodyAsync(response, 201);
        Assert.Null(Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Singular_accept_on_a_patch_of_two_rows_returns_406_PGRST116_and_changes_nothing()
    {
        await api.SeedNotesAsync((5011, "a", null), (5012, "b", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=in.(5011,5012)",
            """{"body": "both"}""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        var error = await AssertErrorAsync(response, 406, "PGRST116");
        Assert.Equal("Cannot coerce the result to a single JSON object", error.Message);
        Assert.Equal("The result contains 2 rows", error.Details);
        await api.AssertNotesAsync(
            """[{"id": 5011, "body": "a", "tag": null, "n": 7}, {"id": 5012, "body": "b", "tag": null, "n": 7}]""", 5011, 5012);
    }

    [Fact]
    public async Task Singular_accept_on_a_patch_of_one_row_returns_that_row_as_an_object()
    {
        await api.SeedNotesAsync((5013, "a", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.5013&select=id,body",
            """{"body": "one"}""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        ReadsHttp.AssertJsonEqual("""{"id": 5013, "body": "one"}""",
            await ReadsHttp.AssertBodyAsync(response, 200, "application/vnd.pgrst.object+json; charset=utf-8"));
        await api.AssertNotesAsync("""[{"id": 5013, "body": "one", "tag": null, "n": 7}]""", 5013);
    }

    [Fact]
    public async Task Singular_accept_on_a_patch_of_no_row_returns_406_PGRST116_with_0_rows()
    {
        // postgrest-js's maybeSingle() on a write reads "0 rows" in these details as "no row".
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.5999",
            """{"body": "nobody"}""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        var error = await AssertErrorAsync(response, 406, "PGRST116");
        Assert.Equal("The result contains 0 rows", error.Details);
    }

    [Fact]
    public async Task Singular_accept_on_a_delete_of_two_rows_returns_406_PGRST116_and_deletes_nothing()
    {
        await api.SeedNotesAsync((5014, "a", null), (5015, "b", null));

        using var response = await anon.RemoveAsync("/notes?id=in.(5014,5015)", ("Accept", ObjectType));

        await AssertErrorAsync(response, 406, "PGRST116");
        await api.AssertNotesAsync(
            """[{"id": 5014, "body": "a", "tag": null, "n": 7}, {"id": 5015, "body": "b", "tag": null, "n": 7}]""", 5014, 5015);
    }

    [Fact]
    public async Task Singular_accept_on_a_post_of_two_rows_returns_406_PGRST116_and_inserts_nothing()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """[{"id": 5016, "body": "a"}, {"id": 5017, "body": "b"}]""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        await AssertErrorAsync(response, 406, "PGRST116");
        await api.AssertNotesAsync("[]", 5016, 5017);
    }

    [Fact]
    public async Task Singular_accept_on_a_post_of_one_row_returns_it_as_an_object()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes?select=id,body",
            """{"id": 5018, "body": "single"}""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        ReadsHttp.AssertJsonEqual("""{"id": 5018, "body": "single"}""",
            await ReadsHttp.AssertBodyAsync(response, 201, "application/vnd.pgrst.object+json; charset=utf-8"));
        await api.AssertNotesAsync("""[{"id": 5018, "body": "single", "tag": null, "n": 7}]""", 5018);
    }

    [Fact]
    public async Task Tx_rollback_when_allowed_answers_as_if_committed_but_persists_nothing()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:AllowTransactionOverride", "true"));

        using var response = await factory.CreateClient().SendJsonAsync(HttpMethod.Post, "/notes?select=id,body",
            """{"id": 5019, "body": "rolled back"}""", ("Prefer", "return=representation, tx=rollback"));

        await AssertRowsAsync(response, 201, """[{"id": 5019, "body": "rolled back"}]""");
        Assert.Equal("return=representation, tx=rollback", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("[]", 5019);
    }

    [Fact]
    public async Task Tx_rollback_when_allowed_undoes_a_patch()
    {
        await api.SeedNotesAsync((5020, "before", null));
        await using var factory = await api.WithSettingsAsync(("Gateway:AllowTransactionOverride", "true"));

        using var response = await factory.CreateClient().SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.5020",
            """{"body": "after"}""", ("Prefer", "tx=rollback"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("0-0/*", Header(response, "Content-Range"));
        Assert.Equal("tx=rollback", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 5020, "body": "before", "tag": null, "n": 7}]""", 5020);
    }

    [Fact]
    public async Task Tx_commit_when_allowed_commits_and_is_echoed()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:AllowTransactionOverride", "true"));

        using var response = await factory.CreateClient().SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 5021, "body": "committed"}""", ("Prefer", "tx=commit"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("tx=commit", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 5021, "body": "committed", "tag": null, "n": 7}]""", 5021);
    }

    [Fact]
    public async Task Tx_rollback_when_not_allowed_is_ignored_and_the_write_commits()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 5022, "body": "kept"}""", ("Prefer", "tx=rollback"));

        await AssertNoBodyAsync(response, 201);
        Assert.Null(Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 5022, "body": "kept", "tag": null, "n": 7}]""", 5022);
    }

    [Fact]
    public async Task Tx_rollback_when_not_allowed_is_not_an_invalid_preference_under_strict_handling()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 5023, "body": "kept"}""", ("Prefer", "handling=strict, tx=rollback"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("handling=strict", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 5023, "body": "kept", "tag": null, "n": 7}]""", 5023);
    }
}
