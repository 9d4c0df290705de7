using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Which function a call means, by PostgREST's rules, against <c>Api/rpc-overload-fixture.sql</c>: unknown functions
/// and arguments (404 PGRST202 with its hints), overloads (300 PGRST203 before PostgreSQL is asked), and a single
/// unnamed parameter taking the whole body by its media type. Ported from PostgREST's RpcSpec with its expected
/// bodies; results PostgREST answers as <c>text/plain</c>, <c>text/xml</c> or <c>application/octet-stream</c> are
/// read here as JSON, the gateway's only answer for a function's value.
/// </summary>
public sealed class RpcOverloadTests(RpcOverloadFixture api) : IClassFixture<RpcOverloadFixture>
{
    // Bytes that are not UTF-8, as PostgREST's spec sends a PNG.
    private static readonly byte[] Png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x80];

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Post_of_an_unknown_function_returns_404_PGRST202()
    {
        using var response = await anon.PostJsonAsync("/rpc/fakefunc", "{}");

        await AssertErrorAsync(response, 404, "PGRST202");
    }

    [Fact]
    public async Task Get_of_an_unknown_function_returns_404_PGRST202()
    {
        using var response = await anon.GetAsync("/rpc/fake");

        await AssertErrorAsync(response, 404, "PGRST202");
    }

    [Theory]
    [InlineData("/rpc/sayhello")]
    [InlineData("/rpc/sayhello?any_arg=value")]
    public async Task Get_without_the_required_argument_or_with_an_unknown_one_returns_404_PGRST202(string path)
    {
        using var response = await anon.GetAsync(path);

        await AssertErrorAsync(response, 404, "PGRST202");
    }

    [Theory]
    [InlineData("/rpc/sayhell", "Perhaps you meant to call the function api.sayhello",
        "Could not find the function api.sayhell without parameters in the schema cache",
        "Searched for the function api.sayhell without parameters, but no matches were found in the schema cache.")]
    [InlineData("/rpc/sayhello?nam=Peter", "Perhaps you meant to call the function api.sayhello(name)",
        "Could not find the function api.sayhello(nam) in the schema cache",
        "Searched for the function api.sayhello with parameter nam, but no matches were found in the schema cache.")]
    [InlineData("/rpc/add_them?a=1&b=2&smthelse=blabla", "Perhaps you meant to call the function api.add_them(a, b)",
        "Could not find the function api.add_them(a, b, smthelse) in the schema cache",
        "Searched for the function api.add_them with parameters a, b, smthelse, but no matches were found in the schema cache.")]
    [InlineData("/rpc/overloaded?wrong_arg=value", null,
        "Could not find the function api.overloaded(wrong_arg) in the schema cache",
        "Searched for the function api.overloaded with parameter wrong_arg, but no matches were found in the schema cache.")]
    [InlineData("/rpc/overloaded?a=1&b=2&wrong_arg=value", "Perhaps you meant to call the function api.overloaded(a, b, c)",
        "Could not find the function api.overloaded(a, b, wrong_arg) in the schema cache",
        "Searched for the function api.overloaded with parameters a, b, wrong_arg, but no matches were found in the schema cache.")]
    public async Task Get_of_an_unknown_function_or_with_unknown_arguments_hints_the_closest_name_or_argument_list_when_one_is_similar(
        string path, string? hint, string message, string details)
    {
        using var response = await anon.GetAsync(path);

        await AssertNotFoundAsync(response, message, details, hint);
    }

    [Fact]
    public async Task Overloads_with_the_same_argument_names_return_300_PGRST203_listing_them_fewest_parameters_first()
    {
        using var response = await anon.GetAsync("/rpc/overloaded_same_args?arg=value");

        await AssertAmbiguousAsync(response,
            "api.overloaded_same_args(arg => integer), api.overloaded_same_args(arg => xml), api.overloaded_same_args(arg => text, num => integer)");
    }

    [Theory]
    [InlineData("POST", "defaults_only", "api.defaults_only(a => integer), api.defaults_only(b => text)")]
    [InlineData("GET", "defaults_only", "api.defaults_only(a => integer), api.defaults_only(b => text)")]
    [InlineData("POST", "defaults_unnamed", "api.defaults_unnamed(), api.defaults_unnamed( => json)")]
    [InlineData("GET", "defaults_unnamed", "api.defaults_unnamed(), api.defaults_unnamed( => json)")]
    public async Task A_call_without_arguments_that_several_overloads_fit_through_defaults_returns_300_PGRST203(string method, string function, string candidates)
    {
        using var response = await anon.SendAsync(new HttpMethod(method), "/rpc/" + function);

        await AssertAmbiguousAsync(response, candidates);
    }

    [Theory]
    [InlineData("/rpc/overloaded", "[1,2,3]")]
    [InlineData("/rpc/overloaded?a=1&b=2", "3")]
    [InlineData("/rpc/overloaded?a=1&b=2&c=3", "\"123\"")]
    public async Task Get_chooses_the_overload_by_its_argument_names(string path, string expected)
    {
        using var response = await anon.GetAsync(path);

        await AssertJsonEqualAsync(response, expected);
    }

    [Theory]
    [InlineData("", "[1,2,3]")]
    [InlineData("a=1&b=2", "3")]
    [InlineData("a=1&b=2&c=3", "\"123\"")]
    public async Task Post_of_a_form_chooses_the_overload_by_its_field_names(string form, string expected)
    {
        using var response = await anon.PostAsync("/rpc/overloaded_html_form", Body(form, "application/x-www-form-urlencoded"));

        await AssertJsonEqualAsync(response, expected);
    }

    [Theory]
    [InlineData("/rpc/overloaded_default?select=id,name,users(name)", "{}",
        """[{"id": 2, "name": "Code w7", "users": [{"name": "Angela Martin"}]}]""")]
    [InlineData("/rpc/overloaded_default", """{"must_param":1}""", """{"val":1}""")]
    [InlineData("/rpc/overloaded_default?select=id,name,users(name)", """{"a":4}""",
        """[{"id": 5, "name": "Design IOS", "users": [{"name": "Michael Scott"}, {"name": "Dwight Schrute"}]}]""")]
    [InlineData("/rpc/overloaded_default", """{"a":2,"must_param":4}""", """{"a":2,"val":4}""")]
    public async Task Overloads_differing_in_a_last_parameter_with_a_default_are_told_apart_by_the_required_names(string path, string body, string expected)
    {
        using var response = await anon.PostJsonAsync(path, body);

        await AssertJsonEqualAsync(response, expected);
    }

    [Fact]
    public async Task A_single_unnamed_json_parameter_receives_a_json_body_whole()
    {
        using var response = await anon.PostJsonAsync("/rpc/unnamed_json_param", """{"A": 1, "B": 2, "C": 3}""");

        await AssertJsonEqualAsync(response, """{"A": 1, "B": 2, "C": 3}""");
    }

    [Fact]
    public async Task A_single_named_json_parameter_does_not_receive_the_body_whole()
    {
        using var response = await anon.PostJsonAsync("/rpc/named_json_param", """{"A": 1, "B": 2, "C": 3}""");

        await AssertNotFoundAsync(response,
            "Could not find the function api.named_json_param(A, B, C) in the schema cache",
            "Searched for the function api.named_json_param with parameters A, B, C or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
            null);
    }

    [Fact]
    public async Task A_single_unnamed_text_parameter_receives_a_text_plain_body()
    {
        using var response = await anon.PostAsync("/rpc/unnamed_text_param", Body("unnamed text arg", "text/plain"));

        await AssertJsonEqualAsync(response, "\"unnamed text arg\"");
    }

    [Fact]
    public async Task A_single_unnamed_xml_parameter_receives_a_text_xml_body()
    {
        const string Xml = "<note><from>John</from><to>Jane</to><message>Remember me</message></note>";

        using var response = await anon.PostAsync("/rpc/unnamed_xml_param", Body(Xml, "text/xml"));

        await AssertJsonEqualAsync(response, JsonValue.Create(Xml).ToJsonString());
    }

    [Fact]
    public async Task A_single_unnamed_bytea_parameter_receives_an_octet_stream_body_byte_for_byte()
    {
        using var response = await anon.PostAsync("/rpc/unnamed_bytea_param", Bytes(Png));

        await AssertJsonEqualAsync(response, ByteaJson(Png));
    }

    [Fact]
    public async Task A_json_body_matching_an_unnamed_parameter_by_its_empty_name_is_passed_whole_and_positionally()
    {
        // The "" key names the unnamed text parameter, and PostgREST then passes the body as it came, not the key's value.
        using var response = await anon.PostJsonAsync("/rpc/unnamed_text_param", """{"": "x"}""");

        await AssertJsonEqualAsync(response, JsonValue.Create("""{"": "x"}""").ToJsonString());
    }

    [Fact]
    public async Task A_function_whose_unnamed_parameter_no_body_can_be_is_unknown_and_the_closest_name_is_hinted()
    {
        using var response = await anon.PostJsonAsync("/rpc/unnamed_int_param", """{"x": 1, "y": 2}""");

        await AssertNotFoundAsync(response,
            "Could not find the function api.unnamed_int_param(x, y) in the schema cache",
            "Searched for the function api.unnamed_int_param with parameters x, y or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
            "Perhaps you meant to call the function api.unnamed_text_param");
    }

    [Fact]
    public async Task Options_knows_a_function_with_a_single_unnamed_text_parameter_but_not_one_with_an_unnamed_integer()
    {
        using var callable = await anon.SendAsync(HttpMethod.Options, "/rpc/unnamed_text_param");
        using var unknown = await anon.SendAsync(HttpMethod.Options, "/rpc/unnamed_int_param");

        Assert.Equal(System.Net.HttpStatusCode.OK, callable.StatusCode);
        Assert.Equal("OPTIONS,POST", Header(callable, "Allow"));
        await AssertErrorAsync(unknown, 404, "PGRST202");
    }

    [Theory]
    [InlineData("text/plain", "text")]
    [InlineData("text/xml", "xml")]
    [InlineData("application/octet-stream", "bytea")]
    public async Task A_raw_body_no_single_unnamed_parameter_takes_returns_404_PGRST202_without_hint(string contentType, string type)
    {
        using var response = await anon.PostAsync("/rpc/unnamed_int_param", Body("a simple text", contentType));

        await AssertNotFoundAsync(response,
            "Could not find the function api.unnamed_int_param in the schema cache",
            $"Searched for the function api.unnamed_int_param with a single unnamed {type} parameter, but no matches were found in the schema cache.",
            null);
    }

    [Theory]
    [InlineData("{}", "1")]
    [InlineData("""{"x": 1, "y": 2}""", "3")]
    public async Task Overloads_whose_names_fit_win_over_a_single_unnamed_json_parameter(string body, string expected)
    {
        using var response = await anon.PostJsonAsync("/rpc/overloaded_unnamed_param", body);

        await AssertJsonEqualAsync(response, expected);
    }

    [Fact]
    public async Task When_no_names_fit_the_single_unnamed_parameter_of_the_bodys_media_type_takes_it()
    {
        using var json = await anon.PostJsonAsync("/rpc/overloaded_unnamed_param", """{"A": 1, "B": 2, "C": 3}""");
        using var text = await anon.PostAsync("/rpc/overloaded_unnamed_param", Body("unnamed text arg", "text/plain"));
        using var bytes = await anon.PostAsync("/rpc/overloaded_unnamed_param", Bytes(Png));

        await AssertJsonEqualAsync(json, """{"A": 1, "B": 2, "C": 3}""");
        await AssertJsonEqualAsync(text, "\"unnamed text arg\"");
        await AssertJsonEqualAsync(bytes, ByteaJson(Png));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public async Task Get_with_a_raw_content_type_calls_the_function_without_parameters(string contentType)
    {
        using var response = await anon.SendAsync(HttpMethod.Get, "/rpc/overloaded_unnamed_param", request => request.Content = Body("", contentType));

        await AssertJsonEqualAsync(response, "1");
    }

    [Fact]
    public async Task A_csv_body_never_falls_back_to_a_single_unnamed_parameter()
    {
        using var response = await anon.PostAsync("/rpc/overloaded_unnamed_param", Body("a,b\n1,2\n4,6\n100,200", "text/csv"));

        await AssertNotFoundAsync(response,
            "Could not find the function api.overloaded_unnamed_param(a, b) in the schema cache",
            "Searched for the function api.overloaded_unnamed_param with parameters a, b, but no matches were found in the schema cache.",
            "Perhaps you meant to call the function api.overloaded_unnamed_param(x, y)");
    }

    [Fact]
    public async Task Two_single_unnamed_json_and_jsonb_parameters_return_300_PGRST203()
    {
        using var response = await anon.PostJsonAsync("/rpc/overloaded_unnamed_json_jsonb_param", """{"A": 1, "B": 2, "C": 3}""");

        await AssertAmbiguousAsync(response, "api.overloaded_unnamed_json_jsonb_param( => json), api.overloaded_unnamed_json_jsonb_param( => jsonb)");
    }

    [Fact]
    public async Task Invalid_xml_for_an_unnamed_xml_parameter_is_postgresqls_400()
    {
        using var response = await anon.PostAsync("/rpc/unnamed_xml_param", Body("<", "text/xml"));

        await AssertErrorBodyAsync(response, 400, """
            {"hint":null,
             "message":"invalid XML content",
             "code":"2200N",
             "details":"line 1: StartTag: invalid element name\n<\n ^"}
            """);
    }

    [Fact]
    public async Task Invalid_utf8_for_an_unnamed_text_parameter_is_postgresqls_400()
    {
        using var content = new ByteArrayContent(Png);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");

        using var response = await anon.PostAsync("/rpc/unnamed_text_param", content);

        var error = await AssertErrorAsync(response, 400, "22021");
        Assert.StartsWith("invalid byte sequence for encoding \"UTF8\"", error.Message, StringComparison.Ordinal);
    }

    private static StringContent Body(string text, string contentType) => new(text, Encoding.UTF8, contentType);

    private static ByteArrayContent Bytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    // A bytea in JSON, as PostgreSQL writes it: "\x" and the bytes in hex.
    private static string ByteaJson(byte[] bytes) => JsonValue.Create("\\x" + Convert.ToHexStringLower(bytes)).ToJsonString();

    // PostgREST's 300 naming the candidates, in its order.
    private static Task AssertAmbiguousAsync(HttpResponseMessage response, string candidates) =>
        AssertErrorBodyAsync(response, 300, JsonSerializer.Serialize(new
        {
            hint = "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
            message = "Could not choose the best candidate function between: " + candidates,
            code = "PGRST203",
            details = (string?)null,
        }));

    // PostgREST's 404 for a function it cannot find.
    private static Task AssertNotFoundAsync(HttpResponseMessage response, string message, string details, string? hint) =>
        AssertErrorBodyAsync(response, 404, JsonSerializer.Serialize(new { hint, message, code = "PGRST202", details }));

    // The status, PostgREST's error shape and Proxy-Status, and the body equal to the spec's, as JSON.
    private static async Task AssertErrorBodyAsync(HttpResponseMessage response, int status, string expected)
    {
        var code = JsonNode.Parse(expected)!["code"]!.GetValue<string>();
        await AssertErrorAsync(response, status, code);
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");
    }
}
