using System.Diagnostics;

namespace Gateway.Testing.Servers;

/// <summary>
/// Runs the PostgreSQL command-line tools. initdb refuses to run as root, so as root every command runs as the OS user
/// <c>postgres</c> (through <c>runuser</c>), which then owns the cluster, as the Debian packages do.
/// </summary>
internal static class ProcessRunner
{
    public const string ClusterOwner = "postgres";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs <paramref name="file"/> as the cluster's owner and returns its standard output; a non-zero exit throws with its output.</summary>
    public static async Task<string> RunAsOwnerAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await RunAsync(file, arguments, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed with exit code {exitCode}: {error}{output}".Trim());
        }

        return output;
    }

    /// <summary>Runs <paramref name="file"/> as the cluster's owner and returns its exit code, for commands that answer with it (<c>pg_ctl status</c>).</summary>
    public static async Task<int> ExitCodeAsOwnerAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await RunAsync(file, arguments, cancellationToken).ConfigureAwait(false)).ExitCode;

    /// <summary>
    /// Starts a shell script as the cluster's owner without waiting for it: from a process-exit handler, the work must
    /// outlive the test host, which the test runner may kill soon after the tests end.
    /// </summary>
    public static void StartScriptAsOwner(string script)
    {
        var info = StartInfo("/bin/sh", ["-c", script]);
        info.RedirectStandardOutput = false;
        info.RedirectStandardError = false;
        using var process = Process.Start(info);
    }

    /// <summary>A path quoted for the shell.</summary>
    public static string ShellQuote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(file, arguments))
            ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static ProcessStartInfo StartInfo(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(IsRoot ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot)
        {
            foreach (var prefix in new[] { "-u", ClusterOwner, "--", file })
            {
                info.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
