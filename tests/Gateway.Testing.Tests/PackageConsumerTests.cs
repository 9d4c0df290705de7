using System.Diagnostics;
using System.Xml.Linq;

namespace Gateway.Testing.Tests;

/// <summary>
/// The promise to teams outside this repository: <c>dotnet pack src/Gateway.Testing</c> makes a package, and a test
/// project in a folder of its own that references only that package and xUnit tests its own view in a few lines.
/// Packs this build of the kit, writes such a project to a temporary folder and runs <c>dotnet test</c> on it.
/// </summary>
public sealed class PackageConsumerTests
{
    private const string ConsumerTests = """"
        using System.Net;
        using Gateway.Testing;

        public sealed class GreetingsApi() : GatewayApplicationFactory(new GatewayTestOptions { MigrationFolders = { "db/migrations" } });

        public sealed class GreetingsTests(GreetingsApi api) : IClassFixture<GreetingsApi>
        {
            [Fact]
            public async Task Anyone_reads_the_greeting()
            {
                var body = await api.CreateClient(Caller.Anonymous).GetStringAsync("/greetings");
                Assert.Equal("""[{"text":"Hello from the team"}]""", body);
            }

            [Fact]
            public async Task A_signed_in_caller_reads_its_sub_and_anon_is_refused()
            {
                var body = await api.CreateClient(Caller.Authenticated(sub: "42")).GetStringAsync("/whoami");
                using var anon = await api.CreateClient(Caller.Anonymous).GetAsync("/whoami");
                Assert.Equal("""[{"sub":"42"}]""", body);
                Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);
            }
        }
        """";

    private const string ConsumerMigration = """
        create view api.greetings as select 'Hello from the team'::text as text;
        grant select on api.greetings to anon, authenticated;
        create view api.whoami as select current_setting('request.jwt.claims', true)::json ->> 'sub' as sub;
        grant select on api.whoami to authenticated;
        """;

    [Fact]
    public async Task A_project_outside_the_repository_tests_its_own_views_with_only_the_package_and_xunit()
    {
        var repository = Repository();
        var work = Directory.CreateTempSubdirectory("gateway-testing-consumer.");
        try
        {
            // A version of its own, so no package cache can hold an older build under the same number.
            var version = "0.0.0-local." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var feed = Path.Combine(work.FullName, "feed");
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            await RunAsync(
                repository, "pack", "src/Gateway.Testing", "-c", configuration, "--no-build", "--no-restore", "-o", feed,
                "-p:PackageVersion=" + version, "-p:NuspecOutputPath=" + Path.Combine(work.FullName, "nuspec"));

            var consumer = Directory.CreateDirectory(Path.Combine(work.FullName, "consumer")).FullName;
            Directory.CreateDirectory(Path.Combine(consumer, "db", "migrations"));
            await File.WriteAllTextAsync(Path.Combine(consumer, "db", "migrations", "0001_greetings.sql"), ConsumerMigration);
            await File.WriteAllTextAsync(Path.Combine(consumer, "GreetingsTests.cs"), ConsumerTests);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject(repository, version));
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), NuGetConfig(feed));

            var output = await RunAsync(consumer, "test", "--nologo");

            Assert.Contains("Passed!  - Failed:     0, Passed:     2", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string ConsumerProject(string repository, string version)
    {
        // The repository's own xUnit versions, so the consumer restores what this machine already has.
        var versions = XDocument.Load(Path.Combine(repository, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(item => (string)item.Attribute("Include")!, item => (string)item.Attribute("Version")!);
        var packages = new[] { "Microsoft.NET.Test.Sdk", "xunit", "xunit.runner.visualstudio" }
            .Select(name => $"""    <PackageReference Include="{name}" Version="{versions[name]}" />""");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsTestProject>true</IsTestProject>
                <!-- The kit's package goes to a folder of its own; everything else is read from the machine's package cache,
                     which holds what the repository restored, so no registry is asked. -->
                <RestorePackagesPath>packages</RestorePackagesPath>
                <RestoreFallbackFolders>{DefaultPackagesFolder()}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Gateway.Testing" Version="{version}" />
            {string.Join('\n', packages)}
              </ItemGroup>
              <ItemGroup>
                <Using Include="Xunit" />
              </ItemGroup>
            </Project>
            """;
    }

    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
          </packageSources>
        </configuration>
        """;

    private static string DefaultPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Repository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs the dotnet CLI in <paramref name="folder"/> against this process's PostgreSQL; a non-zero exit fails the test with the output.</summary>
    private static async Task<string> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[GatewayTestServer.AdminConnectionVariable] = await GatewayTestServer.GetAdminConnectionStringAsync();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var all = await output + await error;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{all}");
        return all;
    }
}
