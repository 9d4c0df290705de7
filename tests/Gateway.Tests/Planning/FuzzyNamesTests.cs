using Gateway.Planning;

namespace Gateway.Tests.Planning;

/// <summary>The "Perhaps you meant" matcher, on the examples PostgREST documents for its function hints (Error.hs).</summary>
public sealed class FuzzyNamesTests
{
    [Theory]
    [InlineData("testt", "test")]
    [InlineData("other", null)]
    [InlineData("noclosealternative", null)]
    [InlineData("TEST", "test")]
    public void A_function_name_is_suggested_when_at_least_75_percent_similar(string wanted, string? expected)
    {
        Assert.Equal(expected, FuzzyNames.Closest(["test", "another"], wanted, 0.75));
    }

    [Theory]
    [InlineData("(nam, pqaram, vall)", "(name, param, val)")]
    [InlineData("(param, val)", "(name, param, val)")]
    [InlineData("(attrs, id)", "(attr, id)")]
    [InlineData("(id)", "(attr, id)")]
    [InlineData("(noclosealternative)", null)]
    public void An_argument_list_is_suggested_when_at_least_a_third_similar(string wanted, string? expected)
    {
        Assert.Equal(expected, FuzzyNames.Closest(["(name, param, val)", "(attr, id)"], wanted, 0.33));
    }

    [Fact]
    public void A_name_sharing_no_letter_pair_is_never_suggested_however_short_the_edit()
    {
        // "(wrong_arg)" is kept to "wrongarg" for the grams; "()" (an unnamed parameter) to nothing at all.
        Assert.Null(FuzzyNames.Closest(["()", "(a, b)", "(a, b, c)"], "(wrong_arg)", 0.33));
        Assert.Equal("(a, b, c)", FuzzyNames.Closest(["()", "(a, b)", "(a, b, c)"], "(a, b, wrong_arg)", 0.33));
    }

    [Fact]
    public void A_request_far_longer_than_every_name_matches_nothing()
    {
        Assert.Null(FuzzyNames.Closest(["(a, b)"], "(" + string.Join(", ", Enumerable.Range(0, 100_000).Select(i => "a" + i)) + ")", 0.33));
    }
}
