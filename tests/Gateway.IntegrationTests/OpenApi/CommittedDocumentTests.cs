using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Auth;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.OpenApi;

/// <summary>
/// <c>openapi/anon.json</c> and <c>openapi/authenticated.json</c> are the documents the gateway serves for the
/// shipped migrations (no test fixtures), committed so that API drift shows up in review. These tests regenerate
/// them from a freshly migrated database through the real gateway and fail when they differ; with
/// <c>GATEWAY_WRITE_OPENAPI=1</c> (<c>scripts/openapi.sh</c>) they write them instead.
/// </summary>
public sealed class CommittedDocumentTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private const string WriteVariable = "GATEWAY_WRITE_OPENAPI";

    [Fact]
    public Task Committed_anon_document_matches_what_the_gateway_serves() =>
        AssertMatchesAsync("anon.json", token: null);

    [Fact]
    public Task Committed_authenticated_document_matches_what_the_gateway_serves() =>
        AssertMatchesAsync("authenticated.json", Jwt.Mint(database.JwtSecret, new Dictionary<string, object>
        {
            ["sub"] = "1",
            ["role"] = "authenticated",
            ["token_use"] = "access",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));

    private async Task AssertMatchesAsync(string file, string? token)
    {
        await using var factory = new GatewayFactory(database);
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var served = await client.GetDocumentTextAsync();
        var path = Path.Combine(RepositoryRoot(), "openapi", file);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served);
            return;
        }

        Assert.True(File.Exists(path), $"openapi/{file} is missing. Generate it with scripts/openapi.sh and commit it.");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path));
        var difference = FirstDifference(committed, JsonNode.Parse(served), "");
        Assert.True(difference is null,
            $"openapi/{file} differs from what the gateway serves for db/migrations at {difference}. " +
            "If the change is intended, regenerate it with scripts/openapi.sh, review the diff and commit it.");
    }

    /// <summary>The JSON pointer of the first place where the two documents differ, or null when they are equal.</summary>
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string pointer)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        return $"{pointer}/{Escape(key)} ({(e.ContainsKey(key) ? "removed" : "added")})";
                    }

                    if (FirstDifference(e[key], a[key], $"{pointer}/{Escape(key)}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    var at = $"{pointer}/{i.ToString(CultureInfo.InvariantCulture)}";
                    if (i >= e.Count || i >= a.Count)
                    {
                        return $"{at} ({(i >= a.Count ? "removed" : "added")})";
                    }

                    if (FirstDifference(e[i], a[i], at) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{(pointer.Length == 0 ? "/" : pointer)} (committed {expected?.ToJsonString() ?? "null"}, served {actual?.ToJsonString() ?? "null"})";
        }
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Gateway.sln above {AppContext.BaseDirectory}.");
    }
}
