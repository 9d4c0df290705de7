using System.Globalization;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// What <c>Accept</c> does to a read (contract §1.6): JSON by default, a single object for
/// <c>application/vnd.pgrst.object+json</c> (406 PGRST116 unless exactly one row), CSV as PostgreSQL formats records,
/// nulls stripped on request, 406 PGRST107 for anything else; and the read headers of §1.5.
/// </summary>
public sealed class ReadsMediaTypeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ObjectType = "application/vnd.pgrst.object+json";

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_without_accept_returns_json()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.1");

        Assert.Equal("""[{"id":1}]""", await AssertBodyAsync(response, 200, JsonContentType));
    }

    [Fact]
    public async Task Get_with_accept_any_returns_json()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.1", ("Accept", "*/*"));

        Assert.Equal("""[{"id":1}]""", await AssertBodyAsync(response, 200, JsonContentType));
    }

    [Fact]
    public async Task Get_with_object_accept_and_one_row_returns_that_object()
    {
        using var response = await anon.ReadAsync("/items?select=id,name&id=eq.1", ("Accept", ObjectType));

        Assert.Equal("""{"id":1,"name":"apple"}""", await AssertBodyAsync(response, 200, "application/vnd.pgrst.object+json; charset=utf-8"));
    }

    [Fact]
    public async Task Get_with_object_accept_without_json_suffix_returns_that_object()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.2", ("Accept", "application/vnd.pgrst.object"));

        Assert.Equal("""{"id":2}""", await AssertBodyAsync(response, 200, "application/vnd.pgrst.object+json; charset=utf-8"));
    }

    [Fact]
    public async Task Get_with_object_accept_and_no_rows_returns_406_PGRST116()
    {
        using var response = await anon.ReadAsync("/items?id=eq.99", ("Accept", ObjectType));

        var error = await RpcHttp.AssertErrorAsync(response, 406, "PGRST116");
        Assert.Equal("Cannot coerce the result to a single JSON object", error.Message);
        Assert.Equal("The result contains 0 rows", error.Details);
        Assert.Null(error.Hint);
    }

    [Fact]
    public async Task Get_with_object_accept_and_two_rows_returns_406_PGRST116()
    {
        using var response = await anon.ReadAsync("/items?id=in.(1,2)", ("Accept", ObjectType));

        var error = await RpcHttp.AssertErrorAsync(response, 406, "PGRST116");
        Assert.Equal("Cannot coerce the result to a single JSON object", error.Message);
        Assert.Equal("The result contains 2 rows", error.Details);
    }

    [Fact]
    public async Task Get_with_object_accept_and_stripped_nulls_drops_null_values()
    {
        using var response = await anon.ReadAsync(
            "/items?select=id,price,name,data,tags&id=eq.4", ("Accept", "application/vnd.pgrst.object+json;nulls=stripped"));

        AssertJsonEqual(
            """{"id":4,"name":"Date, \"dried\"","tags":[]}""",
            await AssertBodyAsync(response, 200, "application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8"));
    }

    [Fact]
    public async Task Get_with_array_accept_and_stripped_nulls_drops_null_values()
    {
        using var response = await anon.ReadAsync(
            "/items?select=id,price,active&id=in.(3,4)&order=id", ("Accept", "application/vnd.pgrst.array+json;nulls=stripped"));

        AssertJsonEqual(
            """[{"id":3,"price":0.50,"active":true},{"id":4}]""",
            await AssertBodyAsync(response, 200, "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8"));
    }

    [Fact]
    public async Task Get_with_csv_accept_returns_a_header_row_and_records_without_a_trailing_newline()
    {
        using var response = await anon.ReadAsync("/items?select=id,name,price&id=in.(1,4)&order=id", ("Accept", "text/csv"));

        Assert.Equal(
            "id,name,price\n1,apple,9.99\n4,\"Date, \"\"dried\"\"\",",
            await AssertBodyAsync(response, 200, "text/csv; charset=utf-8"));
    }

    [Fact]
    public async Task Get_with_csv_accept_writes_arrays_and_ranges_as_postgresql_text()
    {
        using var response = await anon.ReadAsync("/items?select=tags,span&id=eq.3", ("Accept", "text/csv"));

        Assert.Equal("tags,span\n\"{fruit,red,small}\",\"[10,20)\"", await AssertBodyAsync(response, 200, "text/csv; charset=utf-8"));
    }

    /// <summary>PostgREST joins the (empty) header and the (empty) records with a newline: <c>header || '\n' || body</c>.</summary>
    [Fact]
    public async Task Get_with_csv_accept_and_no_rows_returns_a_single_newline()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.99", ("Accept", "text/csv"));

        Assert.Equal("\n", await AssertBodyAsync(response, 200, "text/csv; charset=utf-8"));
    }

    [Fact]
    public async Task Get_prefers_the_first_acceptable_type_in_accept()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.1", ("Accept", "text/csv, application/json"));

        Assert.Equal("id\n1", await AssertBodyAsync(response, 200, "text/csv; charset=utf-8"));
    }

    [Fact]
    public async Task Get_respects_quality_values_in_accept()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.1", ("Accept", "text/csv;q=0.5, application/json"));

        Assert.Equal("""[{"id":1}]""", await AssertBodyAsync(response, 200, JsonContentType));
    }

    [Fact]
    public async Task Get_with_an_unknown_type_then_any_falls_back_to_json()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.1", ("Accept", "text/unknowntype, */*"));

        Assert.Equal("""[{"id":1}]""", await AssertBodyAsync(response, 200, JsonContentType));
    }

    [Fact]
    public async Task Get_with_only_an_unknown_type_returns_406_PGRST107()
    {
        using var response = await anon.ReadAsync("/items", ("Accept", "text/unknowntype"));

        var error = await RpcHttp.AssertErrorAsync(response, 406, "PGRST107");
        Assert.Equal("None of these media types are available: text/unknowntype", error.Message);
    }

    [Fact]
    public async Task Get_sends_content_length_of_the_body()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=in.(3,4)&order=id");

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture), RpcHttp.Header(response, "Content-Length"));
    }

    [Fact]
    public async Task Get_sends_content_location_with_the_parameters_sorted()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.1");

        await AssertBodyAsync(response, 200);
        Assert.Equal("/items?id=eq.1&select=id", RpcHttp.Header(response, "Content-Location"));
    }

    [Fact]
    public async Task Get_without_parameters_sends_content_location_of_the_bare_path()
    {
        using var response = await anon.ReadAsync("/items");

        await AssertBodyAsync(response, 200);
        Assert.Equal("/items", RpcHttp.Header(response, "Content-Location"));
    }
}
