using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Api;

public sealed class ErrorLoggingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_server_error_is_logged_once_with_its_cause_and_request_id_while_the_body_hides_it()
    {
        var logs = new CapturedLogs();
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureLogging(l => l.AddProvider(logs)));
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);

        using var response = await client.PostAsync("/rpc/fail", Json("{\"kind\":\"internal\"}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain("secret internal detail", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var logged = Assert.Single(logs.Entries, e => e.Category == "Gateway.Errors");
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains("secret internal detail", logged.Message, StringComparison.Ordinal);
        Assert.Contains("XX000", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_is_logged_once_with_its_code_but_not_what_the_client_sent()
    {
        var logs = new CapturedLogs();
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureLogging(l => l.AddProvider(logs)));
        var client = factory.CreateClient();

        using var response = await client.GetAsync("/items?name=zz.top-secret-value");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var logged = Assert.Single(logs.Entries, e => e.Category == "Gateway.Errors");
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Contains("PGRST100", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret-value", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_never_logged()
    {
        var logs = new CapturedLogs();
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureLogging(l => l.AddProvider(logs)));
        var client = factory.CreateClient();
        var token = api.Token(1);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token + "x");

        using var response = await client.GetAsync("/items");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
