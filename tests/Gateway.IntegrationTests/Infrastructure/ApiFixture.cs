using System.Net.Http.Headers;
using Dapper;
using Gateway.Testing;
using Npgsql;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A migrated database plus fixture views and functions of every common type in the exposed schema and views with
/// every kind of relationship (<see cref="ApplyFixtureSqlAsync"/>), and the real gateway in memory logged in as
/// <c>authenticator</c>. Tokens are minted with the configured secret. Use as an xUnit class fixture.
/// </summary>
public class ApiFixture : MigratedDatabase, IAsyncLifetime
{
    private static readonly string[] DefaultScripts = ["fixture.sql", "embedding-fixture.sql"];

    private GatewayFactory? factory;

    public ApiFixture()
        : this(DefaultScripts)
    {
    }

    /// <param name="scripts">The scripts of <c>Api/</c> that create the fixture objects, in order; they are part of the
    /// template the database is copied from, so they run once per test run, not once per class.</param>
    protected ApiFixture(params string[] scripts)
        : base(TemplateOf(scripts))
    {
    }

    public GatewayFactory Factory => factory ?? throw new InvalidOperationException("not initialized");

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        factory = new GatewayFactory(this);
        // The first client starts the host, whose catalog listener loads the schema; wait until it is ready.
        await WaitUntilReadyAsync(Factory.CreateClient());
    }

    public new async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>
    /// Creates the objects the Api tests rely on, as a superuser connection: <c>Api/fixture.sql</c> (views and functions
    /// of every common shape), then <c>Api/embedding-fixture.sql</c> (views over private tables with every kind of
    /// relationship).
    /// </summary>
    public static Task ApplyFixtureSqlAsync(NpgsqlConnection admin) => ApplyScriptsAsync(admin, DefaultScripts);

    private static GatewayTestOptions TemplateOf(string[] scripts)
    {
        var options = new GatewayTestOptions();
        foreach (var script in scripts)
        {
            options.FixtureFiles.Add(ScriptPath(script));
        }

        return options;
    }

    private static string ScriptPath(string file) => Path.Combine(AppContext.BaseDirectory, "Api", file);

    /// <summary>
    /// Applies <c>Api/postgis-fixture.sql</c> when the server can install PostGIS; returns whether it could, so tests of
    /// <c>application/geo+json</c> skip (with <see cref="PostgisMissing"/>) instead of failing where it is absent.
    /// </summary>
    public static async Task<bool> TryApplyPostgisFixtureAsync(NpgsqlConnection admin)
    {
        if (!await admin.ExecuteScalarAsync<bool>("select exists (select from pg_available_extensions where name = 'postgis')"))
        {
            return false;
        }

        await ApplyScriptsAsync(admin, "postgis-fixture.sql");
        return true;
    }

    /// <summary>Why the GeoJSON tests skip on a server without PostGIS.</summary>
    public const string PostgisMissing =
        "PostGIS is not installed on the test server (Debian: apt-get install postgresql-15-postgis-3; scripts/test.sh does it when it can)";

    /// <summary>Runs these scripts of <c>Api/</c>, in order, on a superuser connection.</summary>
    public static async Task ApplyScriptsAsync(NpgsqlConnection admin, params string[] files)
    {
        foreach (var file in files)
        {
            await admin.ExecuteAsync(await File.ReadAllTextAsync(ScriptPath(file)));
        }
    }

    /// <summary>A client as anon.</summary>
    public HttpClient Anon() => Factory.CreateClient();

    /// <summary>A client carrying a valid access token for <paramref name="accountId"/>.</summary>
    public HttpClient As(long accountId, IDictionary<string, object>? extraClaims = null)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(accountId, extraClaims));
        return client;
    }

    /// <summary>An HS256 access token as the SQL auth functions mint them (sub, role, token_use, iat, nbf, exp), from the testing kit.</summary>
    public string Token(long accountId, IDictionary<string, object>? extraClaims = null) =>
        Factory.CreateToken(Caller.Authenticated(
            accountId.ToString(System.Globalization.CultureInfo.InvariantCulture), extraClaims is null ? null : new Dictionary<string, object>(extraClaims)));

    /// <summary>Creates an account through the real api (as anon) and returns its id.</summary>
    public async Task<long> CreateAccountAsync(string email)
    {
        await using var admin = await OpenAdminAsync();
        return await admin.ExecuteScalarAsync<long>(
            "select (accounts.create_account(@email, null, 'password123')).created_account.account_id", new { email });
    }

    /// <summary>
    /// Creates a test class's own objects once per database (<paramref name="sql"/> runs as the superuser unless
    /// <paramref name="probe"/>, a regclass name, exists already; xUnit makes an instance per test), then has the
    /// gateway reload its catalog and waits until <paramref name="probePath"/> answers.
    /// </summary>
    public async Task EnsureObjectsAsync(string probe, string sql, string probePath)
    {
        await using (var admin = await OpenAdminAsync())
        {
            if (await admin.ExecuteScalarAsync<bool>("select to_regclass(@probe) is not null", new { probe }))
            {
                return;
            }

            await admin.ExecuteAsync(sql);
        }

        await ReloadCatalogAsync(probePath);
    }

    /// <summary>Tells the gateway to reload its catalog, as an operator would, and waits until it has.</summary>
    public async Task ReloadCatalogAsync(string probePath)
    {
        await using (var admin = await OpenAdminAsync())
        {
            await admin.ExecuteAsync("notify pgrst, 'reload schema'");
        }

        var client = Anon();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync(probePath, timeout.Token);
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                return;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Waits (bounded) until the gateway behind <paramref name="client"/> reports ready: database up, catalog loaded.</summary>
    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await client.GetAsync("/health/ready", timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
