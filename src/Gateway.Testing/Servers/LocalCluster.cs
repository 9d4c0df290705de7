using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Gateway.Testing.Servers;

/// <summary>
/// A throwaway PostgreSQL cluster made with the server binaries installed on this machine (initdb and pg_ctl), as
/// <c>scripts/pg-local.sh</c> does: in a temporary folder, on one port of 127.0.0.1 only (a free one unless told),
/// without Unix sockets, with a random superuser password and durability off (fsync, synchronous commit), which tests
/// never need. It can be stopped, started again and restarted on the same port, as the fault tests do to the server
/// under a running gateway. It is removed when disposed, else when the test process exits; a cluster left behind by a
/// process that was killed is removed by the next one.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private const string FolderPrefix = "gateway-testing.";
    private const string OwnerFile = "owner.pid";

    private readonly string bin;
    private readonly string root;
    private readonly EventHandler removeAtExit;

    private LocalCluster(string bin, string root)
    {
        this.bin = bin;
        this.root = root;
        removeAtExit = (_, _) => ProcessRunner.StartScriptAsOwner(RemoveScript());
    }

    /// <summary>The superuser connection string to the maintenance database; it stays valid across stops and restarts.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The port of 127.0.0.1 the server listens on, the same after every start.</summary>
    public int Port { get; private set; }

    private string Data => Path.Combine(root, "data");

    private string PgCtl => Path.Combine(bin, "pg_ctl");

    /// <summary>The folder holding initdb and pg_ctl: the newest of Debian's <c>/usr/lib/postgresql/*/bin</c>, else one on <c>PATH</c>.</summary>
    public static string? FindBinaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(folder => int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
                .Select(folder => Path.Combine(folder, "bin"))
            : [];
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return debian.Concat(path).FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
    }

    /// <summary>
    /// Creates and starts a cluster with the binaries in <paramref name="bin"/>, on <paramref name="port"/> or, when
    /// null, on a free port.
    /// </summary>
    public static async Task<LocalCluster> CreateAsync(string bin, int? port = null, CancellationToken cancellationToken = default)
    {
        RemoveOrphans(bin);
        var cluster = new LocalCluster(bin, await CreateRootAsync(cancellationToken).ConfigureAwait(false));
        AppDomain.CurrentDomain.ProcessExit += cluster.removeAtExit;
        await File.WriteAllTextAsync(Path.Combine(cluster.root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
        await cluster.InitAsync(password, cancellationToken).ConfigureAwait(false);
        if (port is { } chosen)
        {
            cluster.Port = chosen;
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await cluster.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
        }

        cluster.ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = cluster.Port,
            Username = "postgres",
            Password = password,
            Database = "postgres",
        }.ConnectionString;
        return cluster;
    }

    /// <summary>Starts the server (again) on its port and returns once it accepts connections; does nothing when it runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            await PgCtlAsync(["-l", Path.Combine(Data, "server.log"), "-w", "-t", "60", "start", "-o", ServerOptions], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>pg_ctl stop -m fast</c>: every connection is terminated, and nothing answers on the port. Does nothing when stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (await IsRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            await PgCtlAsync(["-m", "fast", "-w", "-t", "60", "stop"], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>pg_ctl restart -m fast</c>, as an operator restarts a server under load; returns once it accepts connections.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        PgCtlAsync(["-l", Path.Combine(Data, "server.log"), "-m", "fast", "-w", "-t", "60", "restart", "-o", ServerOptions], cancellationToken);

    /// <summary>Stops the server at once and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= removeAtExit;
        await ProcessRunner.RunAsOwnerAsync("/bin/sh", ["-c", RemoveScript()], CancellationToken.None).ConfigureAwait(false);
    }

    private string ServerOptions =>
        $"-c listen_addresses=127.0.0.1 -c port={Port.ToString(CultureInfo.InvariantCulture)} -c unix_socket_directories='' " +
        "-c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";

    private Task<string> PgCtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsOwnerAsync(PgCtl, ["-D", Data, .. arguments], cancellationToken);

    // pg_ctl status rather than postmaster.pid, which a server that crashed leaves behind.
    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken) =>
        await ProcessRunner.ExitCodeAsOwnerAsync(PgCtl, ["-D", Data, "status"], cancellationToken).ConfigureAwait(false) == 0;

    private static async Task<string> CreateRootAsync(CancellationToken cancellationToken)
    {
        if (!ProcessRunner.IsRoot)
        {
            return Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        }

        // Made by the cluster's owner, so it may write there; /tmp rather than root's own temporary folder, which
        // the owner may not reach.
        try
        {
            return (await ProcessRunner.RunAsOwnerAsync("mktemp", ["-d", Path.Combine(OrphanSearchFolder, FolderPrefix + "XXXXXXXX")], cancellationToken)
                .ConfigureAwait(false)).Trim();
        }
        catch (InvalidOperationException error)
        {
            throw new InvalidOperationException(
                $"initdb refuses to run as root, so the kit runs it as the OS user {ProcessRunner.ClusterOwner} (the PostgreSQL packages create it), " +
                $"which failed: {error.Message} Create that user, run the tests as another user, or set {GatewayTestServer.AdminConnectionVariable}.", error);
        }
    }

    private static string OrphanSearchFolder => ProcessRunner.IsRoot ? "/tmp" : Path.GetTempPath();

    private async Task InitAsync(string password, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(root, "superuser-password");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
        if (ProcessRunner.IsRoot && !OperatingSystem.IsWindows())
        {
            // Written by root, read by the owner; the folder around it is the owner's alone.
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        try
        {
            // C.UTF-8 where the C library has it (Linux), as scripts/pg-local.sh does: byte order, Unicode-aware case.
            var locale = OperatingSystem.IsLinux() ? "C.UTF-8" : "C";
            await ProcessRunner.RunAsOwnerAsync(
                Path.Combine(bin, "initdb"),
                ["-D", Data, "-U", "postgres", "--pwfile=" + passwordFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=" + locale, "--no-sync"],
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        // A port found free can be taken before the server binds it; another one is then tried.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await StartAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && ServerLog().Contains("already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private string ServerLog()
    {
        var log = Path.Combine(Data, "server.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the server, if it runs, and deletes the folder; silent, so it may outlive this process.</summary>
    private string RemoveScript()
    {
        // With this process gone, writing to its pipes would kill the script half-way.
        return $"exec >/dev/null 2>&1; if [ -f {ProcessRunner.ShellQuote(Path.Combine(Data, "postmaster.pid"))} ]; then " +
            $"{ProcessRunner.ShellQuote(PgCtl)} -D {ProcessRunner.ShellQuote(Data)} -m immediate -w stop; fi; rm -rf {ProcessRunner.ShellQuote(root)}";
    }

    /// <summary>Stops and removes the clusters of test processes that ended without removing theirs (killed, crashed).</summary>
    private static void RemoveOrphans(string bin)
    {
        foreach (var folder in Directory.EnumerateDirectories(OrphanSearchFolder, FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, OwnerFile);
            if (File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                && !IsRunning(owner))
            {
                ProcessRunner.StartScriptAsOwner(new LocalCluster(bin, folder).RemoveScript());
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
