using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.IntegrationTests.Compatibility;

/// <summary>
/// The proof that frontends work unchanged: the real <c>@supabase/postgrest-js</c> client, run by Node's test runner
/// (<c>tests/postgrest-js</c>), against the real gateway over HTTP on 127.0.0.1, as anon and as two signed-in users.
/// scripts/test.sh installs the suite's packages with <c>npm ci</c> first; without Node or them, this test fails.
/// </summary>
public sealed partial class PostgrestJsTests(GatewayOnSocket gateway) : IClassFixture<GatewayOnSocket>
{
    private const string ClientPackage = "@supabase/postgrest-js";
    private const string ClientVersion = "2.109.0";
    private const string HowToRun = "Run the tests with scripts/test.sh, which needs Node 20 and npm and runs `npm ci` in tests/postgrest-js.";
    private static readonly TimeSpan SuiteTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public Task Postgrest_js_suite_passes_against_the_gateway() => RunSuiteAsync("--test", "--test-reporter=spec");

    /// <summary>
    /// <c>.geojson()</c> needs PostGIS on the server, so its file (<c>geojson.gis.js</c>, outside node's default test
    /// pattern) runs here, skipped with the reason where PostGIS is absent.
    /// </summary>
    [SkippableFact]
    public Task Postgrest_js_geojson_passes_against_the_gateway()
    {
        Skip.IfNot(gateway.HasPostgis, Infrastructure.ApiFixture.PostgisMissing);
        return RunSuiteAsync("--test", "--test-reporter=spec", "geojson.gis.js");
    }

    private async Task RunSuiteAsync(params string[] arguments)
    {
        var suite = SuiteDirectory();
        AssertNodeIsAtLeast20(await RunNodeAsync(suite, ["--version"], new Dictionary<string, string>()));
        AssertClientInstalled(suite);

        var run = await RunNodeAsync(suite, arguments, new Dictionary<string, string>
        {
            ["GATEWAY_URL"] = gateway.Address.GetLeftPart(UriPartial.Authority),
            ["ACCESS_TOKEN"] = gateway.AccessToken,
            ["OTHER_ACCESS_TOKEN"] = gateway.OtherAccessToken,
            ["NO_COLOR"] = "1",
        });

        var tests = TestCount().Match(run.Output);
        Assert.True(
            run.ExitCode == 0 && tests.Success && int.Parse(tests.Groups[1].Value, CultureInfo.InvariantCulture) > 0,
            $"`node {string.Join(' ', arguments)}` in {suite} against {gateway.Address} exited with {run.ExitCode}:\n{run.Output}");
    }

    private static string SuiteDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return Path.Combine(directory.FullName, "tests", "postgrest-js");
            }
        }

        throw new InvalidOperationException($"No Gateway.sln above {AppContext.BaseDirectory}");
    }

    private static void AssertNodeIsAtLeast20((int ExitCode, string Output) version)
    {
        var major = NodeMajorVersion().Match(version.Output);
        Assert.True(
            version.ExitCode == 0 && major.Success && int.Parse(major.Groups[1].Value, CultureInfo.InvariantCulture) >= 20,
            $"The compatibility suite needs Node 20 or later; `node --version` said: {version.Output.Trim()}. {HowToRun}");
    }

    private static void AssertClientInstalled(string suite)
    {
        var manifest = Path.Combine(suite, "node_modules", "@supabase", "postgrest-js", "package.json");
        if (!File.Exists(manifest))
        {
            Assert.Fail($"{ClientPackage} is not installed in {suite}. {HowToRun}");
        }

        using var package = JsonDocument.Parse(File.ReadAllText(manifest));
        var installed = package.RootElement.GetProperty("version").GetString();
        Assert.True(installed == ClientVersion, $"{ClientPackage} {installed} is installed in {suite}, not {ClientVersion}. {HowToRun}");
    }

    /// <summary>Runs node in <paramref name="directory"/>, bounded by <see cref="SuiteTimeout"/>; stdout and stderr together.</summary>
    private static async Task<(int ExitCode, string Output)> RunNodeAsync(string directory, string[] arguments, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process? process = null;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception error)
        {
            Assert.Fail($"Node.js could not be started (`node` on PATH): {error.Message}. {HowToRun}");
        }

        using (process)
        {
            Assert.NotNull(process);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(SuiteTimeout);
            var timedOut = false;
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            var output = await stdout + await stderr;
            return timedOut
                ? (-1, $"node {string.Join(' ', arguments)} did not finish within {SuiteTimeout} and was killed.\n{output}")
                : (process.ExitCode, output);
        }
    }

    // The spec reporter's summary line, e.g. "ℹ tests 85".
    [GeneratedRegex(@"^\S+ tests (\d+)$", RegexOptions.Multiline)]
    private static partial Regex TestCount();

    [GeneratedRegex(@"^v(\d+)\.")]
    private static partial Regex NodeMajorVersion();
}
