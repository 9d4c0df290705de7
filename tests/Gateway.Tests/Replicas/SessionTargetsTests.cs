using Gateway.Replicas;
using Npgsql;

namespace Gateway.Tests.Replicas;

public sealed class SessionTargetsTests
{
    [Fact]
    public void With_one_host_reads_and_writes_use_the_data_source_itself()
    {
        using var dataSource = new NpgsqlDataSourceBuilder("Host=db;Username=authenticator").Build();

        var targets = new SessionTargets(dataSource);

        Assert.False(targets.IsMultiHost);
        Assert.Same(dataSource, targets.For(readOnly: true));
        Assert.Same(dataSource, targets.For(readOnly: false));
    }

    [Fact]
    public void With_several_hosts_reads_prefer_a_standby_and_writes_go_to_the_primary()
    {
        using var dataSource = new NpgsqlDataSourceBuilder("Host=primary,standby1,standby2;Username=authenticator").Build();

        var targets = new SessionTargets(dataSource);

        Assert.True(targets.IsMultiHost);
        Assert.Equal(TargetSessionAttributes.PreferStandby, SessionTargets.ReadTarget);
        Assert.Equal(TargetSessionAttributes.Primary, SessionTargets.WriteTarget);
        Assert.Same(targets.Reads, targets.For(readOnly: true));
        Assert.Same(targets.Writes, targets.For(readOnly: false));
        Assert.NotSame(targets.Reads, targets.Writes);
        Assert.NotSame(dataSource, targets.Reads);
    }
}
