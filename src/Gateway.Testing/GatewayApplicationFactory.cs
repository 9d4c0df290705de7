using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Catalog;
using Gateway.Configuration;
using Gateway.Testing.Tokens;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Testing;

/// <summary>
/// The real gateway, in memory, logged in as <c>authenticator</c> to a <see cref="GatewayTestDatabase"/> of its own:
/// a copy of a template migrated by the real migrator, your migrations and fixtures included
/// (<see cref="GatewayTestOptions"/>). Use one per test class (an xUnit class fixture); its database is dropped when
/// it is disposed. The database is made and the catalog loaded on first use (<see cref="InitializeAsync"/>, or the
/// first client), so the first request already sees your api.
/// </summary>
/// <remarks>
/// Override <see cref="ConfigureWebHost"/> to add services or settings, calling the base method first.
/// <see cref="WebApplicationFactory{TEntryPoint}.WithWebHostBuilder"/> gives another host on the same database.
/// </remarks>
public class GatewayApplicationFactory : WebApplicationFactory<Program>
{
    private static readonly TimeSpan CatalogTimeout = TimeSpan.FromSeconds(60);

    // WebApplicationFactory's setting for the content root of the app in Gateway.dll, read from the environment.
    private const string ContentRootVariable = "ASPNETCORE_TEST_CONTENTROOT_GATEWAY";
    private const string TestingManifest = "MvcTestingAppManifest.json";

    private readonly GatewayTestOptions options;
    private readonly Lazy<Task<GatewayTestDatabase>> database;
    private readonly bool ownsDatabase;

    static GatewayApplicationFactory()
    {
        // With the kit as a package there is no gateway project for WebApplicationFactory to find the content root
        // in (its manifest names none, and it would throw "Solution root could not be located"): use the output
        // folder, where the package puts Gateway.dll. Where the manifest names the gateway's project, keep it.
        if (Environment.GetEnvironmentVariable(ContentRootVariable) is null && !ManifestNamesGateway())
        {
            Environment.SetEnvironmentVariable(ContentRootVariable, AppContext.BaseDirectory);
        }
    }

    /// <summary>A gateway over the gateway's own migrations only.</summary>
    public GatewayApplicationFactory()
        : this(new GatewayTestOptions())
    {
    }

    /// <summary>A gateway over a database made by <paramref name="options"/>.</summary>
    public GatewayApplicationFactory(GatewayTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        database = new Lazy<Task<GatewayTestDatabase>>(() => GatewayTestDatabase.CreateAsync(options));
        ownsDatabase = true;
    }

    /// <summary>A gateway over a database someone else made and disposes.</summary>
    public GatewayApplicationFactory(GatewayTestDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        options = new GatewayTestOptions();
        this.database = new Lazy<Task<GatewayTestDatabase>>(Task.FromResult(database));
    }

    /// <summary>The factory's database; made on first use (this blocks; prefer <see cref="InitializeAsync"/> in async set-up).</summary>
    public GatewayTestDatabase Database => database.Value.GetAwaiter().GetResult();

    /// <summary>Makes the database and starts the gateway, waiting until its catalog is loaded. Calling it again does nothing.</summary>
    public async Task InitializeAsync()
    {
        await database.Value.ConfigureAwait(false);
        _ = Server;
    }

    /// <summary>A client calling as <paramref name="caller"/>: without a token, or with one from <see cref="CreateToken"/>.</summary>
    public HttpClient CreateClient(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var client = CreateClient();
        if (!caller.IsAnonymous)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CreateToken(caller));
        }

        return client;
    }

    /// <summary>The token of an authenticated <paramref name="caller"/>, signed with the secret of the running gateway.</summary>
    public string CreateToken(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAnonymous)
        {
            throw new ArgumentException("An anonymous caller has no token.", nameof(caller));
        }

        var jwt = Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Jwt;
        return TokenMinter.Mint(caller, jwt, Services.GetRequiredService<TimeProvider>().GetUtcNow());
    }

    /// <summary>Puts the database's rows back as the template had them (see <see cref="GatewayTestDatabase.ResetAsync"/>).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        var current = await database.Value.ConfigureAwait(false);
        await current.ResetAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a test changes the api schema: sends <c>NOTIFY pgrst, 'reload schema'</c>, as an operator would, and
    /// waits until this factory's gateway has loaded the new catalog.
    /// </summary>
    public async Task ReloadCatalogAsync(CancellationToken cancellationToken = default)
    {
        var store = Services.GetRequiredService<CatalogStore>();
        var before = store.Current;
        var current = await database.Value.ConfigureAwait(false);
        await current.ExecuteAsync($"notify {CatalogListener.Channel}, 'reload schema'", cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CatalogTimeout);
        while (ReferenceEquals(store.Current, before))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The gateway did not reload its catalog within {CatalogTimeout.TotalSeconds} s; its log says why.");
            }
        }
    }

    /// <summary>Points the gateway at the database with the server's JWT secret, then applies <see cref="GatewayTestOptions.Settings"/>.</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var current = Database;
        builder.UseSetting("ConnectionStrings:Gateway", current.AuthenticatorConnectionString);
        builder.UseSetting("Gateway:Jwt:Secret", current.Secrets.JwtSecret);
        foreach (var (key, value) in options.Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Whether starting the host waits until the catalog is loaded; false only to test the gateway before that.</summary>
    protected virtual bool WaitsForCatalog => true;

    /// <summary>Starts the host and waits until the gateway has loaded its catalog, so the first request sees the api.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        var store = host.Services.GetRequiredService<CatalogStore>();
        if (WaitsForCatalog && !SpinWait.SpinUntil(() => store.Current is not null, CatalogTimeout))
        {
            throw new TimeoutException(
                $"The gateway did not load its catalog within {CatalogTimeout.TotalSeconds} s of starting; its log (CatalogListener) says why.");
        }

        return host;
    }

    private static bool ManifestNamesGateway()
    {
        // Read where WebApplicationFactory reads it: the current folder.
        if (!File.Exists(TestingManifest))
        {
            return false;
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(TestingManifest));
        return manifest.RootElement.TryGetProperty(typeof(Program).Assembly.FullName!, out _);
    }

    /// <summary>Stops the gateway, then drops the database if the factory made it.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        if (ownsDatabase && database.IsValueCreated && database.Value.IsCompletedSuccessfully)
        {
            await database.Value.Result.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
