using Gateway.Configuration;
using Gateway.Observability;
using Microsoft.Extensions.Options;

namespace Gateway.Execution;

/// <summary>
/// Where a streamed response goes when its client falls behind: a temporary file in <c>Gateway:SpillDirectory</c>
/// (the temporary directory by default), deleted when closed. The database's rows are then read at the database's
/// pace, the connection returns to the pool, and the client reads the rest from the file at its own pace. When no
/// file can be made there (a read-only container without a writable <c>/tmp</c>), one Warning says so and responses
/// stream from the open row as before.
/// </summary>
internal sealed partial class ResponseSpill(IOptions<GatewayOptions> options, GatewayMetrics metrics, ILogger<ResponseSpill> logger)
{
    /// <summary>How long a write to the client may stay unfinished before the rest of the body is spilled.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(50);

    private readonly string directory = options.Value.SpillDirectory ?? Path.GetTempPath();
    private int warned;

    /// <summary>A new temporary file, deleted on close, or null (logged once per process) when none can be made.</summary>
    public FileStream? TryCreate()
    {
        try
        {
            var path = Path.Combine(directory, "gateway-response-" + Guid.NewGuid().ToString("N"));
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            metrics.ResponseSpilled();
            return file;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            if (Interlocked.Exchange(ref warned, 1) == 0)
            {
                LogUnavailable(logger, directory, error.Message);
            }

            return null;
        }
    }

    [LoggerMessage(EventId = EventIds.SpillUnavailable, Level = LogLevel.Warning,
        Message = "Cannot spill large responses to {Directory} ({Reason}): a slow client keeps its database connection until it has read the response; make the directory writable or set Gateway__SpillDirectory")]
    private static partial void LogUnavailable(ILogger logger, string directory, string reason);
}
