using System.Net;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// The built worker's stdout, as a log shipper reads it: one JSON object per event with the gateway's field names, and
/// the readiness probes of start-up (503 while the database does not answer yet) logged once, not as errors.
/// </summary>
public sealed class WorkerLogTests
{
    private const int ReadinessChanged = 5070;

    [Theory]
    [InlineData(null)]
    [InlineData("json")]
    public async Task Each_event_is_one_json_line_and_the_503s_of_start_up_are_logged_once_as_information(string? formatter)
    {
        // Nothing listens there, so the worker stays in start-up: its login cannot be checked.
        var settings = RunningWorker.Settings(
            $"Host=127.0.0.1;Port={RedisServer.FreePort()};Database=gateway;Username=worker_service_user;Password=unused", smtp: null);
        settings.Remove("Logging:Console:FormatterName");
        settings["Logging:LogLevel:Default"] = "Information";
        if (formatter is not null)
        {
            settings["Logging:Console:FormatterName"] = formatter;
        }

        using var worker = WorkerProcess.Start(settings);
        var address = await Eventually.ValueAsync(
            () => Task.FromResult(ListeningAddress(worker.Output)), found => found is not null, Eventually.DefaultBound, "the worker to listen");
        using var http = new HttpClient { BaseAddress = new Uri(address!) };
        for (var probe = 0; probe < 3; probe++)
        {
            using var ready = await http.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await Eventually.TrueAsync(() => Task.FromResult(ConsoleJson.Lines(worker.Output).Any(e => ConsoleJson.EventId(e) == ReadinessChanged)), "the readiness line");
        await worker.KillAsync();

        var events = ConsoleJson.Lines(worker.Output);
        Assert.All(events, e => Assert.Superset(new HashSet<string> { "Timestamp", "EventId", "LogLevel", "Category", "Message" }, e.Select(field => field.Key).ToHashSet()));
        Assert.DoesNotContain(events, e => e["LogLevel"]?.GetValue<string>() is "Error" or "Critical");
        var readiness = Assert.Single(events, e => ConsoleJson.EventId(e) == ReadinessChanged);
        Assert.Equal("Information", readiness["LogLevel"]?.GetValue<string>());
        Assert.Contains("Unhealthy while starting", readiness["Message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    private static string? ListeningAddress(string output) => ConsoleJson.Lines(output)
        .Select(e => e["State"]?["address"]?.GetValue<string>())
        .FirstOrDefault(address => address is not null);
}
