using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// The gateway as the container runs it: published in Release by the same <c>dotnet publish</c> the Dockerfile runs
/// (into a folder of its own, removed afterwards), against a migrated database with the api fixture. Processes are
/// started from that folder with environment variables only. Use as a class fixture.
/// </summary>
public sealed class PublishedGateway : MigratedDatabase, IAsyncLifetime
{
    /// <summary>The Dockerfile's publish of the gateway, without its output folder.</summary>
    public const string PublishArguments = "publish src/Gateway/Gateway.csproj -c Release --no-restore";

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "gateway-publish-" + Guid.NewGuid().ToString("N")[..12]);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var admin = await OpenAdminAsync())
        {
            await ApiFixture.ApplyFixtureSqlAsync(admin);
        }

        var (exitCode, output) = await RunToEndAsync(Dotnet(), $"{PublishArguments} -o \"{Folder}\" --nologo", RepositoryRoot, TimeSpan.FromMinutes(8));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({exitCode}):\n{output}");
        }
    }

    public new async Task DisposeAsync()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        await base.DisposeAsync();
    }

    /// <summary>The environment a container would be given: the authenticator's login, the JWT secret, the address.</summary>
    public Dictionary<string, string> Environment(int port) => new()
    {
        ["ConnectionStrings__Gateway"] = AuthenticatorConnectionString,
        ["Gateway__Jwt__Secret"] = JwtSecret,
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
    };

    /// <summary>Starts <c>dotnet Gateway.dll</c> from the published folder with exactly <paramref name="environment"/> added.</summary>
    public GatewayProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        GatewayProcess.Start(Dotnet(), [Path.Combine(Folder, "Gateway.dll"), .. arguments], Folder, environment);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host running the tests (the SDK names it), or the one on PATH.</summary>
    public static string Dotnet() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(string program, string arguments, string directory, TimeSpan bound)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test host's MSBuild settings belong to the build that is running the tests, not to this one.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(bound);
        return (process.ExitCode, await output + await error);
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Gateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A gateway process: its output kept for asserts, SIGTERM to stop it as a container runtime would.</summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();

    private GatewayProcess(Process process) => this.process = process;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int Id => process.Id;

    public static GatewayProcess Start(string program, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing from the test run's own configuration: a container starts with its image's environment and -e.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
            || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("Gateway", StringComparison.Ordinal)
            || k.StartsWith("ConnectionStrings", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var gateway = new GatewayProcess(new Process { StartInfo = start });
        gateway.process.OutputDataReceived += (_, line) => Append(gateway.output, line.Data);
        gateway.process.ErrorDataReceived += (_, line) => Append(gateway.errors, line.Data);
        gateway.process.Start();
        gateway.process.BeginOutputReadLine();
        gateway.process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>
    /// The gateway built with the tests (<c>Gateway.dll</c>, copied beside them) run by <c>dotnet</c>, for what only a
    /// process shows, such as its console; quicker than <see cref="PublishedGateway"/>, which publishes as the container does.
    /// </summary>
    public static GatewayProcess FromBuild(IReadOnlyDictionary<string, string> environment) =>
        Start(PublishedGateway.Dotnet(), [Path.Combine(AppContext.BaseDirectory, "Gateway.dll")], AppContext.BaseDirectory, environment);

    /// <summary>Waits for <c>/health/ready</c> to answer 200; fails at once, with its output, if the process exits.</summary>
    public Task WaitUntilReadyAsync(HttpClient client, TimeSpan bound) =>
        Eventually.TrueAsync(
            async () =>
            {
                if (HasExited)
                {
                    throw new Xunit.Sdk.XunitException("The gateway exited:\n" + Output + Errors);
                }

                try
                {
                    using var ready = await client.GetAsync("/health/ready");
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            "/health/ready to answer 200",
            bound);

    /// <summary>SIGTERM, what <c>docker stop</c> sends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit(10_000);
    }

    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        await process.WaitForExitAsync().WaitAsync(bound);
        // The output readers may still hold the last lines.
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (to)
        {
            to.AppendLine(line);
        }
    }
}
