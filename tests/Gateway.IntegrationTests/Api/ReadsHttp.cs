using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// What the read tests share: GET/HEAD with the headers postgrest-js sends, the ids of the <c>api.items</c> rows a
/// query selects, and bodies compared as text or as JSON values. Error bodies and raw headers go through
/// <see cref="RpcHttp"/>, so both suites hold the gateway to one idea of PostgREST's error shape.
/// </summary>
internal static class ReadsHttp
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>GETs <paramref name="path"/> (a relative URL, sent as written) with extra headers.</summary>
    public static async Task<HttpResponseMessage> ReadAsync(
        this HttpClient client, string path, params (string Name, string Value)[] headers) =>
        await client.ReadAsync(HttpMethod.Get, path, headers);

    /// <summary>Sends <paramref name="method"/> (GET or HEAD) to <paramref name="path"/> with extra headers.</summary>
    public static async Task<HttpResponseMessage> ReadAsync(
        this HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"cannot send header {name}");
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// <c>GET /items?select=id&amp;order=id&amp;{query}</c>: asserts 200 with a JSON body and returns the ids, in order.
    /// </summary>
    public static async Task<int[]> ItemIdsAsync(this HttpClient client, string query)
    {
        using var response = await client.ReadAsync($"/items?select=id&order=id&{query}");
        return Ids(await AssertBodyAsync(response, 200));
    }

    /// <summary>Asserts that <c>GET /items?select=id&amp;order=id&amp;{query}</c> selects exactly <paramref name="expected"/>.</summary>
    public static async Task AssertItemIdsAsync(this HttpClient client, string query, params int[] expected) =>
        Assert.Equal(expected, await client.ItemIdsAsync(query));

    /// <summary>The <c>id</c> of every object of a JSON array body, in order.</summary>
    public static int[] Ids(string body) =>
        [.. JsonNode.Parse(body)!.AsArray().Select(row => row!["id"]!.GetValue<int>())];

    /// <summary>
    /// Asserts the status and the <c>Content-Type</c> header exactly as sent (HttpClient would re-space its parameters),
    /// and returns the body text, which is shown when the status is wrong.
    /// </summary>
    public static async Task<string> AssertBodyAsync(HttpResponseMessage response, int status, string contentType = JsonContentType)
    {
        // Read before the body: reading it parses Content-Type, after which only the re-formatted value is left.
        var sentContentType = RpcHttp.Header(response, "Content-Type");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(contentType, sentContentType);
        return body;
    }

    /// <summary>Asserts two JSON texts hold the same value (key order and whitespace aside).</summary>
    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, got {actual}");

    /// <summary>
    /// GETs <paramref name="path"/> and asserts the status, the JSON <c>Content-Type</c> and a body equal in value to
    /// <paramref name="expected"/> (ported spec cases).
    /// </summary>
    public static async Task AssertAnswerAsync(this HttpClient client, string path, int status, string expected)
    {
        using var response = await client.ReadAsync(path);

        AssertJsonEqual(expected, await AssertBodyAsync(response, status));
    }

    /// <summary>
    /// GETs <paramref name="path"/> and asserts the status, the JSON <c>Content-Type</c> and a body that is
    /// <paramref name="expected"/> up to whitespace: the same keys in the same order in every object and numbers written
    /// alike (<c>150.00</c> is not <c>150</c>), since PostgREST's body comes from the same SQL (json at the top, jsonb in
    /// embeds, which orders its keys shortest first).
    /// </summary>
    public static async Task AssertOrderedAnswerAsync(this HttpClient client, string path, int status, string expected)
    {
        using var response = await client.ReadAsync(path);

        Assert.Equal(Compact(expected), Compact(await AssertBodyAsync(response, status)));
    }

    /// <summary>
    /// Asserts the status, the JSON <c>Content-Type</c> and a body that is <paramref name="expected"/> byte for byte once
    /// the whitespace between its tokens is gone: for PostgREST's error bodies, which its encoder writes with sorted keys
    /// and no whitespace (a 300's <c>Content-Length</c> in its specs counts exactly those bytes).
    /// </summary>
    public static async Task AssertExactBodyAsync(HttpResponseMessage response, int status, string expected) =>
        Assert.Equal(Compact(expected), await AssertBodyAsync(response, status));

    /// <summary>GETs <paramref name="path"/> and asserts its answer as <see cref="AssertExactBodyAsync"/> does.</summary>
    public static async Task AssertExactAnswerAsync(this HttpClient client, string path, int status, string expected)
    {
        using var response = await client.ReadAsync(path);
        await AssertExactBodyAsync(response, status, expected);
    }

    // Re-written without whitespace; a JsonElement keeps its keys' order and its numbers' text, and the relaxed encoder
    // keeps quotes and non-ASCII letters as they are, as PostgreSQL and PostgREST write them.
    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, RelaxedOptions);
    }

    private static readonly JsonSerializerOptions RelaxedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Asserts 200 with a JSON body equal in value to <paramref name="expected"/>.</summary>
    public static async Task AssertJsonAsync(HttpResponseMessage response, string expected) =>
        AssertJsonEqual(expected, await AssertBodyAsync(response, 200));

    /// <summary>GETs <paramref name="path"/> and asserts 200 with a JSON body equal in value to <paramref name="expected"/>.</summary>
    public static async Task AssertReadAsync(this HttpClient client, string path, string expected)
    {
        using var response = await client.ReadAsync(path);
        await AssertJsonAsync(response, expected);
    }

    /// <summary>As <see cref="AssertReadAsync"/> with <c>Prefer: count=exact</c>, and asserts the <c>Content-Range</c> it answers.</summary>
    public static async Task AssertCountedReadAsync(this HttpClient client, string path, string contentRange, string expected)
    {
        using var response = await client.ReadAsync(path, ("Prefer", "count=exact"));

        await AssertJsonAsync(response, expected);
        Assert.Equal(contentRange, RpcHttp.Header(response, "Content-Range"));
    }

    /// <summary>
    /// HEAD <paramref name="path"/> with <c>Prefer: count=exact</c>: asserts 200, the JSON content type, no body and
    /// <paramref name="contentRange"/>.
    /// </summary>
    public static async Task AssertExactCountAsync(this HttpClient client, string path, string contentRange)
    {
        using var response = await client.ReadAsync(HttpMethod.Head, path, ("Prefer", "count=exact"));
        Assert.Equal("", await AssertBodyAsync(response, 200));
        Assert.Equal(contentRange, RpcHttp.Header(response, "Content-Range"));
    }

    /// <summary>How many rows demo.fixture_item holds, read as the superuser.</summary>
    public static async Task<long> FixtureRowCountAsync(this ApiFixture api)
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<long>("select count(*) from demo.fixture_item");
    }
}
