using System.Globalization;
using Npgsql;

namespace Gateway.Worker.Configuration;

/// <summary>How the SMTP connection is secured.</summary>
internal enum SmtpSecurity
{
    /// <summary>Plain text (a relay on the same host or network).</summary>
    None,

    /// <summary>Plain connect, then STARTTLS, which the server must offer (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    Ssl,
}

/// <summary>The SMTP server email tasks are handed to (section <c>Worker:Smtp</c>).</summary>
internal sealed record SmtpOptions
{
    public required string Host { get; init; }

    /// <summary>The configured port, or the usual one for <see cref="Security"/> (25, 587, 465).</summary>
    public required int Port { get; init; }

    public required SmtpSecurity Security { get; init; }

    /// <summary>Set together with <see cref="Password"/> to authenticate; both empty to send without.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Bounds each network operation (connect, each command, the message itself).</summary>
    public required TimeSpan Timeout { get; init; }
}

/// <summary>
/// The worker's settings (section <c>Worker</c>, environment <c>Worker__...</c>) and its database login
/// (<c>ConnectionStrings:Worker</c>, the <c>worker_service_user</c> role). <see cref="Load"/> reads every key as
/// text and reports every missing or unusable value at once, naming the environment variable to fix, rather than
/// stopping at the first value the configuration binder cannot convert.
/// </summary>
internal sealed record WorkerOptions
{
    public const string ConnectionStringKey = "ConnectionStrings:Worker";
    public const string DefaultHealthUrl = "http://127.0.0.1:9464";

    /// <summary>
    /// The most pooled connections the worker holds at once: each loop's statement and its task's lease renewal, plus
    /// the metrics sampler and a health check. (The notification listener has a connection of its own, outside the pool.)
    /// </summary>
    public static int PooledConnectionsNeeded(int concurrency) => (2 * concurrency) + 2;

    public required string ConnectionString { get; init; }

    /// <summary>How many loops dequeue and process tasks at once.</summary>
    public required int Concurrency { get; init; }

    /// <summary>The longest an idle loop waits before looking again when no notification arrives.</summary>
    public required TimeSpan PollInterval { get; init; }

    /// <summary>After SIGTERM, how long in-flight tasks may run before they are given up and their leases released.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    /// <summary>How often the queue's depth and lag are read for the metrics.</summary>
    public required TimeSpan StatsInterval { get; init; }

    /// <summary>Where the health and metrics endpoints listen.</summary>
    public required IReadOnlyList<string> HealthUrls { get; init; }

    public required SmtpOptions Smtp { get; init; }

    /// <summary>The options, or every problem with the configuration (each naming its environment variable).</summary>
    public static (WorkerOptions? Options, IReadOnlyList<string> Problems) Load(IConfiguration configuration)
    {
        var reader = new Reader(configuration);

        var connectionString = reader.ConnectionString();
        var concurrency = reader.Integer("Worker:Concurrency", fallback: 2, minimum: 1, maximum: 256);
        var pollInterval = reader.Duration("Worker:PollInterval", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        var shutdownTimeout = reader.Duration("Worker:ShutdownTimeout", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromHours(1));
        var statsInterval = reader.Duration("Worker:StatsInterval", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        var healthUrls = reader.HealthUrls();
        var smtp = reader.Smtp();
        reader.CheckPoolSize(connectionString, concurrency);

        if (reader.Problems.Count > 0)
        {
            return (null, reader.Problems);
        }

        return (new WorkerOptions
        {
            ConnectionString = connectionString!,
            Concurrency = concurrency,
            PollInterval = pollInterval,
            ShutdownTimeout = shutdownTimeout,
            StatsInterval = statsInterval,
            HealthUrls = healthUrls,
            Smtp = smtp!,
        }, reader.Problems);
    }

    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private sealed class Reader(IConfiguration configuration)
    {
        public List<string> Problems { get; } = [];

        public string? ConnectionString()
        {
            var value = Text(ConnectionStringKey);
            if (value is null)
            {
                Problems.Add($"{EnvironmentName(ConnectionStringKey)} is missing: the connection string of the worker_service_user login.");
                return null;
            }

            try
            {
                var builder = new NpgsqlConnectionStringBuilder(value);
                if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Username))
                {
                    Problems.Add($"{EnvironmentName(ConnectionStringKey)} must name a Host and a Username (the worker_service_user login).");
                }
            }
            catch (ArgumentException)
            {
                // The message could quote the password, so only the key is named.
                Problems.Add($"{EnvironmentName(ConnectionStringKey)} is not a valid PostgreSQL connection string.");
            }

            return value;
        }

        public void CheckPoolSize(string? connectionString, int concurrency)
        {
            if (connectionString is null)
            {
                return;
            }

            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString);
                if (builder.Pooling && builder.MaxPoolSize < PooledConnectionsNeeded(concurrency))
                {
                    Problems.Add($"{EnvironmentName(ConnectionStringKey)} has Maximum Pool Size {builder.MaxPoolSize}, fewer than the " +
                        $"{PooledConnectionsNeeded(concurrency)} connections {concurrency} loops may hold at once (two per loop, plus two).");
                }
            }
            catch (ArgumentException)
            {
                // Already reported by ConnectionString().
            }
        }

        public int Integer(string key, int fallback, int minimum, int maximum)
        {
            var value = Text(key);
            if (value is null)
            {
                return fallback;
            }

            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < minimum || number > maximum)
            {
                Problems.Add($"{EnvironmentName(key)} must be a whole number from {minimum} to {maximum}, not '{value}'.");
                return fallback;
            }

            return number;
        }

        /// <summary>
        /// A duration written as <c>[d.]hh:mm:ss[.fff]</c>. A bare number is refused: <see cref="TimeSpan.Parse(string)"/>
        /// would read <c>5</c> as five days, which is never what someone setting a poll interval means.
        /// </summary>
        public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan minimum, TimeSpan maximum)
        {
            var value = Text(key);
            if (value is null)
            {
                return fallback;
            }

            if (!value.Contains(':', StringComparison.Ordinal)
                || !TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var duration)
                || duration < minimum
                || duration > maximum)
            {
                Problems.Add($"{EnvironmentName(key)} must be a duration written hh:mm:ss[.fff] from {minimum:c} to {maximum:c}, not '{value}'.");
                return fallback;
            }

            return duration;
        }

        public IReadOnlyList<string> HealthUrls()
        {
            const string key = "Worker:HealthUrls";
            // One value separated by ';' (as ASPNETCORE_URLS), or an array (Worker__HealthUrls__0, ...).
            var values = Text(key) is { } joined
                ? joined.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : configuration.GetSection(key).GetChildren().Select(child => child.Value?.Trim()).OfType<string>().Where(url => url.Length > 0).ToArray();
            if (values.Length == 0)
            {
                return [DefaultHealthUrl];
            }

            foreach (var url in values)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath != "/")
                {
                    Problems.Add($"{EnvironmentName(key)}: '{url}' is not an http://host:port address (the health endpoint serves plain http; keep it on a private address).");
                }
            }

            return values;
        }

        public SmtpOptions? Smtp()
        {
            var host = Text("Worker:Smtp:Host");
            if (host is null)
            {
                Problems.Add("Worker__Smtp__Host is missing: the SMTP server that sends email tasks.");
            }
            else if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                Problems.Add($"Worker__Smtp__Host '{host}' is not a host name or IP address.");
            }

            var security = SmtpSecurity.StartTls;
            if (Text("Worker:Smtp:Security") is { } securityText)
            {
                switch (securityText.ToUpperInvariant())
                {
                    case "NONE":
                        security = SmtpSecurity.None;
                        break;
                    case "STARTTLS":
                        security = SmtpSecurity.StartTls;
                        break;
                    case "SSL":
                    case "TLS":
                        security = SmtpSecurity.Ssl;
                        break;
                    default:
                        Problems.Add($"Worker__Smtp__Security must be none, starttls or ssl, not '{securityText}'.");
                        break;
                }
            }

            var defaultPort = security switch
            {
                SmtpSecurity.None => 25,
                SmtpSecurity.Ssl => 465,
                _ => 587,
            };
            var port = Integer("Worker:Smtp:Port", defaultPort, minimum: 1, maximum: 65535);

            var username = Text("Worker:Smtp:Username");
            // Not trimmed: spaces may be part of a password.
            var password = configuration["Worker:Smtp:Password"] is { Length: > 0 } secret ? secret : null;
            if ((username is null) != (password is null))
            {
                Problems.Add("Worker__Smtp__Username and Worker__Smtp__Password go together: set both to authenticate, or neither.");
            }

            var timeout = Duration("Worker:Smtp:Timeout", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

            return host is null
                ? null
                : new SmtpOptions { Host = host, Port = port, Security = security, Username = username, Password = password, Timeout = timeout };
        }

        private string? Text(string key) => configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }
}
