namespace Gateway.Worker;

/// <summary>
/// Runs the worker until SIGTERM or Ctrl-C. Exit codes: 0 after a normal stop, 2 when the configuration is
/// incomplete or invalid, 3 when the login is one the worker must not use (a superuser or an owner).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var app = WorkerApplication.Create(args, out var problems);
        if (app is null)
        {
            await Console.Error.WriteLineAsync("The worker cannot start; set these keys (environment variables shown):");
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("  - " + problem);
            }

            return 2;
        }

        // RunAsync disposes the app, and its services with it.
        var state = app.Services.GetRequiredService<WorkerState>();
        await app.RunAsync();
        return state.ExitCode;
    }
}
