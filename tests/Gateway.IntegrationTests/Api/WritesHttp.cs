using System.Text;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// What the write and request-surface tests share: writes with a body and the headers postgrest-js sends, empty
/// responses checked as PostgREST sends them (no body, no <c>Content-Type</c>), the fixture's notes seeded and read
/// back as the superuser (so what a request changed is checked in the database, not through the gateway), and a
/// gateway started with extra settings.
/// </summary>
internal static class WritesHttp
{
    public const string ObjectType = "application/vnd.pgrst.object+json";

    /// <summary>Sends <paramref name="method"/> with a JSON body (<c>Content-Type: application/json</c>) and extra headers.</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(
        this HttpClient client, HttpMethod method, string path, string json, params (string Name, string Value)[] headers) =>
        client.SendContentAsync(method, path, RpcHttp.Json(json), headers);

    /// <summary>Sends <paramref name="method"/> with <paramref name="body"/> as <paramref name="contentType"/>.</summary>
    public static Task<HttpResponseMessage> SendTextAsync(
        this HttpClient client, HttpMethod method, string path, string body, string contentType, params (string Name, string Value)[] headers) =>
        client.SendContentAsync(method, path, new StringContent(body, Encoding.UTF8, contentType), headers);

    /// <summary>DELETE without a body.</summary>
    public static Task<HttpResponseMessage> RemoveAsync(this HttpClient client, string path, params (string Name, string Value)[] headers) =>
        client.SendContentAsync(HttpMethod.Delete, path, null, headers);

    public static async Task<HttpResponseMessage> SendContentAsync(
        this HttpClient client, HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"cannot send header {name}");
        }

        return await client.SendAsync(request);
    }

    /// <summary>Asserts the status, an empty body and no <c>Content-Type</c> (PostgREST sends none without a body).</summary>
    public static async Task AssertNoBodyAsync(HttpResponseMessage response, int status)
    {
        var contentType = RpcHttp.Header(response, "Content-Type");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("", body);
        Assert.Null(contentType);
    }

    /// <summary>Asserts the status, <c>Content-Type: application/json; charset=utf-8</c> and a body equal in value to <paramref name="expected"/>.</summary>
    public static async Task AssertRowsAsync(HttpResponseMessage response, int status, string expected) =>
        ReadsHttp.AssertJsonEqual(expected, await ReadsHttp.AssertBodyAsync(response, status));

    /// <summary>Inserts notes as the superuser (not through the gateway), <c>n</c> left to its default 7.</summary>
    public static async Task SeedNotesAsync(this ApiFixture api, params (int Id, string Body, string? Tag)[] notes)
    {
        await using var admin = await api.OpenAdminAsync();
        foreach (var (id, body, tag) in notes)
        {
            await admin.ExecuteAsync("insert into demo.fixture_note (id, body, tag) values (@id, @body, @tag)", new { id, body, tag });
        }
    }

    /// <summary>
    /// The notes with these ids as the database holds them, a JSON array of <c>{id, body, tag, n}</c> ordered by id
    /// (<c>[]</c> when none exists), read as the superuser.
    /// </summary>
    public static async Task<string> NotesAsync(this ApiFixture api, params int[] ids)
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<string>(
            """
            select coalesce(json_agg(json_build_object('id', id, 'body', body, 'tag', tag, 'n', n) order by id), '[]')::text
            from demo.fixture_note
            where id = any(string_to_array(@ids, ',')::integer[])
            """,
            new { ids = string.Join(',', ids) }) ?? "[]";
    }

    /// <summary>Asserts the database holds exactly <paramref name="expected"/> (a JSON array) for these ids.</summary>
    public static async Task AssertNotesAsync(this ApiFixture api, string expected, params int[] ids) =>
        ReadsHttp.AssertJsonEqual(expected, await api.NotesAsync(ids));

    /// <summary><see cref="RpcHttp.StateAsync"/> plus every note and note link: what a hostile write could change.</summary>
    public static async Task<string> WriteStateAsync(this ApiFixture api)
    {
        await using var admin = await api.OpenAdminAsync();
        var notes = await admin.ExecuteScalarAsync<string>("""
            select concat_ws(' | ',
              (select md5(coalesce(string_agg(n::text, ',' order by n.id), '')) from demo.fixture_note n),
              (select md5(coalesce(string_agg(l::text, ',' order by l.id), '')) from demo.fixture_note_link l))
            """);
        return await api.StateAsync() + " | " + notes;
    }

    /// <summary>
    /// The same gateway and database with extra settings (e.g. <c>Gateway:ServerTiming=true</c>), started and ready.
    /// Dispose it at the end of the test.
    /// </summary>
    public static async Task<WebApplicationFactory<Program>> WithSettingsAsync(this ApiFixture api, params (string Key, string Value)[] settings)
    {
        var factory = api.Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        await ApiFixture.WaitUntilReadyAsync(factory.CreateClient());
        return factory;
    }
}
