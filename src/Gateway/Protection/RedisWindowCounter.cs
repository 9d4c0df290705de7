using System.Diagnostics;
using Gateway.Configuration;
using Gateway.Observability;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Protection;

/// <summary>
/// Counts callers' fixed windows in Redis (<c>ConnectionStrings:Redis</c>), so that every replica using it enforces
/// one limit. Each request runs one Lua script: <c>INCR</c> the caller's key and, when the key is new, give it the
/// window as its lifetime; the count and the time left come back in the same round trip. The window is timed by
/// Redis's clock alone, so replicas whose clocks differ still share it.
/// <para>
/// Why our own script rather than <c>RedisRateLimiting.AspNetCore</c> 1.2.1: its fixed window takes the time from
/// each replica's clock (skewed replicas disagree on when a window ends), spends two keys and five commands on what
/// one <c>INCR</c> does, gives <c>Retry-After</c> in a form ASP.NET Core's metadata does not read, and lets a
/// Redis failure escape as an exception (a 500), so the fallback below would have to be wrapped around it anyway.
/// </para>
/// <para>
/// When Redis does not answer, <see cref="CountAsync"/> answers null and the request is counted in this process
/// (<see cref="SharedRateLimiter"/>): the API stays up, limited per replica. That is logged once; afterwards at most one
/// request a second tries Redis again (a Redis that hangs would otherwise hold every request for the client's
/// timeout), and the first that succeeds logs, once, that counting is shared again. <c>gateway_rate_limit_shared</c>
/// says which is in force.
/// </para>
/// </summary>
internal sealed class RedisWindowCounter(
    IOptions<GatewayOptions> options, RateLimits limits, GatewayMetrics metrics, ILogger<RedisWindowCounter> logger)
    : IHostedService, IAsyncDisposable
{
    /// <summary>Keys are this prefix and the caller's partition key (role and caller).</summary>
    public const string KeyPrefix = "gateway:rate-limit:";

    // KEYS[1]: the caller's window; ARGV[1]: its length in milliseconds. A new key has no lifetime (PTTL -1) until set.
    private const string Script = """
        local count = redis.call('incr', KEYS[1])
        local left = redis.call('pttl', KEYS[1])
        if left < 0 then
          redis.call('pexpire', KEYS[1], ARGV[1])
          left = tonumber(ARGV[1])
        end
        return {count, left}
        """;

    private const int Unknown = 0;
    private const int Shared = 1;
    private const int Local = 2;

    /// <summary>While counting locally, how often one request may try Redis again.</summary>
    private const long ProbeIntervalMilliseconds = 1000;

    private ConnectionMultiplexer? redis;
    private int state;
    private long localSince;
    private long nextProbe;

    /// <summary>Connects before the gateway serves requests; a Redis that does not answer yet only means counting locally.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        !limits.IsEnabled || string.IsNullOrWhiteSpace(options.Value.RedisConnectionString) ? Task.CompletedTask : ConnectAsync();

    // Apart, so that without Redis nothing compiled at start-up refers to StackExchange.Redis and the client library is
    // never loaded (about 1.3 MB of the process's memory).
    private async Task ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(options.Value.RedisConnectionString!);
        // Start without Redis and keep reconnecting in the background, rather than fail to start.
        configuration.AbortOnConnectFail = false;
        // While disconnected, fail a command at once (and count in-process) rather than queue it until Redis is back.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        metrics.RateLimitsSharedChanged(0);
        redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        if (redis.IsConnected)
        {
            BecameShared(Unknown);
        }
        else
        {
            BecameLocal("not reachable at start-up");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Counts one request in the caller's window; null when Redis does not answer (or is not tried again yet), in which
    /// case the caller counts the request in-process.
    /// </summary>
    public async ValueTask<WindowCount?> CountAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var before = Volatile.Read(ref state);
        if (redis is not { } connection || (before == Local && !MayProbe()))
        {
            return null;
        }

        if (!connection.IsConnected)
        {
            BecameLocal("not connected");
            return null;
        }

        try
        {
            var result = (RedisResult[]?)await connection.GetDatabase()
                .ScriptEvaluateAsync(Script, [KeyPrefix + key], [(long)Math.Ceiling(window.TotalMilliseconds)])
                .WaitAsync(cancellationToken);
            BecameShared(before);
            return new WindowCount((long)result![0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (RedisConnectionException ex)
        {
            BecameLocal(ex.FailureType.ToString());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            BecameLocal(ex.GetType().Name);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref state, Unknown) == Shared)
        {
            metrics.RateLimitsSharedChanged(-1);
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>One request a second, the first to see the interval passed, tries Redis while counting locally.</summary>
    private bool MayProbe()
    {
        var now = Environment.TickCount64;
        var due = Volatile.Read(ref nextProbe);
        return now >= due && Interlocked.CompareExchange(ref nextProbe, now + ProbeIntervalMilliseconds, due) == due;
    }

    /// <summary>
    /// Only a request sent in the state it found may change it: a request answered just before Redis went away must
    /// not flip the state back and log again.
    /// </summary>
    private void BecameShared(int before)
    {
        if (before == Shared || Interlocked.CompareExchange(ref state, Shared, before) != before)
        {
            return;
        }

        metrics.RateLimitsSharedChanged(1);
        if (before == Local)
        {
            ObservabilityLog.RateLimitsSharedAgain(logger, Stopwatch.GetElapsedTime(Volatile.Read(ref localSince)).TotalSeconds);
        }
        else
        {
            ObservabilityLog.RateLimitsShared(logger, string.Join(", ", redis!.GetEndPoints().Select(endpoint => endpoint.ToString())));
        }
    }

    private void BecameLocal(string reason)
    {
        Volatile.Write(ref nextProbe, Environment.TickCount64 + ProbeIntervalMilliseconds);
        var before = Interlocked.Exchange(ref state, Local);
        if (before == Local)
        {
            return;
        }

        Volatile.Write(ref localSince, Stopwatch.GetTimestamp());
        if (before == Shared)
        {
            metrics.RateLimitsSharedChanged(-1);
        }

        ObservabilityLog.RateLimitsLocal(logger, reason);
    }
}

/// <summary>A caller's count in its current window, this request included, and the time until the window ends.</summary>
internal readonly record struct WindowCount(long Count, TimeSpan Left);
