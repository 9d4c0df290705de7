using System.Net;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// A connection string naming several hosts makes the gateway send read-only transactions preferably to a standby
/// and the others to the primary. With one server here, it is named twice: with no standby, reads fall back to the
/// primary, and writes find it.
/// </summary>
public sealed class ReadReplicaTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task With_several_hosts_reads_and_writes_are_both_answered()
    {
        var connection = new NpgsqlConnectionStringBuilder(api.AuthenticatorConnectionString);
        connection.Host = $"{connection.Host},{connection.Host}";
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["ConnectionStrings:Gateway"] = connection.ConnectionString });
        var client = await Gateways.ReadyClientAsync(gateway);

        using var read = await client.GetAsync("/items?select=id&id=eq.1");
        using var write = await client.PostAsync("/rpc/bump", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("[{\"id\":1}]", await read.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
    }
}
