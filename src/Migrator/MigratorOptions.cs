using System.Text;

namespace Gateway.Migrator;

/// <summary>
/// Everything the migrator needs: the owner/superuser connection and the secrets it writes into the
/// database (role passwords, the JWT signing secret). Bound from configuration; <see cref="Validate"/>
/// names every missing or unusable key at once.
/// </summary>
public sealed record MigratorOptions
{
    public const string AdminConnectionKey = "ConnectionStrings:Admin";
    public const string AuthenticatorPasswordKey = "Migrator:AuthenticatorPassword";
    public const string WorkerPasswordKey = "Migrator:WorkerPassword";
    public const string JwtSecretKey = "Migrator:JwtSecret";
    public const string MigrationsPathKey = "Migrator:MigrationsPath";

    /// <summary>HS256 needs a key of at least 256 bits; the gateway refuses a shorter one too.</summary>
    public const int MinimumJwtSecretBytes = 32;

    public string? AdminConnectionString { get; init; }
    public string? AuthenticatorPassword { get; init; }
    public string? WorkerPassword { get; init; }
    public string? JwtSecret { get; init; }

    /// <summary>The folder of <c>NNNN_name.sql</c> files; by default the copy shipped beside the binary.</summary>
    public string MigrationsPath { get; init; } = Path.Combine(AppContext.BaseDirectory, "migrations");

    public static MigratorOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration) => new()
    {
        AdminConnectionString = configuration[AdminConnectionKey],
        AuthenticatorPassword = configuration[AuthenticatorPasswordKey],
        WorkerPassword = configuration[WorkerPasswordKey],
        JwtSecret = configuration[JwtSecretKey],
        MigrationsPath = configuration[MigrationsPathKey] is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "migrations"),
    };

    /// <summary>Every problem with these options, each naming the key (as an environment variable) to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Require(AdminConnectionString, AdminConnectionKey, "the owner/superuser connection string");
        Require(AuthenticatorPassword, AuthenticatorPasswordKey, "the password of the authenticator login");
        Require(WorkerPassword, WorkerPasswordKey, "the password of the worker_service_user login");
        Require(JwtSecret, JwtSecretKey, "the HS256 secret that signs the JWTs minted in SQL");
        if (!string.IsNullOrEmpty(JwtSecret) && Encoding.UTF8.GetByteCount(JwtSecret) < MinimumJwtSecretBytes)
        {
            problems.Add($"{EnvironmentName(JwtSecretKey)} is shorter than {MinimumJwtSecretBytes} bytes; HS256 needs at least 256 bits.");
        }

        if (!Directory.Exists(MigrationsPath))
        {
            problems.Add($"{EnvironmentName(MigrationsPathKey)}: the migrations folder '{MigrationsPath}' does not exist.");
        }

        return problems;

        void Require(string? value, string key, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{EnvironmentName(key)} is missing: {what}.");
            }
        }
    }

    public static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
