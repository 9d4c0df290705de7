using System.Text.RegularExpressions;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The response headers of contract §1.5 around writes and reads: <c>Content-Location</c> (parameters sorted, a
/// repeated key's values joined), <c>Vary: Accept, Prefer, Range</c>, <c>Proxy-Status</c> on errors,
/// <c>Server-Timing</c> only when <c>Gateway:ServerTiming</c> is on (with the stages run so far), and
/// <c>nulls=stripped</c> applied to what a write returns. Each test uses ids in the 9000s.
/// </summary>
public sealed class SurfaceHeadersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_sends_content_location_with_sorted_parameters_and_repeated_keys_joined()
    {
        using var response = await anon.ReadAsync("/notes?select=id,body&id=gt.0&id=lt.5");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/notes?id=gt.0,lt.5&select=id%2Cbody", Header(response, "Content-Location"));
    }

    [Fact]
    public async Task Get_sends_vary_on_accept_prefer_and_range()
    {
        using var response = await anon.ReadAsync("/notes?select=id");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Accept, Prefer, Range", Header(response, "Vary"));
    }

    [Fact]
    public async Task Post_sends_vary_on_accept_prefer_and_range()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 9001, "body": "vary"}""");

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("Accept, Prefer, Range", Header(response, "Vary"));
    }

    [Fact]
    public async Task Patch_sends_vary_on_accept_prefer_and_range()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.9999", """{"body": "vary"}""");

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("Accept, Prefer, Range", Header(response, "Vary"));
    }

    [Fact]
    public async Task Write_error_from_the_database_sends_proxy_status_with_its_sqlstate()
    {
        await api.SeedNotesAsync((9002, "first", null));

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 9002, "body": "again"}""");

        Assert.Equal(409, (int)response.StatusCode);
        Assert.Equal("PostgREST; error=23505", Header(response, "Proxy-Status"));
    }

    [Fact]
    public async Task Write_error_from_the_gateway_sends_proxy_status_with_its_pgrst_code()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """[{"id": 9003, "body": "a"}, {"id": 9004}]""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("PostgREST; error=PGRST102", Header(response, "Proxy-Status"));
    }

    [Fact]
    public async Task Successful_write_sends_no_proxy_status()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 9005, "body": "fine"}""");

        await AssertNoBodyAsync(response, 201);
        Assert.Null(Header(response, "Proxy-Status"));
    }

    [Fact]
    public async Task Server_timing_is_absent_by_default()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 9006, "body": "untimed"}""");

        await AssertNoBodyAsync(response, 201);
        Assert.Null(Header(response, "Server-Timing"));
    }

    [Fact]
    public async Task Server_timing_when_enabled_times_every_stage_of_a_write()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:ServerTiming", "true"));

        using var response = await factory.CreateClient().SendJsonAsync(HttpMethod.Post, "/notes?select=id",
            """{"id": 9007, "body": "timed"}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"id": 9007}]""");
        Assert.Equal(["jwt", "parse", "plan", "transaction", "response"], TimedStages(response));
    }

    [Fact]
    public async Task Server_timing_when_enabled_times_a_read()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:ServerTiming", "true"));

        using var response = await factory.CreateClient().ReadAsync("/notes?select=id&limit=1");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["jwt", "parse", "plan", "transaction", "response"], TimedStages(response));
    }

    [Fact]
    public async Task Server_timing_on_a_parse_error_times_the_stages_run_so_far()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:ServerTiming", "true"));

        using var response = await factory.CreateClient().SendJsonAsync(HttpMethod.Patch, "/notes?id=invalid", """{"body": "x"}""");

        await AssertErrorAsync(response, 400, "PGRST100");
        Assert.Equal(["jwt", "parse"], TimedStages(response));
    }

    [Fact]
    public async Task Server_timing_on_a_database_error_times_the_stages_run_so_far()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:ServerTiming", "true"));

        using var response = await factory.CreateClient().SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.invalid", """{"body": "x"}""");

        await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal(["jwt", "parse", "plan", "transaction"], TimedStages(response));
    }

    [Fact]
    public async Task Nulls_stripped_array_drops_null_values_from_a_write_representation()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes",
            """{"id": 9008, "body": "no tag"}""",
            ("Prefer", "return=representation"), ("Accept", "application/vnd.pgrst.array+json;nulls=stripped"));

        ReadsHttp.AssertJsonEqual("""[{"id": 9008, "body": "no tag", "n": 7}]""",
            await ReadsHttp.AssertBodyAsync(response, 201, "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8"));
    }

    [Fact]
    public async Task Nulls_stripped_object_drops_null_values_from_a_patched_row()
    {
        await api.SeedNotesAsync((9009, "before", "t-9009"));

        using var response = await anon.SendJsonAsync(HttpMethod.Patch, "/notes?id=eq.9009",
            """{"tag": null, "n": null}""",
            ("Prefer", "return=representation"), ("Accept", "application/vnd.pgrst.object+json;nulls=stripped"));

        ReadsHttp.AssertJsonEqual("""{"id": 9009, "body": "before"}""",
            await ReadsHttp.AssertBodyAsync(response, 200, "application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8"));
    }

    // Server-Timing: "jwt;dur=0.1, parse;dur=0.0, ..." — the stage names, in order, each with a duration.
    private static string[] TimedStages(HttpResponseMessage response)
    {
        var header = Header(response, "Server-Timing");
        Assert.NotNull(header);
        var entries = header.Split(", ");
        Assert.All(entries, entry => Assert.Matches(new Regex(@"^[a-z]+;dur=\d+(\.\d+)?$"), entry));
        return [.. entries.Select(entry => entry[..entry.IndexOf(';', StringComparison.Ordinal)])];
    }
}
