using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Gateway.IntegrationTests.Worker;

/// <summary>What the sink answers to a message once its DATA has arrived.</summary>
public enum SmtpSinkMode
{
    /// <summary>250: the message is delivered and kept.</summary>
    Accept,

    /// <summary>554: every message is refused (and counted).</summary>
    Refuse,

    /// <summary>The next message gets no answer until <see cref="SmtpSink.ReleaseHeld"/>; later ones are accepted.</summary>
    HoldNext,
}

/// <summary>
/// A real SMTP server inside the test process (the SmtpServer package) on 127.0.0.1 and a free port. It keeps every
/// message it accepts, parsed with MimeKit, and can refuse messages or hold one unanswered, as a slow server would.
/// A held message is not delivered: the client never got its 250.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> delivered = new();
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private SmtpServer.SmtpServer? server;
    private Task running = Task.CompletedTask;
    private int refused;
    private int holding;

    private SmtpSink(SmtpSinkMode mode) => Mode = mode;

    public int Port { get; private set; }

    public SmtpSinkMode Mode { get; set; }

    public IReadOnlyList<MimeMessage> Delivered => [.. delivered];

    public int Refused => Volatile.Read(ref refused);

    /// <summary>Completes when a message is being held (<see cref="SmtpSinkMode.HoldNext"/>).</summary>
    public Task Held => held.Task;

    public static async Task<SmtpSink> StartAsync(SmtpSinkMode mode = SmtpSinkMode.Accept)
    {
        var sink = new SmtpSink(mode);
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listeners = new EndpointListenerFactory();
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new Store(sink));
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, 0)))
            .Build();
        sink.server = new SmtpServer.SmtpServer(options, services);
        sink.running = sink.server.StartAsync(sink.stop.Token);
        sink.Port = await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return sink;
    }

    /// <summary>Lets the held message go; it is answered with a failure (its client is gone by then).</summary>
    public void ReleaseHeld() => release.TrySetResult();

    /// <summary>Waits, within <paramref name="bound"/>, until <paramref name="count"/> messages have been delivered.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForDeliveredAsync(int count, TimeSpan bound) =>
        await Eventually.ValueAsync(() => Task.FromResult(Delivered), messages => messages.Count >= count, bound, $"{count} delivered message(s)");

    public async ValueTask DisposeAsync()
    {
        release.TrySetResult();
        await stop.CancelAsync();
        server?.Shutdown();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // Cancelling is how the server stops.
        }

        stop.Dispose();
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            switch (sink.Mode)
            {
                case SmtpSinkMode.Refuse:
                    Interlocked.Increment(ref sink.refused);
                    return new SmtpResponse(SmtpReplyCode.TransactionFailed, "refused by the test");
                case SmtpSinkMode.HoldNext when Interlocked.Exchange(ref sink.holding, 1) == 0:
                    sink.held.TrySetResult();
                    await sink.release.Task;
                    return SmtpResponse.TransactionFailed;
            }

            using var stream = new MemoryStream(buffer.ToArray());
            sink.delivered.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
