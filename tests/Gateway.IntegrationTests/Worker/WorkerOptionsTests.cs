using Gateway.Worker.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.IntegrationTests.Worker;

/// <summary>Start-up validation: every missing or unusable key is named at once, by its environment variable.</summary>
public sealed class WorkerOptionsTests
{
    private static readonly Dictionary<string, string?> Minimal = new()
    {
        ["ConnectionStrings:Worker"] = "Host=127.0.0.1;Username=worker_service_user;Password=x",
        ["Worker:Smtp:Host"] = "smtp.example.com",
    };

    [Fact]
    public void Missing_connection_string_and_smtp_host_are_both_named()
    {
        var (options, problems) = Load(new Dictionary<string, string?>());

        Assert.Null(options);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("ConnectionStrings__Worker is missing", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Worker__Smtp__Host is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_unusable_value_is_named_in_one_report()
    {
        var (options, problems) = Load(new Dictionary<string, string?>(Minimal)
        {
            ["Worker:Concurrency"] = "0",
            ["Worker:PollInterval"] = "5",
            ["Worker:ShutdownTimeout"] = "soon",
            ["Worker:HealthUrls"] = "https://0.0.0.0:9464",
            ["Worker:Smtp:Security"] = "tls13",
            ["Worker:Smtp:Port"] = "70000",
            ["Worker:Smtp:Username"] = "mailer",
        });

        Assert.Null(options);
        string[] keys =
        [
            "Worker__Concurrency", "Worker__PollInterval", "Worker__ShutdownTimeout", "Worker__HealthUrls",
            "Worker__Smtp__Security", "Worker__Smtp__Port", "Worker__Smtp__Username and Worker__Smtp__Password",
        ];
        Assert.Equal(keys.Length, problems.Count);
        foreach (var key in keys)
        {
            Assert.Contains(problems, problem => problem.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_pool_smaller_than_the_loops_is_refused()
    {
        var (_, problems) = Load(new Dictionary<string, string?>(Minimal)
        {
            ["ConnectionStrings:Worker"] = "Host=127.0.0.1;Username=worker_service_user;Password=x;Maximum Pool Size=5",
            ["Worker:Concurrency"] = "8",
        });

        var problem = Assert.Single(problems);
        Assert.StartsWith("ConnectionStrings__Worker has Maximum Pool Size 5", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_two_loops_a_five_second_poll_starttls_on_587_and_health_on_loopback()
    {
        var (options, problems) = Load(Minimal);

        Assert.Empty(problems);
        Assert.NotNull(options);
        Assert.Equal(2, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(5), options.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownTimeout);
        Assert.Equal(["http://127.0.0.1:9464"], options.HealthUrls);
        Assert.Equal(SmtpSecurity.StartTls, options.Smtp.Security);
        Assert.Equal(587, options.Smtp.Port);
        Assert.Null(options.Smtp.Username);
    }

    [Theory]
    [InlineData("none", 25)]
    [InlineData("StartTls", 587)]
    [InlineData("ssl", 465)]
    public void The_smtp_port_defaults_to_the_usual_one_for_its_security(string security, int port)
    {
        var (options, _) = Load(new Dictionary<string, string?>(Minimal) { ["Worker:Smtp:Security"] = security });

        Assert.Equal(port, options!.Smtp.Port);
    }

    [Fact]
    public void Several_health_urls_are_separated_by_semicolons()
    {
        var (options, _) = Load(new Dictionary<string, string?>(Minimal) { ["Worker:HealthUrls"] = "http://127.0.0.1:9464; http://[::1]:9464" });

        Assert.Equal(["http://127.0.0.1:9464", "http://[::1]:9464"], options!.HealthUrls);
    }

    private static (WorkerOptions? Options, IReadOnlyList<string> Problems) Load(IDictionary<string, string?> values) =>
        WorkerOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
