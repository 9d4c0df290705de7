using System.Net;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Health;

public sealed class HealthTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private const int ReadinessChanged = 1300;

    [Fact]
    public async Task Live_answers_200()
    {
        await using var factory = new GatewayFactory(database);
        using var response = await factory.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await StatusOf(response));
    }

    [Fact]
    public async Task Ready_answers_200_once_the_database_answers_and_the_catalog_is_loaded()
    {
        await using var factory = new GatewayFactory(database);
        var client = factory.CreateClient();

        // The catalog loads in the background after start-up; readiness turns green within a bound.
        await ApiFixture.WaitUntilReadyAsync(client);
        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("catalog").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_answers_503_when_the_database_cannot_be_reached_but_live_still_answers()
    {
        await using var factory = WithUnreachableDatabase();
        var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await StatusOf(ready));
        Assert.DoesNotContain("Password", await ready.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Until_the_catalog_is_loaded_api_requests_get_503_PGRST002_with_retry_after()
    {
        await using var factory = WithUnreachableDatabase();

        using var response = await factory.CreateClient().GetAsync("/hello_world");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PGRST002", body.RootElement.GetProperty("code").GetString());
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task The_503s_of_start_up_are_logged_once_as_information_never_as_errors()
    {
        var logs = new CapturedLogs();
        await using var factory = WithUnreachableDatabase(logs);
        var client = factory.CreateClient();

        for (var probe = 0; probe < 3; probe++)
        {
            using var ready = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using var request = await client.GetAsync("/hello_world");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, request.StatusCode);
        var entries = logs.Entries;
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        var readiness = Assert.Single(entries, e => e.Event.Id == ReadinessChanged);
        Assert.Equal(LogLevel.Information, readiness.Level);
        Assert.Contains("Unhealthy while starting", readiness.Message, StringComparison.Ordinal);
        Assert.Contains("catalog Unhealthy (The catalog is not loaded yet.)", readiness.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_up_fails_naming_every_missing_or_bad_key()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Gateway", "");
            builder.UseSetting("Gateway:Jwt:Secret", "too-short");
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = error.ToString();
        Assert.Contains("ConnectionStrings__Gateway", message);
        Assert.Contains("Gateway__Jwt__Secret", message);
    }

    /// <summary>A gateway whose database cannot be reached, so it never finishes starting: port 1 of loopback refuses at once.</summary>
    private WebApplicationFactory<Program> WithUnreachableDatabase(CapturedLogs? logs = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Gateway", "Host=127.0.0.1;Port=1;Username=authenticator;Password=x;Timeout=2");
            builder.UseSetting("Gateway:Jwt:Secret", database.JwtSecret);
            if (logs is not null)
            {
                builder.ConfigureLogging(logging => logging.AddProvider(logs));
            }
        });

    private static async Task<string?> StatusOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetString();
    }
}
