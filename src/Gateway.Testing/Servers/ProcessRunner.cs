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
        using var process = Process.Start(StartInfo(file, arguments))
            ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await error.ConfigureAwait(false)}{await output.ConfigureAwait(false)}".Trim());
        }

        return await output.ConfigureAwait(false);
    }

    /// <summary>The synchronous form, for process-exit handlers, which cannot await.</summary>
    public static void RunAsOwner(string file, IReadOnlyList<string> arguments)
    {
        using var process = Process.Start(StartInfo(file, arguments));
        if (process is not null)
        {
            // The tools print a line or two; reading them keeps a full pipe from blocking the tool.
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
        }
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
