using Gateway.Migrator;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Migrator;

public sealed class MigratorOptionsTests
{
    [Fact]
    public void Every_missing_key_is_named_as_its_environment_variable()
    {
        var options = MigratorOptions.FromConfiguration(new ConfigurationBuilder().Build());

        var problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith("ConnectionStrings__Admin is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Migrator__AuthenticatorPassword is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Migrator__WorkerPassword is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Migrator__JwtSecret is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Keys_are_read_from_configuration_with_the_documented_names()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Admin"] = "Host=db",
            ["Migrator:AuthenticatorPassword"] = "a",
            ["Migrator:WorkerPassword"] = "w",
            ["Migrator:JwtSecret"] = new string('s', 32),
            ["Migrator:MigrationsPath"] = folder,
        }).Build();

        var options = MigratorOptions.FromConfiguration(configuration);

        Assert.Empty(options.Validate());
        Assert.Equal("Host=db", options.AdminConnectionString);
        Assert.Equal(folder, options.MigrationsPath);
    }

    [Fact]
    public void A_short_jwt_secret_and_a_missing_migrations_folder_are_refused()
    {
        var options = new MigratorOptions
        {
            AdminConnectionString = "Host=db",
            AuthenticatorPassword = "a",
            WorkerPassword = "w",
            JwtSecret = "short",
            MigrationsPath = "/no/such/folder",
        };

        var problems = options.Validate();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Migrator__JwtSecret is shorter than 32 bytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Migrator__MigrationsPath", StringComparison.Ordinal));
    }
}
