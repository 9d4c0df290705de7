using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Gateway.Worker.Email;

/// <summary>Hands one email to the provider.</summary>
internal interface IEmailSender
{
    /// <summary>Sends the email, or throws <see cref="EmailDeliveryException"/> saying why the provider did not take it.</summary>
    Task<EmailReceipt> SendAsync(OutgoingEmail email, CancellationToken cancellationToken);
}

/// <summary>What the provider said when it took the message.</summary>
internal sealed record EmailReceipt(string MessageId, string ServerResponse);

/// <summary>The provider did not take the message (refused, unreachable, timed out); the message says which, without the message's content.</summary>
internal sealed class EmailDeliveryException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>An email as the before-handler <c>comms.get_email_payload</c> describes it.</summary>
internal sealed record OutgoingEmail(long? MessageId, string FromAddress, string ToAddress, string Subject, string Html)
{
    public static bool TryRead(JsonObject payload, [NotNullWhen(true)] out OutgoingEmail? email, [NotNullWhen(false)] out string? problem)
    {
        var missing = new[] { "from_address", "to_address", "subject", "html" }.Where(field => Text(payload, field) is null).ToList();
        if (missing.Count > 0)
        {
            email = null;
            problem = $"the email has no {string.Join(", ", missing)}";
            return false;
        }

        long? messageId = payload["message_id"] is JsonValue id && id.TryGetValue<long>(out var number) ? number : null;
        email = new OutgoingEmail(messageId, Text(payload, "from_address")!, Text(payload, "to_address")!, Text(payload, "subject")!, Text(payload, "html")!);
        problem = null;
        return true;
    }

    private static string? Text(JsonObject payload, string field) =>
        payload[field] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
