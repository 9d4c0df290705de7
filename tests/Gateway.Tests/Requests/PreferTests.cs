using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class PreferTests
{
    [Fact]
    public void No_prefer_header_means_no_preferences()
    {
        Assert.Same(Preferences.None, Get("").Preferences);
    }

    [Fact]
    public void Every_preference_is_recognised()
    {
        var preferences = Preferences.Parse(
            "return=representation, count=exact, resolution=merge-duplicates, missing=default, " +
            "handling=strict, tx=rollback, timezone=America/Los_Angeles, max-affected=5");

        Assert.Equal(ReturnPreference.Representation, preferences.Return);
        Assert.Equal(CountPreference.Exact, preferences.Count);
        Assert.Equal(ResolutionPreference.MergeDuplicates, preferences.Resolution);
        Assert.Equal(MissingPreference.Default, preferences.Missing);
        Assert.Equal(HandlingPreference.Strict, preferences.Handling);
        Assert.Equal(TransactionPreference.Rollback, preferences.Transaction);
        Assert.Equal("America/Los_Angeles", preferences.Timezone);
        Assert.Equal(5, preferences.MaxAffected);
        Assert.Empty(preferences.Invalid);
    }

    [Theory]
    [InlineData("return=minimal", "Minimal")]
    [InlineData("return=representation", "Representation")]
    [InlineData("return=headers-only", "HeadersOnly")]
    public void Return_values_parse(string header, string expected)
    {
        Assert.Equal(Enum.Parse<ReturnPreference>(expected), Preferences.Parse(header).Return);
    }

    [Theory]
    [InlineData("count=exact", "Exact")]
    [InlineData("count=planned", "Planned")]
    [InlineData("count=estimated", "Estimated")]
    public void Count_values_parse(string header, string expected)
    {
        Assert.Equal(Enum.Parse<CountPreference>(expected), Preferences.Parse(header).Count);
    }

    [Theory]
    [InlineData("resolution=ignore-duplicates")]
    [InlineData("missing=null")]
    [InlineData("handling=lenient")]
    [InlineData("tx=commit")]
    [InlineData("timezone=+05:30")]
    [InlineData("max-affected=0")]
    public void Other_values_are_valid(string header)
    {
        Assert.Empty(Preferences.Parse(header).Invalid);
    }

    [Fact]
    public void The_first_occurrence_wins()
    {
        var preferences = Preferences.Parse("tx=commit, tx=rollback, return=minimal, return=representation");

        Assert.Equal(TransactionPreference.Commit, preferences.Transaction);
        Assert.Equal(ReturnPreference.Minimal, preferences.Return);
        Assert.Empty(preferences.Invalid);
    }

    [Fact]
    public void An_invalid_value_does_not_hide_a_later_valid_one()
    {
        var preferences = Preferences.Parse("return=bogus, return=minimal");

        Assert.Equal(ReturnPreference.Minimal, preferences.Return);
        Assert.Equal(["return=bogus"], preferences.Invalid);
    }

    [Fact]
    public void Spaces_and_empty_items_are_tolerated()
    {
        var preferences = Preferences.Parse("  count=exact,,\treturn=minimal  ,");

        Assert.Equal(CountPreference.Exact, preferences.Count);
        Assert.Equal(ReturnPreference.Minimal, preferences.Return);
        Assert.Empty(preferences.Invalid);
    }

    [Fact]
    public void Unknown_and_invalid_preferences_are_kept_in_order()
    {
        var preferences = Preferences.Parse("foo, count=all, params=single-object, max-affected=x, timezone=, Return=minimal");

        Assert.Equal(["foo", "count=all", "params=single-object", "max-affected=x", "timezone=", "Return=minimal"], preferences.Invalid);
    }

    [Fact]
    public void Several_prefer_headers_arrive_joined_and_merge()
    {
        var request = Ok("GET", "/todos", "", "prefer: count=exact, count=planned,return=minimal");

        Assert.Equal(CountPreference.Exact, request.Preferences.Count);
        Assert.Equal(ReturnPreference.Minimal, request.Preferences.Return);
    }

    [Fact]
    public void Strict_handling_with_invalid_preferences_is_400_PGRST122()
    {
        var error = Error("GET", "/todos", "", "Prefer: handling=strict, foo, bar=baz");

        Assert.Equal(400, error.Status);
        Assert.Equal("PGRST122", error.Code);
        Assert.Equal("Invalid preferences given with handling=strict", error.Message);
        Assert.Equal("Invalid preferences: foo, bar=baz", error.Details);
    }

    [Fact]
    public void Strict_handling_with_valid_preferences_passes()
    {
        Assert.Equal(HandlingPreference.Strict, Ok("GET", "/todos", "", "Prefer: handling=strict, count=exact").Preferences.Handling);
    }

    [Fact]
    public void Lenient_handling_ignores_invalid_preferences()
    {
        Assert.Equal(["foo"], Ok("GET", "/todos", "", "Prefer: handling=lenient, foo").Preferences.Invalid);
    }

    [Fact]
    public void Preference_applied_follows_postgrest_order()
    {
        var preferences = Preferences.Parse(
            "max-affected=5, timezone=UTC, handling=strict, tx=commit, count=exact, return=representation, missing=default, resolution=ignore-duplicates");

        Assert.Equal(
            "resolution=ignore-duplicates, missing=default, return=representation, count=exact, tx=commit, handling=strict, timezone=UTC, max-affected=5",
            preferences.FormatApplied(PreferenceKinds.All));
    }

    [Fact]
    public void Preference_applied_shows_max_affected_only_with_strict_handling()
    {
        Assert.Equal("handling=lenient", Preferences.Parse("max-affected=5, handling=lenient").FormatApplied(PreferenceKinds.All));
    }

    [Fact]
    public void Preference_applied_shows_only_the_kinds_the_caller_applied()
    {
        var preferences = Preferences.Parse("return=representation, count=exact, missing=default");

        Assert.Equal("count=exact", preferences.FormatApplied(PreferenceKinds.Count | PreferenceKinds.Timezone));
    }

    [Fact]
    public void Preference_applied_is_null_when_nothing_applies()
    {
        Assert.Null(Preferences.None.FormatApplied(PreferenceKinds.All));
        Assert.Null(Preferences.Parse("return=minimal").FormatApplied(PreferenceKinds.Count));
    }
}
