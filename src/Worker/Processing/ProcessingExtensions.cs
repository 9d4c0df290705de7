using Gateway.Worker.Email;

namespace Gateway.Worker.Processing;

internal static class ProcessingExtensions
{
    /// <summary>One processor per task type (a new one is a class and a line here), the runner, and the loops.</summary>
    public static WebApplicationBuilder AddWorkerProcessing(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ITaskProcessor, DbFunctionProcessor>();
        builder.Services.AddSingleton<ITaskProcessor, EmailProcessor>();
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        builder.Services.AddSingleton<WorkerState>();
        builder.Services.AddSingleton<TaskRunner>();
        builder.Services.AddHostedService<WorkerLoops>();
        return builder;
    }
}
