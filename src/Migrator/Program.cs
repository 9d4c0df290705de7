using Gateway.Migrator;
using Microsoft.Extensions.Configuration;

// The migrator: a one-shot job that applies db/migrations with the owner/superuser connection.
// Configuration: appsettings.json beside the binary, then environment variables, then the command line.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var options = MigratorOptions.FromConfiguration(configuration);
var problems = options.Validate();
if (problems.Count > 0)
{
    Console.Error.WriteLine("The migrator cannot start; set these keys (environment variables shown):");
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("  - " + problem);
    }

    return 2;
}

var result = MigrationRunner.Run(options, Console.Out);
if (!result.Succeeded)
{
    Console.Error.WriteLine($"Migration {result.FailedScript} failed and was rolled back: {result.Error}");
    return 1;
}

Console.WriteLine(result.AppliedScripts.Count == 0
    ? "The database is up to date; nothing to apply."
    : $"Applied {result.AppliedScripts.Count} migration(s): {string.Join(", ", result.AppliedScripts)}");
return 0;
