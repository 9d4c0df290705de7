using System.Diagnostics;
using System.Text;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// The built worker (<c>Gateway.Worker.dll</c>, copied beside the tests) run by <c>dotnet</c> as a second OS process,
/// configured through environment variables as in production, so that a test can kill it hard.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WorkerProcess(Process process) => this.process = process;

    /// <summary>What the process printed, for failure messages.</summary>
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

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "Gateway.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Not the tests' folder, whose appsettings.json belongs to the gateway.
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = start });
        worker.process.OutputDataReceived += (_, line) => worker.Append(line.Data);
        worker.process.ErrorDataReceived += (_, line) => worker.Append(line.Data);
        worker.process.Start();
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL: no shutdown code runs, in-flight tasks keep their leases until they run out.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        await process.WaitForExitAsync().WaitAsync(bound);
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

    /// <summary>The dotnet host running the tests (the SDK names it), or the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
