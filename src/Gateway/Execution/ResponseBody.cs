using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Gateway.Execution;

/// <summary>
/// The body PostgreSQL built, as UTF-8 bytes of known length: read whole into a buffer (the connection is back in
/// the pool before the client reads a byte), or, when large and the statement read-only, still in the open row of
/// the reader, copied to the client as it arrives so the gateway holds no more of it than its buffers. Disposing it
/// returns the buffer, or ends the read and the connection that a streamed body keeps open.
/// </summary>
internal sealed class ResponseBody : IAsyncDisposable
{
    /// <summary>
    /// Bodies up to this size are read whole, into a buffer of the shared pool; larger ones of read-only statements
    /// are streamed, and larger ones of writes (which must wait for their commit) read into an array of their own,
    /// so the pool never keeps arrays of that size once the load has passed.
    /// </summary>
    public const int BufferedLimit = 64 * 1024;

    private readonly byte[]? buffer;
    private readonly Stream? column;
    private readonly IAsyncDisposable[] owners;
    private bool disposed;
    private bool released;

    private ResponseBody(long length, byte[]? buffer, Stream? column, IAsyncDisposable[] owners)
    {
        Length = length;
        this.buffer = buffer;
        this.column = column;
        this.owners = owners;
    }

    /// <summary>The body's size in bytes, known before any is read (PostgreSQL sends a column's length first).</summary>
    public long Length { get; }

    /// <summary>Whether the body is still being read from the database.</summary>
    public bool Streamed => column is not null;

    private static bool Pooled(long length) => length <= BufferedLimit;

    /// <summary>Reads the column whole: into a buffer from the shared pool up to <see cref="BufferedLimit"/>.</summary>
    public static async Task<ResponseBody> ReadAsync(Stream column, int length, CancellationToken cancellationToken)
    {
        var buffer = Pooled(length) ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        try
        {
            await column.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
            return new ResponseBody(length, buffer, null, []);
        }
        catch
        {
            if (Pooled(length))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            throw;
        }
    }

    /// <summary>Leaves the column in the reader: <paramref name="owners"/> (reader, batch, connection) are disposed with the body.</summary>
    public static ResponseBody Stream(Stream column, long length, params IAsyncDisposable[] owners) => new(length, null, column, owners);

    /// <summary>
    /// Writes the body to <paramref name="destination"/>. A streamed body is read from the row straight into the
    /// response's buffers and flushed every <see cref="FlushBytes"/> while the client keeps up; once a flush stays
    /// unfinished longer than <see cref="ResponseSpill.Patience"/>, the rest of the row goes to
    /// <paramref name="spill"/>'s file, the reader and connection are released, and the client reads on from the file:
    /// a slow client never holds a database connection longer than the database takes to produce its body.
    /// </summary>
    public async Task CopyToAsync(PipeWriter destination, ResponseSpill? spill, CancellationToken cancellationToken)
    {
        if (buffer is not null)
        {
            await destination.WriteAsync(buffer.AsMemory(0, (int)Length), cancellationToken);
            return;
        }

        var unflushed = 0;
        while (true)
        {
            var read = await column!.ReadAsync(destination.GetMemory(FlushBytes - unflushed), cancellationToken);
            if (read == 0)
            {
                // All of it is in the response's buffers: the connection goes back before the client has read them.
                await ReleaseAsync();
                await destination.FlushAsync(cancellationToken);
                return;
            }

            destination.Advance(read);
            unflushed += read;
            if (unflushed < FlushBytes)
            {
                continue;
            }

            unflushed = 0;
            var flush = destination.FlushAsync(cancellationToken);
            if (flush.IsCompleted)
            {
                if ((await flush).IsCompleted)
                {
                    return; // the client is gone
                }

                continue;
            }

            var pending = flush.AsTask();
            await using var file = spill is null || await FinishesInTimeAsync(pending, cancellationToken) ? null : spill.TryCreate();
            if (file is null)
            {
                // In time, or no file to spill into: the client reads on from the open row.
                if ((await pending).IsCompleted)
                {
                    return;
                }

                continue;
            }

            // The client is behind: the rest into a file, the connection back, then the file to the client.
            await column.CopyToAsync(file, cancellationToken);
            await ReleaseAsync();
            if ((await pending).IsCompleted)
            {
                return;
            }

            file.Position = 0;
            await file.CopyToAsync(destination, cancellationToken);
            return;
        }
    }

    // Below Kestrel's default response buffer (64 KiB), so a flush to a client that keeps up finishes at once.
    private const int FlushBytes = 32 * 1024;

    private static async Task<bool> FinishesInTimeAsync(Task write, CancellationToken cancellationToken)
    {
        try
        {
            await write.WaitAsync(ResponseSpill.Patience, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The body as text, for the few answers the gateway reads itself (a written row's key, a token pair).</summary>
    public async Task<string> ReadTextAsync(CancellationToken cancellationToken)
    {
        if (buffer is not null)
        {
            return Encoding.UTF8.GetString(buffer, 0, (int)Length);
        }

        using var text = new StreamReader(column!, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await text.ReadToEndAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (buffer is not null && Pooled(Length))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await ReleaseAsync();
    }

    // The reader, batch and connection a streamed body holds, released once: when spilled, or at the end.
    private async ValueTask ReleaseAsync()
    {
        if (released)
        {
            return;
        }

        released = true;
        foreach (var owner in owners)
        {
            await owner.DisposeAsync();
        }
    }
}
