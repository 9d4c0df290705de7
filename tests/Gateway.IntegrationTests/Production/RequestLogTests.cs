using System.Net;
using System.Net.Http.Headers;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>One structured log line per request, and the request id that ties a request's lines together.</summary>
public sealed class RequestLogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Dictionary<string, string?> Defaults = new();

    [Fact]
    public async Task A_request_is_logged_once_with_method_kind_target_status_role_duration_and_request_id_but_no_token()
    {
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, Defaults, logs);
        var client = await Gateways.ReadyClientAsync(gateway);
        var token = api.Token(7);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id,name&name=eq.private-value");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Request-Id", "req-log-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = await SingleRequestLineAsync(logs, "req-log-1");
        Assert.Equal("GET", line.Field("Method"));
        Assert.Equal("relation", line.Field("Kind"));
        Assert.Equal("items", line.Field("Target"));
        Assert.Equal("200", line.Field("Status"));
        Assert.Null(line.Field("ErrorCode"));
        Assert.Equal("authenticated", line.Field("Role"));
        Assert.True(double.Parse(line.Field("DurationMs")!, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.DoesNotContain(logs.Entries, e => e.AllText.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.AllText.Contains("private-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_request_is_logged_with_its_error_code_kind_and_target()
    {
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, Defaults, logs);
        var client = await Gateways.ReadyClientAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rpc/no_such_function?secret_arg=hunter2");
        request.Headers.Add("X-Request-Id", "req-log-2");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var line = await SingleRequestLineAsync(logs, "req-log-2");
        Assert.Equal("rpc", line.Field("Kind"));
        Assert.Equal("no_such_function", line.Field("Target"));
        Assert.Equal("404", line.Field("Status"));
        Assert.Equal("PGRST202", line.Field("ErrorCode"));
        Assert.Equal("anon", line.Field("Role"));
        Assert.DoesNotContain(logs.Entries, e => e.AllText.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_proxy_s_request_id_is_echoed_and_names_the_request_in_its_error_log()
    {
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, Defaults, logs);
        var client = await Gateways.ReadyClientAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no_such_view");
        request.Headers.Add("X-Request-Id", "0f6c1e2a-proxy-id");

        using var response = await client.SendAsync(request);

        Assert.Equal("0f6c1e2a-proxy-id", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        var error = Assert.Single(logs.Entries, e => e.Category == "Gateway.Errors");
        Assert.Equal("0f6c1e2a-proxy-id", error.Field("RequestId"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has a space")]
    [InlineData("x")]
    public async Task A_missing_or_unacceptable_request_id_is_replaced_by_a_generated_one(string? given)
    {
        await using var gateway = Gateways.With(api, Defaults);
        var client = await Gateways.ReadyClientAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?limit=1");
        var sent = given == "x" ? new string('x', 129) : given;
        if (sent is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", sent);
        }

        using var response = await client.SendAsync(request);

        var echoed = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.NotEqual(sent, echoed);
        Assert.Matches("^[0-9a-f]{32}$", echoed);
    }

    [Fact]
    public async Task Each_console_line_written_while_handling_a_request_carries_its_request_id_and_no_other_scope()
    {
        var port = PublishedGateway.FreePort();
        using var gateway = GatewayProcess.FromBuild(new Dictionary<string, string>
        {
            ["ConnectionStrings__Gateway"] = api.AuthenticatorConnectionString,
            ["Gateway__Jwt__Secret"] = api.JwtSecret,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            // The refused token's line (event 1100), which names no request of its own, is at Debug.
            ["Logging__LogLevel__Gateway"] = "Debug",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await gateway.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        request.Headers.Add("X-Request-Id", "scope-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var lines = await Eventually.ValueAsync(
            () => Task.FromResult(ConsoleJson.Lines(gateway.Output).Where(line => ConsoleJson.Scopes(line).Any(scope => scope["RequestId"]?.GetValue<string>() == "scope-1")).ToList()),
            found => found.Any(line => ConsoleJson.EventId(line) == 3001),
            TimeSpan.FromSeconds(10),
            "the request's lines");
        Assert.Contains(lines, line => ConsoleJson.EventId(line) == 1100);
        Assert.Contains(lines, line => ConsoleJson.EventId(line) == 2001);
        var all = ConsoleJson.Lines(gateway.Output);
        // Nothing of ASP.NET Core's own scopes (trace ids, request path, connection id): a request id, or nothing.
        Assert.All(all, line => Assert.All(ConsoleJson.Scopes(line), scope => Assert.Equal(["Message", "RequestId"], scope.Select(field => field.Key))));
        Assert.Empty(ConsoleJson.Scopes(Assert.Single(all, line => ConsoleJson.EventId(line) == 1001)));
    }

    [Fact]
    public async Task With_asp_net_core_at_information_the_host_s_own_request_lines_which_carry_the_query_string_stay_off()
    {
        var logs = new StructuredLogs();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        };
        await using var gateway = Gateways.With(api, settings, logs);
        var client = await Gateways.ReadyClientAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&name=eq.private-value");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(7));
        request.Headers.Add("X-Request-Id", "req-log-host");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The gateway's own line is written, and ASP.NET Core's other categories log at Information...
        await SingleRequestLineAsync(logs, "req-log-host");
        Assert.Contains(logs.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        // ...but not the host's "Request starting GET http://.../items?...": its category is off unless named.
        Assert.DoesNotContain(logs.Entries, e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics");
        Assert.DoesNotContain(logs.Entries, e => e.AllText.Contains("private-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Started_from_another_folder_without_its_appsettings_the_host_s_request_lines_stay_off_all_the_same()
    {
        // As a service unit or a script may start it: the working directory (the content root, where appsettings.json
        // is looked for) is not the program's folder. The gateway's log levels are its own defaults, not that file's.
        var elsewhere = Directory.CreateTempSubdirectory("gateway-cwd-");
        try
        {
            var port = PublishedGateway.FreePort();
            using var gateway = GatewayProcess.Start(
                PublishedGateway.Dotnet(),
                [Path.Combine(AppContext.BaseDirectory, "Gateway.dll")],
                elsewhere.FullName,
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Gateway"] = api.AuthenticatorConnectionString,
                    ["Gateway__Jwt__Secret"] = api.JwtSecret,
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                });
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await gateway.WaitUntilReadyAsync(client, TimeSpan.FromSeconds(60));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&name=eq.private-value");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(7));
            request.Headers.Add("X-Request-Id", "cwd-1");

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Eventually.TrueAsync(
                () => Task.FromResult(ConsoleJson.Lines(gateway.Output).Any(line => ConsoleJson.EventId(line) == 3001 && line.ToJsonString().Contains("cwd-1", StringComparison.Ordinal))),
                "the request's log line");
            Assert.Contains("Content root path: " + elsewhere.FullName, gateway.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", gateway.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("private-value", gateway.Output, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    private static async Task<StructuredLogs.Entry> SingleRequestLineAsync(StructuredLogs logs, string requestId)
    {
        // The line is written when the pipeline returns, which may be just after the client has the response.
        var lines = await Eventually.ValueAsync(
            () => Task.FromResult(logs.Requests.Where(e => e.Field("RequestId") == requestId).ToList()),
            found => found.Count > 0,
            TimeSpan.FromSeconds(10),
            $"the request log line of {requestId}");
        return Assert.Single(lines);
    }
}
