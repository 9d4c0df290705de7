namespace Gateway.Hosting;

/// <summary>
/// <c>Gateway --healthcheck [urls]</c>: asks <c>/health/live</c> of a server running in the same container and exits 0
/// when it answers 2xx, 1 otherwise. The container's <c>HEALTHCHECK</c> runs it, since the runtime image has no curl.
/// It asks the first of the listening addresses given (e.g. the worker's <c>http://0.0.0.0:9464</c>), or of the
/// gateway's own (<c>ASPNETCORE_URLS</c>, else <c>ASPNETCORE_HTTP_PORTS</c>, else port 8080), on the loopback interface.
/// </summary>
internal static class HealthProbe
{
    public const string Argument = "--healthcheck";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    public static async Task<int> RunAsync(string[] args)
    {
        var target = LocalUrl(
            args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("ASPNETCORE_URLS"),
            Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(new Uri(target));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{target}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The liveness URL on loopback for the first configured listening address.</summary>
    public static string LocalUrl(string? urls, string? httpPorts)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is not null)
        {
            // http://+:8080, http://*:8080, http://0.0.0.0:8080, http://[::]:8080 all answer on loopback too.
            var schemeEnd = first.IndexOf("://", StringComparison.Ordinal);
            var portStart = first.LastIndexOf(':');
            if (schemeEnd > 0 && portStart > schemeEnd + 2)
            {
                var port = first[(portStart + 1)..].TrimEnd('/');
                return $"{first[..schemeEnd]}://127.0.0.1:{port}/health/live";
            }
        }

        var httpPort = httpPorts?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        return $"http://127.0.0.1:{httpPort}/health/live";
    }
}
