using System.Buffers;
using System.Data;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Floor;

/// <summary>
/// The floor: what answering a bench request costs when written by hand on the gateway's stack. It finds the request's
/// <see cref="Shape"/> by method, path and query string, fills the shape's parameters from the request (the caller
/// JwtBearer validated, the id in the query, the body, the request's headers and cookies as JSON), sends the gateway's
/// statements in one <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction) on an auto-preparing data
/// source, and copies the last column of the last statement's row, the JSON PostgreSQL built, to the response. It does
/// no parsing, planning or SQL building, and none of the gateway's error mapping, logging or metrics.
/// </summary>
internal sealed class FloorEndpoint(NpgsqlDataSource dataSource)
{
    private const int FlushBytes = 32 * 1024;

    /// <summary>Maps every method and path of <paramref name="shapes"/>; a request whose query string fits none answers 404.</summary>
    public static void Map(WebApplication app, IReadOnlyList<Shape> shapes)
    {
        var endpoint = new FloorEndpoint(app.Services.GetRequiredService<NpgsqlDataSource>());
        foreach (var route in shapes.GroupBy(shape => (shape.Method, shape.Path)))
        {
            var candidates = route.ToArray();
            app.MapMethods(route.Key.Path, [route.Key.Method], context => endpoint.HandleAsync(context, candidates));
        }
    }

    private async Task HandleAsync(HttpContext context, Shape[] candidates)
    {
        var request = context.Request;
        var query = request.QueryString.HasValue ? request.QueryString.Value.AsSpan(1) : [];
        Shape? shape = null;
        var id = "";
        foreach (var candidate in candidates)
        {
            if (candidate.Matches(query, out var found))
            {
                (shape, id) = (candidate, found.ToString());
                break;
            }
        }

        if (shape is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var caller = context.Features.Get<Caller>();
        if (caller is null && request.Headers.Authorization.Count > 0)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = HttpMethods.IsGet(request.Method) ? null : await ReadBodyAsync(request.BodyReader, context.RequestAborted);
        var values = new RequestValues(request, caller, id, body);

        await using var connection = await dataSource.OpenConnectionAsync(context.RequestAborted);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in shape.Statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            foreach (var parameter in statement.Parameters)
            {
                command.Parameters.Add(new NpgsqlParameter
                {
                    Value = (object?)values.Of(parameter) ?? DBNull.Value,
                    NpgsqlDbType = parameter.Unknown ? NpgsqlDbType.Unknown : NpgsqlDbType.Text,
                });
            }

            batch.BatchCommands.Add(command);
        }

        // Sequential access: the body column is copied from Npgsql's buffer to the response, never made a string.
        await using var reader = await batch.ExecuteReaderAsync(CommandBehavior.SequentialAccess, context.RequestAborted);
        for (var skip = 1; skip < shape.Statements.Count; skip++)
        {
            await reader.NextResultAsync(context.RequestAborted);
        }

        await reader.ReadAsync(context.RequestAborted);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var column = await reader.GetStreamAsync(reader.FieldCount - 1, context.RequestAborted);
        context.Response.ContentLength = column.Length;
        await CopyAsync(column, context.Response.BodyWriter, context.RequestAborted);
    }

    private static async Task<string> ReadBodyAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            if (read.IsCompleted)
            {
                var text = Encoding.UTF8.GetString(read.Buffer);
                body.AdvanceTo(read.Buffer.End);
                return text;
            }

            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static async Task CopyAsync(Stream column, PipeWriter response, CancellationToken cancellationToken)
    {
        var unflushed = 0;
        while (true)
        {
            var read = await column.ReadAsync(response.GetMemory(), cancellationToken);
            if (read == 0)
            {
                // Once the response has started, Kestrel does not send what is left unflushed when the handler returns.
                await response.FlushAsync(cancellationToken);
                return;
            }

            response.Advance(read);
            unflushed += read;
            if (unflushed >= FlushBytes)
            {
                await response.FlushAsync(cancellationToken);
                unflushed = 0;
            }
        }
    }

    /// <summary>The values a request gives its shape's parameters.</summary>
    private sealed class RequestValues(HttpRequest request, Caller? caller, string id, string? body)
    {
        public string? Of(ShapeParameter parameter) => parameter.Source switch
        {
            Source.Value => parameter.Value,
            Source.Role => caller?.Role ?? parameter.Value,
            Source.Claims => caller?.ClaimsJson ?? parameter.Value,
            Source.Method => request.Method,
            Source.Path => request.Path.Value,
            Source.Headers => HeadersJson(request.Headers),
            Source.Cookies => CookiesJson(request.Cookies),
            Source.Id => id,
            Source.Body => body,
            _ => throw new InvalidOperationException($"Unknown parameter source {parameter.Source}."),
        };

        // PostgREST's request.headers: an object of the request's headers, names in lower case.
        private static string HeadersJson(IHeaderDictionary headers) =>
            JsonObject(headers, static (json, header) => json.WriteString(header.Key.ToLowerInvariant(), header.Value.ToString()));

        private static string CookiesJson(IRequestCookieCollection cookies) =>
            cookies.Count == 0 ? "{}" : JsonObject(cookies, static (json, cookie) => json.WriteString(cookie.Key, cookie.Value));

        private static string JsonObject<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                foreach (var item in items)
                {
                    write(json, item);
                }

                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }
}
