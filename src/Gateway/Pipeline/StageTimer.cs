using System.Diagnostics;
using System.Globalization;

namespace Gateway.Pipeline;

/// <summary>
/// Durations of the pipeline's stages, for the <c>Server-Timing</c> header (PostgREST's names: jwt, parse, plan,
/// transaction, response). Only made when <c>Gateway:ServerTiming</c> is on: otherwise nothing is measured.
/// </summary>
internal sealed class StageTimer
{
    private readonly List<(string Stage, double Milliseconds)> stages = [];
    private long last = Stopwatch.GetTimestamp();

    /// <summary>A timer whose stages go out in the response's <c>Server-Timing</c>, error responses included (PostgREST's ServerTimingSpec).</summary>
    public static StageTimer Start(HttpContext context)
    {
        var timer = new StageTimer();
        context.Response.OnStarting(() =>
        {
            // A response stage only for a response built from a finished transaction, not for an error.
            if (timer.Has("transaction") && context.Response.StatusCode < 400)
            {
                timer.Mark("response");
            }

            context.Response.Headers["Server-Timing"] = timer.ToString();
            return Task.CompletedTask;
        });
        return timer;
    }

    public void Mark(string stage)
    {
        var now = Stopwatch.GetTimestamp();
        stages.Add((stage, Stopwatch.GetElapsedTime(last, now).TotalMilliseconds));
        last = now;
    }

    private bool Has(string stage) => stages.Exists(s => s.Stage == stage);

    public override string ToString() => string.Join(", ", stages.Select(s =>
        $"{s.Stage};dur={s.Milliseconds.ToString("0.0", CultureInfo.InvariantCulture)}"));
}
