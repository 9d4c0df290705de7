using System.Text.Json.Nodes;
using Gateway.Worker.Email;
using Gateway.Worker.Queue;

namespace Gateway.Worker.Processing;

/// <summary>
/// <c>email</c> tasks: the before-handler (<c>comms.get_email_payload</c>) yields the message, which goes out over
/// SMTP; the success handler gets <c>worker_payload: {message_id, response}</c> (the Message-Id header and the
/// server's reply), the error handler the server's refusal or the connection failure.
/// </summary>
internal sealed class EmailProcessor(TaskQueue queue, IEmailSender sender, ILogger<EmailProcessor> logger) : HandledTaskProcessor(queue)
{
    public override string TaskType => "email";

    protected override async Task<ProviderResult> CallProviderAsync(QueuedTask task, JsonObject prepared, CancellationToken cancellationToken)
    {
        if (!OutgoingEmail.TryRead(prepared, out var email, out var problem))
        {
            return ProviderResult.Failure(problem);
        }

        try
        {
            var receipt = await sender.SendAsync(email, cancellationToken);
            WorkerLog.EmailSent(logger, email.MessageId);
            return ProviderResult.Success(new JsonObject
            {
                ["message_id"] = receipt.MessageId,
                ["response"] = receipt.ServerResponse,
            });
        }
        catch (EmailDeliveryException error)
        {
            return ProviderResult.Failure(error.Message);
        }
    }
}
