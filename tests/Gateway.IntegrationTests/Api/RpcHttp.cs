using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

/// <summary>PostgREST's error body, read from a response: <c>{code, details, hint, message}</c>.</summary>
internal sealed record ErrorBody(string Code, string? Details, string? Hint, string Message);

/// <summary>
/// What the RPC, transaction, auth, error and catalog tests share: JSON requests as postgrest-js sends them, error
/// bodies checked against PostgREST's shape, raw response headers, and the fixture's state read as the superuser.
/// </summary>
internal static class RpcHttp
{
    /// <summary>A JSON body with <c>Content-Type: application/json</c>, as postgrest-js sends every call.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, Json(json));

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    /// <summary>A client with this exact <c>Authorization</c> header value (sent as is, not validated).</summary>
    public static HttpClient WithAuthorization(this HttpClient client, string authorization)
    {
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        return client;
    }

    /// <summary>A client carrying <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<JsonNode?> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text);
    }

    /// <summary>Asserts a successful status and returns the parsed JSON body, showing the body when the status is wrong.</summary>
    public static async Task<JsonNode?> AssertJsonAsync(HttpResponseMessage response, int status = 200)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return JsonNode.Parse(text);
    }

    /// <summary>Asserts the status and the exact JSON body (compared as JSON values, so whitespace does not matter).</summary>
    public static async Task AssertJsonEqualAsync(HttpResponseMessage response, string expectedJson, int status = 200)
    {
        var actual = await AssertJsonAsync(response, status);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expectedJson), actual),
            $"expected {expectedJson}, got {actual?.ToJsonString() ?? "null"}");
    }

    /// <summary>
    /// Asserts a PostgREST error: the status, <c>Content-Type</c>, <c>Proxy-Status: PostgREST; error={code}</c> and a body
    /// whose keys are exactly code, details, hint, message in that order, with string or null values.
    /// </summary>
    public static async Task<ErrorBody> AssertErrorAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = ParseError(text);
        Assert.Equal(code, body.Code);
        Assert.Equal($"PostgREST; error={code}", Header(response, "Proxy-Status"));
        return body;
    }

    /// <summary>Reads an error body, asserting its keys are exactly code, details, hint, message, in that order.</summary>
    public static ErrorBody ParseError(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["code", "details", "hint", "message"], root.EnumerateObject().Select(p => p.Name));
        return new ErrorBody(
            root.GetProperty("code").GetString()!,
            StringOrNull(root.GetProperty("details")),
            StringOrNull(root.GetProperty("hint")),
            root.GetProperty("message").GetString()!);
    }

    /// <summary>A response header as sent (not re-parsed by HttpClient), its values joined by ", "; null when absent.</summary>
    public static string? Header(HttpResponseMessage response, string name)
    {
        if (response.Headers.NonValidated.TryGetValues(name, out var values)
            || response.Content.Headers.NonValidated.TryGetValues(name, out values))
        {
            return string.Join(", ", values);
        }

        return null;
    }

    /// <summary>The value of the fixture's counter, which only api.bump and api.bump_then_fail change.</summary>
    public static async Task<int> CounterAsync(this ApiFixture api)
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<int>("select n from demo.fixture_counter");
    }

    /// <summary>
    /// A fingerprint of everything hostile input could change: the counter, the fixture rows, the objects of the
    /// exposed and app schemas, and the roles' attributes.
    /// </summary>
    public static async Task<string> StateAsync(this ApiFixture api)
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<string>("""
            select concat_ws(' | ',
              (select n from demo.fixture_counter)::text,
              (select md5(string_agg(i::text, ',' order by i.id)) from demo.fixture_item i),
              (select md5(string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text, ',' order by n.nspname, c.relname))
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname in ('api', 'demo', 'accounts', 'auth', 'internal', 'queues', 'comms')),
              (select md5(string_agg(p.oid::regprocedure::text || ':' || coalesce(p.proacl::text, ''), ',' order by p.oid::regprocedure::text))
               from pg_proc p join pg_namespace n on n.oid = p.pronamespace
               where n.nspname in ('api', 'demo', 'accounts', 'auth', 'internal', 'queues', 'comms')),
              (select md5(string_agg(r.rolname || r.rolsuper || r.rolcanlogin || r.rolinherit, ',' order by r.rolname))
               from pg_roles r where r.rolname in ('anon', 'authenticated', 'authenticator', 'gateway_owner', 'worker_service_user')),
              (select count(*) from accounts.account)::text)
            """) ?? "";
    }

    private static string? StringOrNull(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => element.GetString(),
        _ => element.GetRawText(),
    };
}
