using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>
/// What becomes of settings the validator refuses: one list on stderr naming every key to fix, then exit code 2, as
/// with the migrator and the worker. The validation exception travels up from wherever the options are first needed
/// (building the app, or starting it) and out of <c>Main</c>; only there, where nothing else would catch it, does this
/// end the process. A test host (<c>WebApplicationFactory</c>) runs <c>Main</c> on a thread of its own and catches
/// the exception, so its tests see it and it keeps running.
/// </summary>
internal static class InvalidSettings
{
    public const int ExitCode = 2;

    private static int watching;

    /// <summary>Once per process, however many apps a test host builds in it.</summary>
    public static void ExitWhenUnhandled()
    {
        if (Interlocked.Exchange(ref watching, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, unhandled) =>
            {
                if (unhandled.ExceptionObject is OptionsValidationException invalid)
                {
                    Exit(invalid);
                }
            };
        }
    }

    private static void Exit(OptionsValidationException invalid)
    {
        var error = Console.Error;
        error.WriteLine("The gateway cannot start; fix these settings (environment variables shown):");
        foreach (var problem in invalid.Failures)
        {
            error.WriteLine("  - " + problem);
        }

        error.Flush();
        Environment.Exit(ExitCode);
    }
}
