using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test class's own, from the OS packages, started by <c>scripts/pg-local.sh</c> on a free
/// port of 127.0.0.1 in a temporary folder: a test may stop or restart it without disturbing the server every other
/// test shares. Where the OS has no PostgreSQL server binaries, <see cref="Missing"/> says so and such tests skip
/// (the test command installs them; CI has them).
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string script;
    private readonly string folder;
    private readonly int port;

    private PrivateCluster(string script, string folder, int port)
    {
        this.script = script;
        this.folder = folder;
        this.port = port;
    }

    /// <summary>Why a private cluster cannot be started here, or null when it can.</summary>
    public static string? Missing { get; } =
        Directory.Exists("/usr/lib/postgresql") && Directory.GetDirectories("/usr/lib/postgresql").Any(v => File.Exists(Path.Combine(v, "bin", "pg_ctl")))
            ? null
            : "No PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql; scripts/test.sh does it)";

    /// <summary>A superuser connection string to the cluster's maintenance database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    private string DataFolder => Path.Combine(folder, "data");

    public static async Task<PrivateCluster> StartNewAsync()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-cluster-").FullName;
        // As root the cluster belongs to the OS user postgres, which must reach the folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var cluster = new PrivateCluster(Script(), folder, FreePort());
        await cluster.StartAsync();
        return cluster;
    }

    /// <summary>Starts the cluster (again); does nothing when it runs.</summary>
    public async Task StartAsync() =>
        AdminConnectionString = (await RunAsync("start", DataFolder, port.ToString(System.Globalization.CultureInfo.InvariantCulture))).Trim();

    /// <summary><c>pg_ctl stop -m fast</c>: every connection is terminated, and nothing answers on the port.</summary>
    public Task StopAsync() => RunAsync("stop", DataFolder);

    /// <summary><c>pg_ctl restart -m fast</c>, as an operator restarts a server under load; returns once it accepts connections.</summary>
    public Task RestartAsync() => RunAsync("restart", DataFolder);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg-local.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }

    private static string Script()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "scripts", "pg-local.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("scripts/pg-local.sh not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// <see cref="ApiFixture"/> on a <see cref="PrivateCluster"/>: the migrated database, the fixture objects and the gateway,
/// on a server the test class may stop and restart. When the cluster cannot be started here, nothing starts and
/// <see cref="PrivateCluster.Missing"/> is the tests' reason to skip.
/// </summary>
public sealed class PrivateClusterFixture : ApiFixture, IAsyncLifetime
{
    private PrivateCluster? cluster;

    public PrivateCluster Cluster => cluster ?? throw new InvalidOperationException("not started: " + PrivateCluster.Missing);

    protected override Task<string?> ServerAsync() => Task.FromResult<string?>(Cluster.AdminConnectionString);

    public new async Task InitializeAsync()
    {
        if (PrivateCluster.Missing is not null)
        {
            return;
        }

        cluster = await PrivateCluster.StartNewAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        if (cluster is null)
        {
            return;
        }

        // A failed test may have left it stopped; the database is dropped before the cluster goes.
        await cluster.StartAsync();
        await base.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
