using Gateway.Auth;

namespace Gateway.Tests.Auth;

public sealed class VerifiedTokenCacheTests
{
    private static readonly VerifiedToken Verified =
        new(TimeClaim.Absent, TimeClaim.Absent, TimeClaim.Absent, new AuthContext("authenticated", "{}", IsAnonymous: false));

    [Fact]
    public void A_token_is_found_by_its_text()
    {
        var cache = new VerifiedTokenCache(10);
        cache.Add("a.b.c", Verified);

        Assert.True(cache.TryGet("Bearer a.b.c".AsSpan(7), out var found));
        Assert.Same(Verified, found);
        Assert.False(cache.TryGet("a.b.d", out _));
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_capacity()
    {
        var cache = new VerifiedTokenCache(3);
        for (var i = 0; i < 10; i++)
        {
            cache.Add($"token-{i}", Verified);
        }

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet("token-9", out _));
    }

    [Fact]
    public void A_token_hit_since_the_last_eviction_survives_the_next_one()
    {
        var cache = new VerifiedTokenCache(3);
        cache.Add("old-but-used", Verified);
        cache.Add("old", Verified);
        cache.Add("newer", Verified);
        Assert.True(cache.TryGet("old-but-used", out _));

        cache.Add("newest", Verified);

        Assert.True(cache.TryGet("old-but-used", out _));
        Assert.False(cache.TryGet("old", out _));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void A_removed_token_is_gone_and_its_slot_reused()
    {
        var cache = new VerifiedTokenCache(2);
        cache.Add("a", Verified);
        cache.Add("b", Verified);

        cache.Remove("a");
        cache.Add("c", Verified);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
    }

    [Fact]
    public void Concurrent_adds_and_hits_keep_the_cache_consistent()
    {
        var cache = new VerifiedTokenCache(50);

        Parallel.For(0, 20_000, i =>
        {
            var token = $"token-{i % 200}";
            if (!cache.TryGet(token, out _))
            {
                cache.Add(token, Verified);
            }

            if (i % 97 == 0)
            {
                cache.Remove(token);
            }
        });

        Assert.InRange(cache.Count, 1, 50);
    }
}
