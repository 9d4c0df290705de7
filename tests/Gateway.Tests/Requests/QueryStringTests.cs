using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class QueryStringTests
{
    [Fact]
    public void Plus_means_space()
    {
        var filter = SingleFilter("name=eq.John+Smith");

        Assert.Equal("John Smith", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Encoded_plus_stays_a_plus()
    {
        var filter = SingleFilter("name=eq.a%2Bb");

        Assert.Equal("a+b", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Percent_escapes_decode_as_utf8()
    {
        var filter = SingleFilter("name=eq.%C3%A9t%C3%A9%20%E2%82%AC");

        Assert.Equal("été €", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Keys_are_decoded_too()
    {
        var request = Get("%73elect=id&first%20name=eq.x");

        Assert.Equal("id", Assert.IsType<SelectField>(Assert.Single(request.Select)).Field.Column);
        Assert.Equal("first name", Assert.Single(request.Filters).Field.Column);
    }

    [Fact]
    public void Malformed_escape_stays_literal()
    {
        var filter = SingleFilter("name=eq.100%zz");

        Assert.Equal("100%zz", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Invalid_utf8_becomes_the_replacement_character()
    {
        var filter = SingleFilter("name=eq.%FF");

        Assert.Equal("\uFFFD", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Theory]
    [InlineData("?id=eq.1")]
    [InlineData("id=eq.1")]
    [InlineData("&id=eq.1&&")]
    public void Leading_question_mark_and_empty_pairs_are_ignored(string query)
    {
        Assert.Equal("id", SingleFilter(query).Field.Column);
    }

    [Fact]
    public void Repeated_keys_keep_their_order()
    {
        var filters = Get("id=gt.1&name=eq.a&id=lt.5").Filters;

        Assert.Equal(["id", "name", "id"], filters.Select(f => f.Field.Column));
        Assert.Equal(["1", "a", "5"], filters.Select(f => ((CompareOperation)f.Operation).Value));
    }

    [Fact]
    public void Bare_key_without_equals_is_ignored()
    {
        var request = Get("select&id");

        Assert.Equal([SelectAll.Instance], request.Select);
        Assert.Empty(request.Filters);
    }

    [Fact]
    public void Semicolon_is_not_a_separator()
    {
        var error = GetError("select=id;name");

        AssertParseError(error);
    }

    [Fact]
    public void Canonical_query_sorts_keys_encodes_and_joins_repeated_values()
    {
        var request = Get("order=id&id=gt.1&id=lt.5&name=eq.a+b");

        Assert.Equal("id=gt.1,lt.5&name=eq.a%20b&order=id", request.CanonicalQuery);
    }

    [Fact]
    public void Canonical_query_keeps_the_order_of_a_repeated_keys_values_and_sorts_keys_by_code_point()
    {
        var request = Get("tag=cs.{b}&Name=eq.x&tag=cs.{a}&limit=3&tag=cs.{c}&name=eq.y");

        Assert.Equal("Name=eq.x&limit=3&name=eq.y&tag=cs.%7Bb%7D,cs.%7Ba%7D,cs.%7Bc%7D", request.CanonicalQuery);
    }

    [Fact]
    public void Canonical_query_of_many_parameters_is_sorted_the_same_way()
    {
        // Past the few sorted by insertion: keys z9..z0 then a0..a9, each twice, the second value after the first.
        var keys = Enumerable.Range(0, 10).Select(i => $"z{9 - i}").Concat(Enumerable.Range(0, 10).Select(i => $"a{i}")).ToList();
        var query = string.Join('&', keys.Select(key => $"{key}=eq.1").Concat(keys.Select(key => $"{key}=eq.2")));

        var expected = string.Join('&', keys.Order(StringComparer.Ordinal).Select(key => $"{key}=eq.1,eq.2"));
        Assert.Equal(expected, Get(query).CanonicalQuery);
    }

    [Fact]
    public void Canonical_query_is_empty_without_parameters()
    {
        Assert.Equal("", Get("").CanonicalQuery);
    }
}
