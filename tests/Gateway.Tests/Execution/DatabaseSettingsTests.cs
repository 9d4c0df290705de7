using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Tests.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Tests.Execution;

/// <summary>
/// The pool's defaults keep one replica from taking the server's every connection and a request from waiting long for
/// one; whatever the connection string sets explicitly wins, under any of Npgsql's names for it.
/// </summary>
public sealed class DatabaseSettingsTests
{
    [Fact]
    public void Unset_the_pool_holds_20_connections_waits_5_seconds_for_one_and_keeps_64_statements_prepared()
    {
        var settings = Pool("Host=db;Username=authenticator");

        Assert.Equal((20, 5, 64), (settings.MaxPoolSize, settings.Timeout, settings.MaxAutoPrepare));
        Assert.True(settings.Pooling);
    }

    [Theory]
    [InlineData("Host=db;Username=authenticator;Maximum Pool Size=7;Timeout=2;Max Auto Prepare=16")]
    [InlineData("Host=db;Username=authenticator;MaxPoolSize=7;timeout=2;MaxAutoPrepare=16")]
    public void What_the_connection_string_sets_wins(string connectionString)
    {
        var settings = Pool(connectionString);

        Assert.Equal((7, 2, 16), (settings.MaxPoolSize, settings.Timeout, settings.MaxAutoPrepare));
    }

    [Fact]
    public void A_minimum_above_the_default_maximum_raises_the_maximum()
    {
        Assert.Equal(30, Pool("Host=db;Username=authenticator;Minimum Pool Size=30").MaxPoolSize);
    }

    [Fact]
    public void Readiness_has_an_unpooled_source_with_the_same_settings()
    {
        using var app = GatewayApps.Build([("ConnectionStrings:Gateway", "Host=db;Username=authenticator;Timeout=3")], builder => builder.AddGatewayOptions().AddGatewayDatabase());

        var settings = new NpgsqlConnectionStringBuilder(app.Services.GetRequiredKeyedService<NpgsqlDataSource>(DatabaseExtensions.Unpooled).ConnectionString);

        Assert.False(settings.Pooling);
        Assert.Equal(("db", 3), (settings.Host, settings.Timeout));
    }

    private static NpgsqlConnectionStringBuilder Pool(string connectionString)
    {
        using var app = GatewayApps.Build([("ConnectionStrings:Gateway", connectionString)], builder => builder.AddGatewayOptions().AddGatewayDatabase());
        return new NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
    }
}
