using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;
using OpenTelemetry.Trace;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// Traces (ASP.NET Core and Npgsql instrumentation) go to an OTLP collector when one is configured: here a small
/// OTLP/HTTP receiver on 127.0.0.1 that keeps what it is sent.
/// </summary>
public sealed class TracingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task With_an_otlp_endpoint_request_and_statement_spans_are_exported_without_client_values()
    {
        using var collector = new OtlpReceiver();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Otlp:Endpoint"] = collector.Address,
            ["Gateway:Otlp:Protocol"] = "http/protobuf",
        };
        IReadOnlyList<string> traces;
        await using (var gateway = Gateways.With(api, settings))
        {
            var client = await Gateways.ReadyClientAsync(gateway);
            using var response = await client.GetAsync("/items?select=id&name=eq.secret-filter-value");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // Flushed on each probe rather than left to the batch's schedule or to the flush at shutdown, which a
            // loaded machine can outlast: the request's span may also end just after its client has the response.
            var tracer = (TracerProvider)gateway.Services.GetService(typeof(TracerProvider))!;
            traces = await Eventually.ValueAsync(
                () =>
                {
                    tracer.ForceFlush(5_000);
                    return Task.FromResult(collector.Received("/v1/traces"));
                },
                // The request's span and its statement's may come in separate batches.
                bodies => bodies.Any(body => body.Contains("Npgsql", StringComparison.Ordinal))
                    && bodies.Any(body => body.Contains("Microsoft.AspNetCore", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                "spans of the request and its statement at the collector");
        }

        var all = string.Join("\n", traces);
        Assert.Contains("gateway", all, StringComparison.Ordinal);
        Assert.Contains("Microsoft.AspNetCore", all, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-filter-value", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_is_traced()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?>());
        var client = await Gateways.ReadyClientAsync(gateway);

        Assert.Null(gateway.Services.GetService(typeof(TracerProvider)));
        using var response = await client.GetAsync("/items?limit=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Accepts OTLP/HTTP exports and keeps each body as text (protobuf keeps strings as UTF-8).</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentQueue<(string Path, string Body)> received = new();
        private readonly Task loop;

        public OtlpReceiver()
        {
            var port = PublishedGateway.FreePort();
            Address = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(Address + "/");
            listener.Start();
            loop = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public IReadOnlyList<string> Received(string path) => received.Where(r => r.Path == path).Select(r => r.Body).ToList();

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            loop.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
