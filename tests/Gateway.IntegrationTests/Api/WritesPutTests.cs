using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// PUT, the single-row upsert addressed by its primary key (contract §1.9): the filters must be <c>eq</c> on exactly
/// the key (405 PGRST105), the body's key must equal the URL's (400 PGRST115), no limit/offset (400 PGRST114);
/// 201 when it inserted and 200 when it replaced with <c>return=representation</c>, 204 otherwise. The key of
/// api.notes is inferred from its base table. Each test uses ids in the 4000s.
/// </summary>
public sealed class WritesPutTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Put_of_a_new_key_with_representation_creates_the_row_and_returns_201()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4001",
            """{"id": 4001, "body": "created", "tag": "t-4001", "n": 1}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 4001, "body": "created", "tag": "t-4001", "n": 1}]""");
        Assert.Equal("return=representation", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 4001, "body": "created", "tag": "t-4001", "n": 1}]""", 4001);
    }

    [Fact]
    public async Task Put_of_an_existing_key_with_representation_replaces_the_row_and_returns_200()
    {
        await api.SeedNotesAsync((4002, "old", "t-4002"));

        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4002&select=id,body,tag",
            """{"id": 4002, "body": "replaced", "tag": "t-4002b", "n": 2}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200, """[{"id": 4002, "body": "replaced", "tag": "t-4002b"}]""");
        await api.AssertNotesAsync("""[{"id": 4002, "body": "replaced", "tag": "t-4002b", "n": 2}]""", 4002);
    }

    [Fact]
    public async Task Put_of_a_new_key_without_representation_creates_the_row_and_returns_204()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4003", """{"id": 4003, "body": "created", "tag": null, "n": 3}""");

        await AssertNoBodyAsync(response, 204);
        await api.AssertNotesAsync("""[{"id": 4003, "body": "created", "tag": null, "n": 3}]""", 4003);
    }

    [Fact]
    public async Task Put_of_an_existing_key_with_return_minimal_replaces_the_row_and_returns_204()
    {
        await api.SeedNotesAsync((4004, "old", "t-4004"));

        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4004",
            """{"id": 4004, "body": "replaced", "tag": null, "n": 4}""", ("Prefer", "return=minimal"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("return=minimal", Header(response, "Preference-Applied"));
        await api.AssertNotesAsync("""[{"id": 4004, "body": "replaced", "tag": null, "n": 4}]""", 4004);
    }

    [Fact]
    public async Task Put_with_a_one_element_array_body_upserts_that_row()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4005",
            """[{"id": 4005, "body": "from an array", "tag": null, "n": 5}]""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 4005, "body": "from an array", "tag": null, "n": 5}]""");
    }

    [Fact]
    public async Task Put_with_singular_accept_returns_the_row_as_an_object()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4006",
            """{"id": 4006, "body": "single", "tag": null, "n": 6}""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        ReadsHttp.AssertJsonEqual("""{"id": 4006, "body": "single", "tag": null, "n": 6}""",
            await ReadsHttp.AssertBodyAsync(response, 201, "application/vnd.pgrst.object+json; charset=utf-8"));
    }

    [Fact]
    public async Task Put_filtering_on_a_column_that_is_not_the_key_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?tag=eq.t-4007", """{"id": 4007, "body": "x", "tag": "t-4007"}""");

        var error = await AssertErrorAsync(response, 405, "PGRST105");
        Assert.Equal("Filters must include all and only primary key columns with 'eq' operators", error.Message);
        await api.AssertNotesAsync("[]", 4007);
    }

    [Fact]
    public async Task Put_with_another_operator_than_eq_on_the_key_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=gte.4008", """{"id": 4008, "body": "x"}""");

        await AssertErrorAsync(response, 405, "PGRST105");
        await api.AssertNotesAsync("[]", 4008);
    }

    [Fact]
    public async Task Put_with_a_negated_eq_on_the_key_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=not.eq.4009", """{"id": 4009, "body": "x"}""");

        await AssertErrorAsync(response, 405, "PGRST105");
    }

    [Fact]
    public async Task Put_with_in_on_the_key_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=in.(4010)", """{"id": 4010, "body": "x"}""");

        await AssertErrorAsync(response, 405, "PGRST105");
    }

    [Fact]
    public async Task Put_with_the_key_inside_a_logic_tree_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?and=(id.eq.4011)", """{"id": 4011, "body": "x"}""");

        await AssertErrorAsync(response, 405, "PGRST105");
    }

    [Fact]
    public async Task Put_with_a_filter_beside_the_key_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4012&body=eq.x", """{"id": 4012, "body": "x"}""");

        await AssertErrorAsync(response, 405, "PGRST105");
        await api.AssertNotesAsync("[]", 4012);
    }

    [Fact]
    public async Task Put_without_filters_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes", """{"id": 4013, "body": "x"}""");

        await AssertErrorAsync(response, 405, "PGRST105");
        await api.AssertNotesAsync("[]", 4013);
    }

    [Fact]
    public async Task Put_on_a_view_without_primary_key_returns_405_PGRST105()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/note_bodies?body=eq.x", """{"body": "x", "tag": null, "n": 1}""");

        await AssertErrorAsync(response, 405, "PGRST105");
    }

    [Fact]
    public async Task Put_with_a_body_key_differing_from_the_url_returns_400_PGRST115_and_writes_nothing()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4014", """{"id": 4015, "body": "x"}""");

        var error = await AssertErrorAsync(response, 400, "PGRST115");
        Assert.Equal("Payload values do not match URL in primary key column(s)", error.Message);
        await api.AssertNotesAsync("[]", 4014, 4015);
    }

    [Fact]
    public async Task Put_with_limit_returns_400_PGRST114()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4016&limit=1", """{"id": 4016, "body": "x"}""");

        var error = await AssertErrorAsync(response, 400, "PGRST114");
        Assert.Equal("limit/offset querystring parameters are not allowed for PUT", error.Message);
        await api.AssertNotesAsync("[]", 4016);
    }

    [Fact]
    public async Task Put_with_offset_returns_400_PGRST114()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/notes?id=eq.4017&offset=1", """{"id": 4017, "body": "x"}""");

        await AssertErrorAsync(response, 400, "PGRST114");
        await api.AssertNotesAsync("[]", 4017);
    }
}
