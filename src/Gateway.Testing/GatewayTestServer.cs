using Gateway.Migrator;
using Gateway.Testing.Servers;
using Npgsql;

namespace Gateway.Testing;

/// <summary>
/// The PostgreSQL server the tests of one process share, found once, in this order:
/// <list type="number">
/// <item>the superuser connection string in the environment variable <c>GATEWAY_TEST_ADMIN_CONNECTION</c>;</item>
/// <item>else a container started with Testcontainers, when a Docker engine answers;</item>
/// <item>else a throwaway cluster made with the PostgreSQL server binaries of this machine (initdb, pg_ctl), removed
/// when the process exits.</item>
/// </list>
/// Tests never share a database on it: each <see cref="GatewayTestDatabase"/> is a copy of a migrated template.
/// </summary>
public static class GatewayTestServer
{
    /// <summary>The environment variable holding a superuser connection string to use instead of starting a server.</summary>
    public const string AdminConnectionVariable = "GATEWAY_TEST_ADMIN_CONNECTION";

    /// <summary>Where the kit takes its advisory locks, which belong to a database: one that every server has.</summary>
    internal const string LockDatabase = "postgres";

    // Takes the same lock in every process: migrations change cluster-wide roles, and two at once would fail with
    // "tuple concurrently updated".
    private const long MigrationLockKey = 0x6761_7465_7761_79;

    private static readonly Lazy<Task<string>> SharedServer = new(FindOrStartAsync);
    private static readonly SemaphoreSlim ProcessMigrationLock = new(1, 1);

    /// <summary>A superuser connection string to the shared server's maintenance database, starting the server on first use.</summary>
    public static Task<string> GetAdminConnectionStringAsync() => SharedServer.Value;

    /// <summary>The secrets the kit's migrations set on the server <paramref name="adminConnectionString"/> names.</summary>
    public static GatewayTestSecrets SecretsFor(string adminConnectionString) => GatewayTestSecrets.For(adminConnectionString);

    /// <summary>The same server and superuser, connected to <paramref name="database"/>, unpooled (tests open few such connections).</summary>
    public static string ForDatabase(string adminConnectionString, string database) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, Pooling = false, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>The same server, logged in to <paramref name="database"/> as another role with its password.</summary>
    public static string ForLogin(string adminConnectionString, string database, string username, string password) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = database,
            Username = username,
            Password = password,
            IncludeErrorDetail = true,
        }.ConnectionString;

    /// <summary>
    /// Runs the real migrator on the database <paramref name="adminConnectionString"/> names, with the server's
    /// <see cref="GatewayTestSecrets"/>, one migration at a time on the server across processes.
    /// </summary>
    /// <param name="adminConnectionString">A superuser connection to the database to migrate.</param>
    /// <param name="migrationsPath">A folder of <c>NNNN_name.sql</c> files; by default the gateway's own, copied beside the tests.</param>
    /// <param name="log">Where the migrator writes its progress; nowhere by default.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    public static async Task<MigrationResult> MigrateAsync(
        string adminConnectionString, string? migrationsPath = null, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var secrets = SecretsFor(adminConnectionString);
        var options = new MigratorOptions
        {
            AdminConnectionString = adminConnectionString,
            AuthenticatorPassword = secrets.AuthenticatorPassword,
            WorkerPassword = secrets.WorkerPassword,
            JwtSecret = secrets.JwtSecret,
            MigrationsPath = migrationsPath ?? GatewayMigrationsPath,
        };
        await ProcessMigrationLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var serverLock = new NpgsqlConnection(ForDatabase(adminConnectionString, LockDatabase));
            await using (serverLock.ConfigureAwait(false))
            {
                await serverLock.OpenAsync(cancellationToken).ConfigureAwait(false);
                using (var take = new NpgsqlCommand($"select pg_advisory_lock({MigrationLockKey})", serverLock))
                {
                    await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Closing the connection releases the lock.
                return await Task.Run(() => MigrationRunner.Run(options, log ?? TextWriter.Null), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ProcessMigrationLock.Release();
        }
    }

    /// <summary>The gateway's migrations, copied beside the tests (from the package, or from the migrator project in the repository).</summary>
    internal static string GatewayMigrationsPath => Path.Combine(AppContext.BaseDirectory, "migrations");

    private static async Task<string> FindOrStartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(AdminConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var (container, dockerProblem) = await ContainerServer.TryStartAsync(CancellationToken.None).ConfigureAwait(false);
        if (container is not null)
        {
            return container;
        }

        var binaries = LocalCluster.FindBinaries();
        if (binaries is not null)
        {
            // Never disposed: it serves the whole process and is removed when the process exits.
            var cluster = await LocalCluster.CreateAsync(binaries).ConfigureAwait(false);
            return cluster.ConnectionString;
        }

        throw new InvalidOperationException(
            "The tests need a PostgreSQL server and found none. Do one of these: set " + AdminConnectionVariable +
            " to a superuser connection string (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Password=...); or start a Docker engine, " +
            $"so Testcontainers can run {ContainerServer.Image} (it said: {dockerProblem}); or install the PostgreSQL server binaries, so initdb and " +
            "pg_ctl are in /usr/lib/postgresql/<version>/bin or on PATH (Debian/Ubuntu: apt-get install postgresql; Fedora: dnf install " +
            "postgresql-server; macOS: brew install postgresql@15).");
    }
}
