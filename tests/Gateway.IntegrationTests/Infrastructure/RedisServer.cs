using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> from the OS packages, started by one test on a free port of 127.0.0.1 with a folder of
/// its own and no persistence, so a restart begins empty. Disposing it stops it and removes the folder.
/// Where <c>redis-server</c> is not installed the tests skip, saying so, except in CI, where <c>scripts/test.sh</c>
/// installs it and its absence is a failure.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string Missing = "redis-server is not installed (Debian: apt-get install redis-server; scripts/test.sh installs it)";

    private static readonly string? Executable = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "redis-server"))
        .FirstOrDefault(File.Exists);

    private readonly string folder;
    private Process? process;

    private RedisServer(int port, string folder)
    {
        Port = port;
        this.folder = folder;
    }

    public int Port { get; }

    /// <summary>The gateway's <c>ConnectionStrings:Redis</c> for this server.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Skips the calling test when <c>redis-server</c> is missing, unless in CI.</summary>
    public static void SkipUnlessInstalled() =>
        Skip.If(Executable is null && Environment.GetEnvironmentVariable("CI") != "true", Missing);

    /// <summary>A port of 127.0.0.1 that nothing listens on (just now).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts a server and waits until it answers <c>PING</c>.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        if (Executable is null)
        {
            throw new InvalidOperationException(Missing);
        }

        var server = new RedisServer(FreePort(), Directory.CreateTempSubdirectory("gateway-test-redis.").FullName);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the stopped server again on the same port, empty.</summary>
    public async Task RestartAsync()
    {
        process = Process.Start(new ProcessStartInfo(Executable!)
        {
            ArgumentList =
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder,
                "--logfile", Path.Combine(folder, "redis.log"), "--save", "", "--appendonly", "no", "--daemonize", "no",
            },
            UseShellExecute = false,
        });
        await Eventually.TrueAsync(AnswersPingAsync, $"redis-server to answer on port {Port} (log: {folder}/redis.log)");
    }

    /// <summary>Kills the server, as a crash or a lost network would take it away.</summary>
    public void Stop()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit(10_000);
        }

        process?.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<bool> AnswersPingAsync()
    {
        if (process is null || process.HasExited)
        {
            throw new InvalidOperationException($"redis-server exited at start; see {folder}/redis.log");
        }

        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
