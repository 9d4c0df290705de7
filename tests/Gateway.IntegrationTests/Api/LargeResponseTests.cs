using System.Net;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// A response larger than the gateway buffers is copied from PostgreSQL's row to the client as it arrives, never held
/// whole (issue 12): the bytes are PostgreSQL's, the length is known up front, and the gateway allocates far less than
/// the body's size. Alone in its collection, so the process's allocation counter sees only this request.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class LargeResponseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // About 31 MB of JSON: 30,000 rows of a thousand letters.
    private const int Rows = 30_000;

    private const string Fixture = """
        create view api.large_rows as select g as id, repeat('x', 1000) as filler from generate_series(1, 30000) as g;
        comment on view api.large_rows is 'Large responses: about 31 MB when read whole.';
        grant select on api.large_rows to anon;
        create view api.large_pairs as select g as id, repeat('y', 300000) as filler from generate_series(1, 2) as g;
        comment on view api.large_pairs is 'Large responses: two rows, each larger than the gateway buffers.';
        grant select on api.large_pairs to anon;
        create function api.large_write(n int) returns table(id int, filler text) language sql volatile
          as $$ select g, repeat('w', 1000) from generate_series(1, n) as g $$;
        grant execute on function api.large_write(int) to anon;
        """;

    [Fact]
    public async Task A_large_read_arrives_whole_with_its_length_and_costs_the_gateway_a_fraction_of_its_size()
    {
        await api.EnsureObjectsAsync("api.large_rows", Fixture, "/large_rows?limit=1");
        var client = api.Anon();

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.GetAsync("/large_rows?order=id", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var (length, ids, last) = await ReadRowsAsync(body);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(Rows, ids);
        Assert.Equal(Rows, last);
        // Read whole as a string it cost three times its size (UTF-16 text, then UTF-8 bytes); streamed, a few buffers.
        Assert.True(allocated < length / 4, $"the gateway and the test together allocated {allocated:N0} bytes for a {length:N0} byte body");
    }

    [Theory]
    [InlineData(60)] // about 61 KB: read whole, the connection back before the client reads
    [InlineData(100)] // about 102 KB: copied from the row as it arrives
    [InlineData(300)] // about 306 KB: likewise, several flushes
    public async Task A_read_on_either_side_of_the_buffered_limit_arrives_whole_and_exact(int rows)
    {
        await api.EnsureObjectsAsync("api.large_rows", Fixture, "/large_rows?limit=1");

        using var response = await api.Anon().GetAsync($"/large_rows?order=id&limit={rows}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        await AssertRowsAsync(body, rows, 'x');
    }

    [Fact]
    public async Task A_write_whose_answer_is_larger_than_the_buffered_limit_is_answered_whole_after_its_commit()
    {
        await api.EnsureObjectsAsync("api.large_rows", Fixture, "/large_rows?limit=1");

        using var response = await api.Anon().PostAsync(
            "/rpc/large_write", new StringContent("{\"n\": 200}", System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        await AssertRowsAsync(body, 200, 'w');
    }

    // The rows 1..n in order, each with its thousand letters: nothing lost, repeated or cut at a buffer's edge.
    private static async Task AssertRowsAsync(byte[] body, int rows, char letter)
    {
        Assert.True(body.Length > 60_000, $"a body of {body.Length} bytes");
        var (length, count, last) = await ReadRowsAsync(new MemoryStream(body));
        Assert.Equal(body.Length, length);
        Assert.Equal(rows, count);
        Assert.Equal(rows, last);
        using var document = JsonDocument.Parse(body);
        Assert.All(document.RootElement.EnumerateArray(), row => Assert.Equal(new string(letter, 1000), row.GetProperty("filler").GetString()));
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_body_gives_its_connection_back()
    {
        await api.EnsureObjectsAsync("api.large_rows", Fixture, "/large_rows?limit=1");
        await using var admin = await api.OpenAdminAsync();
        const string Busy = """
            select count(*) from pg_stat_activity
            where datname = current_database() and usename = 'authenticator' and pid <> pg_backend_pid()
              and query like '%large_rows%' and state <> 'idle'
            """;
        var client = api.Anon();

        using (var response = await client.GetAsync("/large_rows?order=id", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var first = new byte[4096];
            await body.ReadExactlyAsync(first);
            Assert.Equal((byte)'[', first[0]);
        }

        await Eventually.TrueAsync(async () => await admin.ExecuteScalarAsync<long>(Busy) == 0, "the abandoned read to leave PostgreSQL");
        using var next = await client.GetAsync("/large_rows?id=eq.7&select=id");
        Assert.Equal("[{\"id\":7}]", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_singular_response_of_large_rows_is_still_refused_when_there_are_several()
    {
        await api.EnsureObjectsAsync("api.large_rows", Fixture, "/large_rows?limit=1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/large_pairs");
        request.Headers.Accept.ParseAdd("application/vnd.pgrst.object+json");

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PGRST116", error.RootElement.GetProperty("code").GetString());
    }

    // Reads the JSON array a buffer at a time, as a client that keeps nothing would: its length, rows and last id.
    private static async Task<(long Length, int Rows, int LastId)> ReadRowsAsync(Stream body)
    {
        var buffer = new byte[64 * 1024];
        var state = new JsonReaderState();
        long length = 0;
        int rows = 0, lastId = 0, kept = 0;
        bool idNext = false;
        while (true)
        {
            var read = await body.ReadAsync(buffer.AsMemory(kept));
            length += read;
            var final = read == 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, kept + read), final, state);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    idNext = reader.ValueTextEquals("id");
                }
                else if (idNext && reader.TokenType == JsonTokenType.Number)
                {
                    lastId = reader.GetInt32();
                    rows++;
                    idNext = false;
                }
            }

            if (final)
            {
                return (length, rows, lastId);
            }

            state = reader.CurrentState;
            kept = kept + read - (int)reader.BytesConsumed;
            buffer.AsSpan((int)reader.BytesConsumed, kept).CopyTo(buffer);
        }
    }
}

/// <summary>Test classes that must run with nothing else in the process (they read process-wide counters).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone in the process";
}
