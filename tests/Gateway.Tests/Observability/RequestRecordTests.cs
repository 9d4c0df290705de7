using Gateway.Observability;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Observability;

/// <summary>
/// The route kind and target the request log and the metrics give an api request, from its (decoded) path alone:
/// empty segments do not count, a target is cut at PostgreSQL's 63 characters and control characters become '?'.
/// </summary>
public sealed class RequestRecordTests
{
    [Theory]
    [InlineData("/", RequestRecord.Root, null)]
    [InlineData("", RequestRecord.Root, null)]
    [InlineData("//", RequestRecord.Root, null)]
    [InlineData("/items", RequestRecord.Relation, "items")]
    [InlineData("/items/5/extra", RequestRecord.Relation, "items")]
    [InlineData("//items//", RequestRecord.Relation, "items")]
    [InlineData("/rpc/add_them", RequestRecord.Rpc, "add_them")]
    [InlineData("//rpc//add_them/more", RequestRecord.Rpc, "add_them")]
    [InlineData("/rpc", RequestRecord.Relation, "rpc")]
    [InlineData("/rpc/", RequestRecord.Relation, "rpc")]
    [InlineData("/RPC/f", RequestRecord.Relation, "RPC")]
    [InlineData("/a\u0001b\nc", RequestRecord.Relation, "a?b?c")]
    [InlineData("/rpc/\u007ff\u0085", RequestRecord.Rpc, "?f?")]
    public void An_api_path_gives_its_kind_and_target(string path, string kind, string? target)
    {
        var record = RequestRecord.For(At(path), "/metrics");

        Assert.Equal(kind, record.Kind);
        Assert.Equal(target, record.Target);
    }

    [Fact]
    public void A_target_longer_than_a_PostgreSQL_name_is_cut_at_63_characters_and_marked()
    {
        var name = new string('n', 62) + "xyz";

        var record = RequestRecord.For(At("/rpc/" + name), "/metrics");

        Assert.Equal(new string('n', 62) + "x...", record.Target);
        Assert.Equal(name[..63], RequestRecord.For(At("/" + name[..63]), "/metrics").Target);
    }

    private static DefaultHttpContext At(string path) => new() { Request = { Path = path.Length == 0 ? PathString.Empty : new PathString(path) } };
}
