using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

public sealed class RpcBodyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Post_with_columns_uses_only_the_named_keys_and_ignores_the_rest()
    {
        using var response = await api.Anon().PostAsync("/rpc/add?columns=a,b", Json("""{"a": 2, "b": 3, "unrelated": "x"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_without_columns_and_with_an_extra_key_finds_no_function()
    {
        using var response = await api.Anon().PostAsync("/rpc/add", Json("""{"a": 2, "b": 3, "unrelated": "x"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_with_a_form_urlencoded_body_passes_its_fields_as_arguments()
    {
        using var body = new FormUrlEncodedContent([new("a", "4"), new("b", "5")]);

        using var response = await api.Anon().PostAsync("/rpc/add", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("9", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_with_an_array_body_calls_with_its_first_element()
    {
        using var response = await api.Anon().PostAsync("/rpc/add", Json("""[{"a": 1, "b": 1}, {"a": 5, "b": 5}]"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_single_unnamed_json_parameter_receives_an_array_body_whole()
    {
        using var response = await api.Anon().PostAsync("/rpc/echo", Json("""[1, {"a": 2}]"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Count_planned_reports_the_planner_estimate_as_the_total()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&limit=2");
        request.Headers.Add("Prefer", "count=planned");

        using var response = await api.Anon().SendAsync(request);

        var range = response.Content.Headers.TryGetValues("Content-Range", out var values) || response.Headers.TryGetValues("Content-Range", out values)
            ? values.Single()
            : throw new Xunit.Sdk.XunitException("no Content-Range");
        Assert.Matches(@"^0-1/\d+$", range);
        Assert.True(long.Parse(range.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("count=planned", response.Headers.GetValues("Preference-Applied").Single());
    }

    [Fact]
    public async Task A_json_body_with_a_utf8_byte_order_mark_is_read_without_it()
    {
        using var response = await api.Anon().PostAsync("/rpc/add", Bytes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"a": 2, "b": 3}""")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_json_body_in_utf16_with_its_byte_order_mark_is_read_as_that_text()
    {
        using var response = await api.Anon().PostAsync("/rpc/add", Bytes(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("""{"a": 4, "b": 3}""")).ToArray()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bytes_of_a_json_body_that_are_not_utf8_become_replacement_characters()
    {
        using var response = await api.Anon().PostAsync("/rpc/echo", Bytes([.. "[\"a"u8, 0xFF, .. "b\"]"u8]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("a\uFFFDb", body.RootElement[0].GetString());
    }

    [Fact]
    public async Task A_call_whose_body_is_only_white_space_has_no_arguments()
    {
        using var response = await api.Anon().PostAsync("/rpc/getallprojects?select=id&order=id&limit=1", Json(" \r\n\t "));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""[{"id":1}]""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_sent_in_small_chunks_without_a_length_arrives_whole()
    {
        var items = Enumerable.Range(1, 20_000).Select(i => $$"""{"n": {{i}}}""");
        var json = Encoding.UTF8.GetBytes("[" + string.Join(", ", items) + "]");
        using var content = new StreamContent(new TrickleStream(json, 1000));
        content.Headers.ContentType = new("application/json");

        using var response = await api.Anon().PostAsync("/rpc/echo", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(content.Headers.ContentLength);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(20_000, body.RootElement.GetArrayLength());
        Assert.Equal(20_000, body.RootElement[19_999].GetProperty("n").GetInt32());
    }

    private static ByteArrayContent Bytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    /// <summary>A body of unknown length (sent chunked) that gives at most <paramref name="chunk"/> bytes a read.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
