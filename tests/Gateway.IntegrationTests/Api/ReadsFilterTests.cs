using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Every filter operator of the contract §1.2 on <c>GET /items</c>, each checked by the ids it selects from the five
/// fixture rows (1 apple, 2 banana, 3 cherry, 4 <c>Date, "dried"</c> with mostly nulls, 5 elderberry). Values
/// reach PostgreSQL as <c>unknown</c>-typed parameters, so the column's type decides how they are read.
/// </summary>
public sealed class ReadsFilterTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_eq_selects_equal_rows()
    {
        await anon.AssertItemIdsAsync("name=eq.banana", 2);
    }

    [Fact]
    public async Task Get_with_neq_selects_other_rows()
    {
        await anon.AssertItemIdsAsync("id=neq.2", 1, 3, 4, 5);
    }

    [Fact]
    public async Task Get_with_gt_selects_greater_rows()
    {
        await anon.AssertItemIdsAsync("id=gt.3", 4, 5);
    }

    [Fact]
    public async Task Get_with_gte_selects_greater_or_equal_rows()
    {
        await anon.AssertItemIdsAsync("id=gte.4", 4, 5);
    }

    [Fact]
    public async Task Get_with_lt_selects_smaller_rows()
    {
        await anon.AssertItemIdsAsync("id=lt.2", 1);
    }

    [Fact]
    public async Task Get_with_lte_selects_smaller_or_equal_rows()
    {
        await anon.AssertItemIdsAsync("id=lte.2", 1, 2);
    }

    [Fact]
    public async Task Get_with_gt_compares_numeric_as_numbers()
    {
        await anon.AssertItemIdsAsync("price=gt.5", 1, 2);
    }

    [Fact]
    public async Task Get_with_gt_compares_bigint_beyond_32_bits()
    {
        await anon.AssertItemIdsAsync("big=gt.15000000000", 2);
    }

    [Fact]
    public async Task Get_with_gt_compares_dates()
    {
        await anon.AssertItemIdsAsync("day=gt.2024-02-15", 3, 5);
    }

    [Fact]
    public async Task Get_with_lt_compares_timestamptz()
    {
        await anon.AssertItemIdsAsync("at=lt.2024-02-01T00:00:00Z", 1);
    }

    [Fact]
    public async Task Get_with_eq_compares_booleans()
    {
        await anon.AssertItemIdsAsync("active=eq.true", 1, 3);
    }

    [Fact]
    public async Task Get_with_a_value_invalid_for_the_column_type_returns_400_22P02()
    {
        using var response = await anon.ReadAsync("/items?id=eq.abc");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "22P02");
        Assert.Equal("invalid input syntax for type integer: \"abc\"", error.Message);
    }

    [Fact]
    public async Task Get_with_like_treats_star_as_wildcard()
    {
        await anon.AssertItemIdsAsync("name=like.*rr*", 3, 5);
    }

    [Fact]
    public async Task Get_with_like_is_case_sensitive()
    {
        await anon.AssertItemIdsAsync("name=like.*DRIED*");
    }

    [Fact]
    public async Task Get_with_ilike_is_case_insensitive()
    {
        await anon.AssertItemIdsAsync("name=ilike.*DRIED*", 4);
    }

    [Fact]
    public async Task Get_with_match_applies_a_posix_regex()
    {
        await anon.AssertItemIdsAsync("name=match.%5E[ab]", 1, 2);
    }

    [Fact]
    public async Task Get_with_imatch_applies_a_case_insensitive_regex()
    {
        await anon.AssertItemIdsAsync("name=imatch.%5E(APPLE%7CCherry)%24", 1, 3);
    }

    [Fact]
    public async Task Get_with_in_selects_listed_values()
    {
        await anon.AssertItemIdsAsync("id=in.(1,3,5)", 1, 3, 5);
    }

    [Fact]
    public async Task Get_with_in_reads_double_quoted_values_with_commas_and_escaped_quotes()
    {
        await anon.AssertItemIdsAsync("name=in.(%22Date,%20%5C%22dried%5C%22%22,apple)", 1, 4);
    }

    [Fact]
    public async Task Get_with_empty_in_selects_nothing()
    {
        await anon.AssertItemIdsAsync("id=in.()");
    }

    [Fact]
    public async Task Get_with_in_of_only_spaces_selects_nothing()
    {
        await anon.AssertItemIdsAsync("id=in.(%20%20%20)");
    }

    [Fact]
    public async Task Get_with_not_in_empty_selects_every_row()
    {
        await anon.AssertItemIdsAsync("id=not.in.()", 1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Get_with_is_null_selects_null_rows()
    {
        await anon.AssertItemIdsAsync("price=is.null", 4);
    }

    [Fact]
    public async Task Get_with_is_not_null_selects_non_null_rows()
    {
        await anon.AssertItemIdsAsync("price=is.not_null", 1, 2, 3, 5);
    }

    [Fact]
    public async Task Get_with_is_true_selects_true_rows()
    {
        await anon.AssertItemIdsAsync("active=is.true", 1, 3);
    }

    [Fact]
    public async Task Get_with_is_false_selects_false_rows()
    {
        await anon.AssertItemIdsAsync("active=is.false", 2, 5);
    }

    [Fact]
    public async Task Get_with_is_unknown_selects_null_booleans()
    {
        await anon.AssertItemIdsAsync("active=is.unknown", 4);
    }

    [Fact]
    public async Task Get_with_is_reads_its_value_case_insensitively()
    {
        await anon.AssertItemIdsAsync("active=is.NULL", 4);
    }

    [Fact]
    public async Task Get_with_is_of_another_value_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?active=is.nil");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_with_isdistinct_treats_null_as_a_value()
    {
        await anon.AssertItemIdsAsync("active=isdistinct.true", 2, 4, 5);
    }

    [Fact]
    public async Task Get_with_fts_on_a_tsvector_column_uses_to_tsquery()
    {
        await anon.AssertItemIdsAsync("search=fts.quick", 1, 3);
    }

    [Fact]
    public async Task Get_with_fts_and_a_configuration_stems_the_query_in_that_language()
    {
        await anon.AssertItemIdsAsync("search=fts(english).cherries", 3);
    }

    [Fact]
    public async Task Get_with_fts_on_a_text_column_wraps_it_in_to_tsvector_with_the_configuration()
    {
        await anon.AssertItemIdsAsync("name=fts(english).cherries", 3);
    }

    [Fact]
    public async Task Get_with_fts_on_a_text_column_without_configuration()
    {
        await anon.AssertItemIdsAsync("name=fts.banana", 2);
    }

    [Fact]
    public async Task Get_with_plfts_reads_plain_words_with_plus_as_space()
    {
        await anon.AssertItemIdsAsync("search=plfts.quick+fox", 1);
    }

    [Fact]
    public async Task Get_with_phfts_matches_words_in_that_order()
    {
        await anon.AssertItemIdsAsync("search=phfts(english).quick%20brown", 1);
    }

    [Fact]
    public async Task Get_with_phfts_does_not_match_words_in_another_order()
    {
        await anon.AssertItemIdsAsync("search=phfts(english).brown%20quick");
    }

    [Fact]
    public async Task Get_with_wfts_reads_websearch_syntax()
    {
        await anon.AssertItemIdsAsync("search=wfts(english).quick%20-fox", 3);
    }

    [Fact]
    public async Task Get_with_not_fts_selects_non_matching_rows_but_not_nulls()
    {
        await anon.AssertItemIdsAsync("search=not.fts.quick", 2, 5);
    }

    [Fact]
    public async Task Get_with_cs_selects_arrays_containing_the_values()
    {
        await anon.AssertItemIdsAsync("tags=cs.{red}", 1, 3);
    }

    [Fact]
    public async Task Get_with_cd_selects_arrays_contained_in_the_values()
    {
        await anon.AssertItemIdsAsync("tags=cd.{fruit,red,small}", 1, 3, 4);
    }

    [Fact]
    public async Task Get_with_ov_selects_arrays_overlapping_the_values()
    {
        await anon.AssertItemIdsAsync("tags=ov.{yellow,berry}", 2, 5);
    }

    [Fact]
    public async Task Get_with_cs_on_an_integer_array()
    {
        await anon.AssertItemIdsAsync("nums=cs.{2}", 1, 3);
    }

    [Fact]
    public async Task Get_with_cs_selects_ranges_containing_the_range()
    {
        await anon.AssertItemIdsAsync("span=cs.[6,7]", 2);
    }

    [Fact]
    public async Task Get_with_cd_selects_ranges_contained_in_the_range()
    {
        await anon.AssertItemIdsAsync("span=cd.[0,12)", 1, 2);
    }

    [Fact]
    public async Task Get_with_ov_selects_ranges_overlapping_the_range()
    {
        await anon.AssertItemIdsAsync("span=ov.[8,12)", 2, 3);
    }

    [Fact]
    public async Task Get_with_sl_selects_ranges_strictly_left()
    {
        await anon.AssertItemIdsAsync("span=sl.[10,11)", 1, 2);
    }

    [Fact]
    public async Task Get_with_sr_selects_ranges_strictly_right()
    {
        await anon.AssertItemIdsAsync("span=sr.[9,10)", 3, 5);
    }

    [Fact]
    public async Task Get_with_nxr_selects_ranges_not_extending_right()
    {
        await anon.AssertItemIdsAsync("span=nxr.[0,10)", 1, 2);
    }

    [Fact]
    public async Task Get_with_nxl_selects_ranges_not_extending_left()
    {
        await anon.AssertItemIdsAsync("span=nxl.[10,11)", 3, 5);
    }

    [Fact]
    public async Task Get_with_adj_selects_adjacent_ranges()
    {
        await anon.AssertItemIdsAsync("span=adj.[30,40)", 5);
    }

    [Fact]
    public async Task Get_with_not_negates_the_operator()
    {
        await anon.AssertItemIdsAsync("id=not.eq.2", 1, 3, 4, 5);
    }

    [Fact]
    public async Task Get_with_eq_any_selects_rows_equal_to_any_element()
    {
        await anon.AssertItemIdsAsync("id=eq(any).{1,3}", 1, 3);
    }

    [Fact]
    public async Task Get_with_like_any_matches_any_pattern()
    {
        await anon.AssertItemIdsAsync("name=like(any).{a*,b*}", 1, 2);
    }

    [Fact]
    public async Task Get_with_like_all_matches_every_pattern()
    {
        await anon.AssertItemIdsAsync("name=like(all).{*e*,*r*}", 3, 4, 5);
    }

    [Fact]
    public async Task Get_with_gt_all_compares_with_every_element()
    {
        await anon.AssertItemIdsAsync("id=gt(all).{1,3}", 4, 5);
    }

    [Fact]
    public async Task Get_with_not_and_any_negates_the_quantified_comparison()
    {
        await anon.AssertItemIdsAsync("id=not.eq(any).{1,3}", 2, 4, 5);
    }

    [Fact]
    public async Task Get_with_filter_on_a_json_text_path()
    {
        await anon.AssertItemIdsAsync("data->>color=eq.red", 1, 3);
    }

    [Fact]
    public async Task Get_with_filter_on_a_nested_json_path()
    {
        await anon.AssertItemIdsAsync("data->size->>w=eq.2", 2);
    }

    [Fact]
    public async Task Get_with_filter_on_a_json_value_path_compares_json()
    {
        await anon.AssertItemIdsAsync("data->color=eq.%22red%22", 1, 3);
    }

    [Fact]
    public async Task Get_with_filter_on_a_json_column_path()
    {
        await anon.AssertItemIdsAsync("doc->>k=eq.v2", 2);
    }

    [Fact]
    public async Task Get_with_the_same_column_filtered_twice_applies_both()
    {
        await anon.AssertItemIdsAsync("id=gt.1&id=lt.4", 2, 3);
    }

    [Fact]
    public async Task Get_with_filters_on_different_columns_combines_them_with_and()
    {
        await anon.AssertItemIdsAsync("active=is.true&price=lt.1", 3);
    }

    [Fact]
    public async Task Get_reads_plus_in_a_value_as_a_space()
    {
        await anon.AssertItemIdsAsync("name=eq.Date,+%22dried%22", 4);
    }

    [Fact]
    public async Task Get_decodes_percent_encoded_values()
    {
        await anon.AssertItemIdsAsync("name=eq.Date%2C%20%22dried%22", 4);
    }

    [Fact]
    public async Task Get_reads_percent_encoded_plus_as_a_plus()
    {
        await anon.AssertItemIdsAsync("at=eq.2024-01-01T10:00:00%2B00:00", 1);
    }
}
