using System.Security.Cryptography;
using Gateway.Testing.Databases;
using Npgsql;

namespace Gateway.Testing;

/// <summary>
/// A database of its own for one test class (or whoever holds it): a copy of a template migrated by the real migrator
/// (the gateway's migrations, then <see cref="GatewayTestOptions.MigrationFolders"/> and the fixtures), with a
/// connection string for each real login. <see cref="ResetAsync"/> puts its rows back as the template had them;
/// disposing it drops it. <see cref="GatewayApplicationFactory"/> makes one for you; make one yourself to test SQL
/// without the gateway, or to share one between factories.
/// </summary>
public sealed class GatewayTestDatabase : IAsyncDisposable
{
    private readonly DatabaseTemplate template;

    private GatewayTestDatabase(string serverAdminConnectionString, string name, DatabaseTemplate template)
    {
        this.template = template;
        Name = name;
        ServerAdminConnectionString = serverAdminConnectionString;
        Secrets = GatewayTestSecrets.For(serverAdminConnectionString);
        AdminConnectionString = GatewayTestServer.ForDatabase(serverAdminConnectionString, name);
        AuthenticatorConnectionString = GatewayTestServer.ForLogin(serverAdminConnectionString, name, "authenticator", Secrets.AuthenticatorPassword);
        WorkerConnectionString = GatewayTestServer.ForLogin(serverAdminConnectionString, name, "worker_service_user", Secrets.WorkerPassword);
    }

    /// <summary>The database's name, unique on the server.</summary>
    public string Name { get; }

    /// <summary>Superuser, connected to the server's maintenance database.</summary>
    public string ServerAdminConnectionString { get; }

    /// <summary>Superuser, connected to this database (unpooled).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The gateway's login, <c>authenticator</c>: no privileges of its own, it can only become <c>anon</c> or <c>authenticated</c>.</summary>
    public string AuthenticatorConnectionString { get; }

    /// <summary>The queue worker's login, <c>worker_service_user</c>.</summary>
    public string WorkerConnectionString { get; }

    /// <summary>The passwords and the JWT secret the migrations set.</summary>
    public GatewayTestSecrets Secrets { get; }

    /// <summary>Makes a database from the template for <paramref name="options"/>, building that template first if this process has not.</summary>
    public static async Task<GatewayTestDatabase> CreateAsync(GatewayTestOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GatewayTestOptions();
        var recipe = TemplateRecipe.From(options);
        var server = string.IsNullOrWhiteSpace(options.AdminConnectionString)
            ? await GatewayTestServer.GetAdminConnectionStringAsync().ConfigureAwait(false)
            : options.AdminConnectionString;
        var template = await DatabaseTemplate.GetAsync(server, recipe).WaitAsync(cancellationToken).ConfigureAwait(false);
        var name = $"gwt_{ProcessLease.Tag}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}";
        await template.CopyAsync(name, cancellationToken).ConfigureAwait(false);
        return new GatewayTestDatabase(server, name, template);
    }

    /// <summary>
    /// Puts every table back as the template had it (after migrations and fixtures), sequences included, in one
    /// transaction: what tests wrote is gone. Call it between tests that must not see each other's rows (e.g. from
    /// xUnit's <c>IAsyncLifetime.InitializeAsync</c>). Connections stay open, so a running gateway keeps serving.
    /// </summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        var admin = await OpenAdminConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (admin.ConfigureAwait(false))
        {
            await template.Data.RestoreAsync(admin, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An open superuser connection to this database, for arranging data and checking it; dispose it.</summary>
    public async Task<NpgsqlConnection> OpenAdminConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(AdminConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="sql"/> (one or more statements) as the superuser in this database.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        var admin = await OpenAdminConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (admin.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the database, ending its sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        // Pooled connections to a dropped database would fail when next used; nobody will use them.
        using (var authenticator = new NpgsqlConnection(AuthenticatorConnectionString))
        using (var worker = new NpgsqlConnection(WorkerConnectionString))
        {
            NpgsqlConnection.ClearPool(authenticator);
            NpgsqlConnection.ClearPool(worker);
        }

        await DatabaseTemplate.DropAsync(ServerAdminConnectionString, Name, CancellationToken.None).ConfigureAwait(false);
    }
}
