using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Gateway.IntegrationTests.Execution;

/// <summary>One answer of the gateway: its status, error code, <c>Retry-After</c> and body.</summary>
internal sealed record Answer(string Request, int Status, string? Code, string? RetryAfter, string Body)
{
    public static async Task<Answer> ReadAsync(string request, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        string? code = null;
        if ((int)response.StatusCode >= 400 && body.StartsWith('{'))
        {
            using var error = JsonDocument.Parse(body);
            code = error.RootElement.TryGetProperty("code", out var value) ? value.GetString() : null;
        }

        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return new Answer(request, (int)response.StatusCode, code, retryAfter, body);
    }

    /// <summary>A 503 as PostgREST shapes it: a JSON body with a code and a message, and <c>Retry-After</c> in whole seconds.</summary>
    public bool IsRetryable503 =>
        Status == 503 && Code is { Length: > 0 } && Body.Contains("\"message\":", StringComparison.Ordinal)
        && int.TryParse(RetryAfter, out var seconds) && seconds >= 1;
}

/// <summary>
/// Requests of every kind — a read, a write, a call and a client error — sent in a loop by a few workers until
/// disposed. Every answer is kept, in order, so a test can look at what clients saw during a fault.
/// </summary>
internal sealed class Load : IAsyncDisposable
{
    /// <summary>What each worker sends, in turn.</summary>
    public static readonly (string Method, string Path, string? Body)[] Mix =
    [
        ("GET", "/items?select=id,name&order=id", null),
        ("POST", "/rpc/bump", "{}"),
        ("GET", "/rpc/add?a=1&b=2", null),
        ("GET", "/no_such_view", null),
    ];

    private readonly ConcurrentQueue<Answer> answers = new();
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> workers = [];

    private Load()
    {
    }

    public IReadOnlyList<Answer> Answers => answers.ToList();

    public static Load Start(HttpClient client, int workers)
    {
        var load = new Load();
        for (var i = 0; i < workers; i++)
        {
            var first = i;
            load.workers.Add(Task.Run(() => load.RunAsync(client, first)));
        }

        return load;
    }

    /// <summary>Sends each request of the <see cref="Mix"/> once per round, <paramref name="rounds"/> times, one at a time.</summary>
    public static async Task<List<Answer>> RoundsAsync(HttpClient client, int rounds)
    {
        var seen = new List<Answer>();
        for (var i = 0; i < rounds * Mix.Length; i++)
        {
            seen.Add(await SendAsync(client, Mix[i % Mix.Length], CancellationToken.None));
        }

        return seen;
    }

    /// <summary>Stops the workers (a request in flight is abandoned) and returns every answer.</summary>
    public async Task<List<Answer>> StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return [.. answers];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stop.Dispose();
    }

    private async Task RunAsync(HttpClient client, int first)
    {
        for (var i = first; !stop.IsCancellationRequested; i++)
        {
            try
            {
                answers.Enqueue(await SendAsync(client, Mix[i % Mix.Length], stop.Token));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<Answer> SendAsync(HttpClient client, (string Method, string Path, string? Body) request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is { } body)
        {
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(message, cancellationToken);
        return await Answer.ReadAsync($"{request.Method} {request.Path}", response);
    }
}
