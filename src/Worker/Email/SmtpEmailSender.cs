using System.Net.Sockets;
using Gateway.Worker.Configuration;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace Gateway.Worker.Email;

/// <summary>
/// Sends over SMTP with MailKit: one connection per message (connect, optional STARTTLS or TLS, optional AUTH,
/// send, quit), bounded by <c>Worker__Smtp__Timeout</c>. The body is the stored HTML.
/// </summary>
internal sealed class SmtpEmailSender(WorkerOptions options) : IEmailSender
{
    public async Task<EmailReceipt> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        var smtp = options.Smtp;
        var message = Build(email, out var messageId);
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, SocketOptions(smtp.Security), cancellationToken);
            if (smtp is { Username: { } username, Password: { } password })
            {
                await client.AuthenticateAsync(username, password, cancellationToken);
            }

            var response = await client.SendAsync(message, cancellationToken);
            await QuitAsync(client);
            return new EmailReceipt(messageId, response);
        }
        catch (SmtpCommandException error)
        {
            throw new EmailDeliveryException($"the SMTP server refused the message: {(int)error.StatusCode} {error.Message}", error);
        }
        catch (AuthenticationException error)
        {
            throw new EmailDeliveryException($"the SMTP server refused the credentials of Worker__Smtp__Username: {error.Message}", error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EmailDeliveryException($"the SMTP server {smtp.Host}:{smtp.Port} did not answer in time", error);
        }
        catch (Exception error) when (error is SmtpProtocolException or SslHandshakeException or IOException or SocketException or TimeoutException or ServiceNotConnectedException)
        {
            throw new EmailDeliveryException($"the SMTP server {smtp.Host}:{smtp.Port} could not be reached or broke off: {error.Message}", error);
        }
    }

    private static MimeMessage Build(OutgoingEmail email, out string messageId)
    {
        MailboxAddress from, to;
        try
        {
            from = MailboxAddress.Parse(email.FromAddress);
            to = MailboxAddress.Parse(email.ToAddress);
        }
        catch (ParseException error)
        {
            throw new EmailDeliveryException("the email's from or to address is not a single valid address", error);
        }

        messageId = MimeUtils.GenerateMessageId(from.Domain is { Length: > 0 } domain ? domain : "localhost");
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Body = new BodyBuilder { HtmlBody = email.Html }.ToMessageBody(),
            MessageId = messageId,
        };
        message.From.Add(from);
        message.To.Add(to);
        return message;
    }

    /// <summary>The message is accepted once the server has answered DATA; a failed goodbye changes nothing.</summary>
    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            await client.DisconnectAsync(quit: true);
        }
        catch (Exception error) when (error is IOException or SocketException or SmtpProtocolException or TimeoutException)
        {
            // Already sent; nothing to undo or report.
        }
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.Ssl => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
