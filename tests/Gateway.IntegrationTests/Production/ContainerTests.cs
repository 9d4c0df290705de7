using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// What can be tested of the container without a Docker engine: the Dockerfile's publish gives an app that starts
/// from environment variables alone, reports ready, answers its own health probe (the HEALTHCHECK), logs JSON lines,
/// stops gracefully on SIGTERM, and refuses a bad configuration with exit code 2, naming every problem.
/// </summary>
public sealed class ContainerTests(PublishedGateway published) : IClassFixture<PublishedGateway>
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_Dockerfile_publishes_the_gateway_migrator_and_worker_as_this_test_does()
    {
        var dockerfile = File.ReadAllText(Path.Combine(PublishedGateway.RepositoryRoot, "Dockerfile"));

        Assert.Contains($"dotnet {PublishedGateway.PublishArguments} -o /app/gateway", dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/Migrator/Migrator.csproj -c Release --no-restore -o /app/migrator", dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/Worker/Worker.csproj -c Release --no-restore -o /app/worker", dockerfile, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
        var entrypoint = File.ReadAllText(Path.Combine(PublishedGateway.RepositoryRoot, "docker", "entrypoint.sh"));
        Assert.Contains("exec dotnet /app/gateway/Gateway.dll --healthcheck", entrypoint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway", null, "0x1000000")]
    [InlineData("--urls", null, "0x1000000")]
    [InlineData("gateway", "0x400000", "0x400000")]
    [InlineData("worker", null, "")]
    [InlineData("migrator", null, "")]
    public async Task The_entrypoint_gives_the_gateway_a_16_MiB_young_generation_unless_told_otherwise(string program, string? given, string expected)
    {
        // The runtime reads DOTNET_GCgen0size only from the environment (README, "Container"), so the image's entry point
        // sets it for the gateway. Run as the image would, with the /app folders in a scratch directory and a dotnet
        // that prints the setting it was started with.
        var scratch = Directory.CreateTempSubdirectory("entrypoint-");
        try
        {
            foreach (var folder in new[] { "gateway", "worker", "migrator", "bin" })
            {
                Directory.CreateDirectory(Path.Combine(scratch.FullName, folder));
            }

            var entrypoint = Path.Combine(scratch.FullName, "entrypoint.sh");
            var text = await File.ReadAllTextAsync(Path.Combine(PublishedGateway.RepositoryRoot, "docker", "entrypoint.sh"));
            await File.WriteAllTextAsync(entrypoint, text.Replace("/app/", scratch.FullName + "/", StringComparison.Ordinal));
            var fakeDotnet = Path.Combine(scratch.FullName, "bin", "dotnet");
            await File.WriteAllTextAsync(fakeDotnet, "#!/bin/sh\necho \"gen0size=${DOTNET_GCgen0size:-}\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(fakeDotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var (exitCode, output) = await ShellAsync("sh", [entrypoint, program], Path.Combine(scratch.FullName, "bin"), given);

            Assert.Equal(0, exitCode);
            Assert.Equal($"gen0size={expected}", output.Trim());
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_quick_start_and_the_bench_give_the_gateway_the_images_young_generation()
    {
        // scripts/up.sh names the value; sourced, it runs nothing, and bench/common.sh sources it to start the gateway.
        var root = PublishedGateway.RepositoryRoot;
        var (exitCode, output) = await ShellAsync(
            "bash", ["-c", $". '{Path.Combine(root, "scripts", "up.sh")}' && printf %s \"$up_gateway_gen0size\""], null, null);

        Assert.Equal(0, exitCode);
        Assert.Equal("0x1000000", output);
        Assert.Contains("export DOTNET_GCgen0size=${DOTNET_GCgen0size:-$up_gateway_gen0size}", File.ReadAllText(Path.Combine(root, "scripts", "up.sh")), StringComparison.Ordinal);
        Assert.Contains("DOTNET_GCgen0size=\"${DOTNET_GCgen0size:-$up_gateway_gen0size}\"", File.ReadAllText(Path.Combine(root, "bench", "common.sh")), StringComparison.Ordinal);
    }

    // A shell command's exit code and standard output: DOTNET_GCgen0size only when gen0size is given, and programs
    // looked up in firstPath first when it is given.
    private static async Task<(int ExitCode, string Output)> ShellAsync(string shell, string[] arguments, string? firstPath, string? gen0size)
    {
        var start = new System.Diagnostics.ProcessStartInfo(shell, arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        if (firstPath is not null)
        {
            start.Environment["PATH"] = firstPath + ":/usr/bin:/bin";
        }

        start.Environment.Remove("DOTNET_GCgen0size");
        if (gen0size is not null)
        {
            start.Environment["DOTNET_GCgen0size"] = gen0size;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public void The_published_gateway_collects_garbage_in_workstation_mode_with_background_collections()
    {
        // Server GC kept about 30 MB more committed under the bench (issue 12); an operator on a many-core host can
        // still choose it with DOTNET_gcServer=1, which overrides this file.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(published.Folder, "Gateway.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }

    [Fact]
    public async Task The_published_gateway_starts_from_environment_variables_alone_reports_ready_and_logs_json_lines()
    {
        var port = PublishedGateway.FreePort();
        var environment = published.Environment(port);
        using var gateway = published.Start(environment);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await gateway.WaitUntilReadyAsync(client, StartBound);
        using var probe = published.Start(environment, "--healthcheck");
        var probeExit = await probe.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var token = Token();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&id=eq.1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Request-Id", "container-1");
        using var response = await client.SendAsync(request);

        Assert.Equal(0, probeExit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = await Eventually.ValueAsync(
            () => Task.FromResult(RequestLine(gateway.Output, "container-1")),
            found => found is not null,
            TimeSpan.FromSeconds(10),
            "the JSON request log line on stdout");
        var state = line!.Value.GetProperty("State");
        Assert.Equal("relation", state.GetProperty("Kind").GetString());
        Assert.Equal("items", state.GetProperty("Target").GetString());
        Assert.Equal("authenticated", state.GetProperty("Role").GetString());
        Assert.DoesNotContain(token, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(published.JwtSecret, gateway.Output, StringComparison.Ordinal);

        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Without_Redis_or_an_OTLP_collector_configured_their_client_libraries_are_never_loaded()
    {
        // Rate limits on, counted in-process: the Redis counter is there, and must not load the client.
        var (gateway, client) = await StartReadyAsync(("Gateway__RateLimits__authenticated__PermitLimit", "1000"));
        using var started = gateway;
        using var http = client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&id=eq.1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        using var response = await client.SendAsync(request);

        // Each costs the process about 1.3 MB (StackExchange.Redis) and 0.2 MB (the OTLP exporter) once loaded.
        var mapped = await File.ReadAllTextAsync($"/proc/{gateway.Id}/maps");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Gateway.dll", mapped, StringComparison.Ordinal);
        Assert.DoesNotContain("StackExchange.Redis.dll", mapped, StringComparison.Ordinal);
        Assert.DoesNotContain("OpenTelemetry.Exporter.OpenTelemetryProtocol.dll", mapped, StringComparison.Ordinal);
        gateway.Terminate();
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task On_SIGTERM_the_request_in_flight_finishes_and_the_process_exits()
    {
        var (gateway, client) = await StartReadyAsync(("Gateway__ShutdownTimeout", "00:00:20"));
        using var started = gateway;
        using var http = client;
        await using var admin = await published.OpenAdminAsync();

        // Long enough that a test process busy with other tests still sees it running; the probe also stops when the
        // request ends, so a request that failed is reported as such rather than as a 30 s wait.
        var inFlight = client.PostAsync("/rpc/sleep", new StringContent("{\"seconds\": 5}", Encoding.UTF8, "application/json"));
        await Eventually.TrueAsync(
            async () => inFlight.IsCompleted || await admin.ExecuteScalarAsync<long>("""
                select count(*) from pg_stat_activity
                where datname = current_database() and state = 'active' and query like '%"sleep"(%' and pid <> pg_backend_pid()
                """) > 0,
            "the request to be running in PostgreSQL");
        Assert.False(inFlight.IsCompleted, $"the request ended before the gateway was stopped: {await DescribeAsync(inFlight)}");
        gateway.Terminate();
        using var response = await inFlight;

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await Assert.ThrowsAsync<HttpRequestException>(() => new HttpClient().GetAsync(new Uri(client.BaseAddress!, "/health/live")));
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_gateway_with_exit_code_2_naming_every_key_to_fix()
    {
        var port = PublishedGateway.FreePort();
        using var gateway = published.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Gateway__MaxRows"] = "many",
            ["Gateway__RequestTimeout"] = "-00:00:05",
            ["Gateway__PathBase"] = "api",
            ["Gateway__RateLimits__anon__PermitLimit"] = "0",
            ["Gateway__ForwardedHeaders__KnownProxies__0"] = "not-an-address",
            ["Gateway__Schema"] = new string('s', 64),
            ["Gateway__ServerTiming"] = "yes",
            ["Gateway__AllowTransactionOverride"] = "sometimes",
            ["Gateway__Cors__AllowedOrigins__0"] = "https://app.example/",
            ["Gateway__OpenApi__Mode"] = "Everything",
            ["Gateway__MetricsPath"] = "metrics",
            ["Gateway__ShutdownTimeout"] = "-00:00:01",
            ["Gateway__MaxRequestBodySize"] = "0",
        });

        var exitCode = await gateway.WaitForExitAsync(StartBound);

        Assert.True(exitCode == 2, $"exit code {exitCode}:\n{gateway.Errors}");
        Assert.Contains("The gateway cannot start; fix these settings", gateway.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", gateway.Errors, StringComparison.Ordinal);
        foreach (var key in new[]
        {
            "ConnectionStrings__Gateway", "Gateway__Jwt__Secret", "Gateway__MaxRows", "Gateway__RequestTimeout", "Gateway__PathBase",
            "Gateway__RateLimits__anon__PermitLimit", "Gateway__ForwardedHeaders__KnownProxies", "Gateway__Schema",
            "Gateway__ServerTiming", "Gateway__AllowTransactionOverride", "Gateway__Cors__AllowedOrigins", "Gateway__OpenApi__Mode",
            "Gateway__MetricsPath", "Gateway__ShutdownTimeout", "Gateway__MaxRequestBodySize",
        })
        {
            Assert.Contains("  - " + key, gateway.Errors, StringComparison.Ordinal);
        }
    }

    private static async Task<string> DescribeAsync(Task<HttpResponseMessage> request)
    {
        try
        {
            using var response = await request;
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (HttpRequestException error)
        {
            return error.Message;
        }
    }

    /// <summary>The request log's JSON line for <paramref name="requestId"/>, if written yet.</summary>
    private static JsonElement? RequestLine(string output, string requestId)
    {
        foreach (var text in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!text.TrimStart().StartsWith('{'))
            {
                continue;
            }

            using var line = JsonDocument.Parse(text);
            if (line.RootElement.GetProperty("EventId").GetInt32() == 3001
                && line.RootElement.GetProperty("State").TryGetProperty("RequestId", out var id) && id.GetString() == requestId)
            {
                return line.RootElement.Clone();
            }
        }

        return null;
    }

    private string Token() => new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["sub"] = "1", ["role"] = "authenticated", ["token_use"] = "access" },
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Encoding.UTF8.GetBytes(published.JwtSecret)),
            Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
    });

    // The published gateway with these settings beside the container's own, and a client once it reports ready.
    private async Task<(GatewayProcess Gateway, HttpClient Client)> StartReadyAsync(params (string Key, string Value)[] settings)
    {
        var port = PublishedGateway.FreePort();
        var environment = published.Environment(port);
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var gateway = published.Start(environment);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            await gateway.WaitUntilReadyAsync(client, StartBound);
            return (gateway, client);
        }
        catch
        {
            client.Dispose();
            gateway.Dispose();
            throw;
        }
    }
}
