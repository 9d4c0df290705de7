using System.Text;
using System.Text.Json;
using Gateway.Catalog;
using Gateway.Planning;
using Gateway.Requests;
using Gateway.Sql;

namespace Gateway.Tests.Planning;

/// <summary>PostgREST's findProc as the planner applies it: which overload a call means, before PostgreSQL is asked.</summary>
public sealed class OverloadPlanningTests
{
    private static readonly CatalogSnapshot Catalog = CatalogLoader.Parse("api", $$"""
        {
          "relations": [],
          "routines": [
            {{Function("body", ("", "json", false))}},
            {{Function("body", ("", "bytea", false))}},
            {{Function("body", ("", "text", false))}},
            {{Function("body")}},
            {{Function("body", ("x", "integer", false), ("y", "integer", false))}},
            {{Function("same", ("arg", "text", false), ("num", "integer", true))}},
            {{Function("same", ("arg", "xml", false))}},
            {{Function("same", ("arg", "integer", false))}},
            {{Function("unnamed_text", ("", "text", false))}},
            {{Function("unnamed_int", ("", "integer", false))}}
          ],
          "role_settings": []
        }
        """);

    [Fact]
    public void A_raw_body_goes_whole_to_the_single_unnamed_parameter_of_its_media_type()
    {
        byte[] bytes = [0x89, 0x50, 0x00, 0xff];

        var plan = Plan("POST", "/rpc/body", "application/octet-stream", new RawPayload(bytes));

        var call = Assert.IsType<CallPlan>(plan.Value);
        var argument = Assert.IsType<PositionalArgument>(call.Arguments);
        Assert.Equal(("", "bytea"), (argument.Parameter.Name, argument.Parameter.Type));
        Assert.Equal(bytes, argument.Value);
    }

    [Fact]
    public void A_json_body_no_names_fit_goes_whole_to_the_unnamed_json_parameter()
    {
        var call = Assert.IsType<CallPlan>(Plan("POST", "/rpc/body", "application/json", Json("""[{"A": 1}, {"A": 2}]""")).Value);

        var argument = Assert.IsType<PositionalArgument>(call.Arguments);
        Assert.Equal("json", argument.Parameter.Type);
        Assert.Equal("""[{"A": 1}, {"A": 2}]""", Encoding.UTF8.GetString(argument.Value));
    }

    [Fact]
    public void Names_that_fit_win_over_the_whole_body()
    {
        var call = Assert.IsType<CallPlan>(Plan("POST", "/rpc/body", "application/json", Json("""{"x": 1, "y": 2}""")).Value);

        Assert.Equal(["x", "y"], call.Routine.Inputs.Select(p => p.Name));
        Assert.IsType<BodyArguments>(call.Arguments);
    }

    [Fact]
    public void The_empty_key_names_an_unnamed_parameter_which_then_receives_the_body_as_it_came()
    {
        var call = Assert.IsType<CallPlan>(Plan("POST", "/rpc/unnamed_text", "application/json", Json("""{"": "x"}""")).Value);

        Assert.Equal("""{"": "x"}""", Encoding.UTF8.GetString(Assert.IsType<PositionalArgument>(call.Arguments).Value));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public void A_get_never_takes_a_body_so_its_content_type_does_not_matter(string contentType)
    {
        var call = Assert.IsType<CallPlan>(Plan("GET", "/rpc/body", contentType, null).Value);

        Assert.Empty(call.Routine.Inputs);
    }

    [Fact]
    public void A_raw_body_never_calls_a_function_without_parameters()
    {
        var plan = Plan("POST", "/rpc/body", "text/xml", new RawPayload([]));

        Assert.Equal((404, "PGRST202"), (plan.Error!.Status, plan.Error.Code));
        Assert.Equal("Could not find the function api.body in the schema cache", plan.Error.Message);
        Assert.Equal("Searched for the function api.body with a single unnamed xml parameter, but no matches were found in the schema cache.", plan.Error.Details);
        Assert.Null(plan.Error.Hint);
    }

    [Fact]
    public void Ambiguous_overloads_are_listed_fewest_parameters_first_then_by_names_and_types()
    {
        var plan = Plan("GET", "/rpc/same?arg=1", null, null);

        Assert.Equal((300, "PGRST203"), (plan.Error!.Status, plan.Error.Code));
        Assert.Equal(
            "Could not choose the best candidate function between: api.same(arg => integer), api.same(arg => xml), api.same(arg => text, num => integer)",
            plan.Error.Message);
    }

    [Fact]
    public void A_function_whose_unnamed_parameter_no_body_can_be_is_not_callable_and_another_name_is_hinted()
    {
        var plan = Plan("POST", "/rpc/unnamed_int", "application/json", Json("""{"y": 2, "x": 1}"""));

        Assert.Equal((404, "PGRST202"), (plan.Error!.Status, plan.Error.Code));
        Assert.Equal("Could not find the function api.unnamed_int(x, y) in the schema cache", plan.Error.Message);
        Assert.Equal("Perhaps you meant to call the function api.unnamed_text", plan.Error.Hint);
    }

    [Fact]
    public void A_form_body_is_searched_only_by_its_field_names()
    {
        var plan = Plan("POST", "/rpc/body", "application/x-www-form-urlencoded", Json("""{"b": "1", "a": "2"}"""));

        Assert.Equal(
            "Searched for the function api.body with parameters a, b, but no matches were found in the schema cache.",
            plan.Error!.Details);
        Assert.Equal("Perhaps you meant to call the function api.body(x, y)", plan.Error.Hint);
    }

    [Fact]
    public void The_whole_body_is_a_bytea_parameter_for_bytea_and_decoded_by_postgresql_for_other_types()
    {
        var bytea = Statement.For(Plan("POST", "/rpc/body", "application/octet-stream", new RawPayload([1, 2])).Value!).Main;
        var text = Statement.For(Plan("POST", "/rpc/body", "text/plain", new RawPayload([0x61])).Value!).Main;

        Assert.Contains("\"api\".\"body\"($1)", bytea.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"api\".\"body\"(convert_from($1, 'UTF8')::text)", text.ToString(), StringComparison.Ordinal);
        Assert.All([bytea, text], s => Assert.Equal(NpgsqlTypes.NpgsqlDbType.Bytea, Assert.Single(s.Parameters).NpgsqlDbType));
    }

    private static Gateway.Errors.Result<ApiPlan> Plan(string method, string pathAndQuery, string? contentType, Payload? body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (contentType is not null)
        {
            headers["Content-Type"] = contentType;
        }

        var path = pathAndQuery.Split('?');
        return Planner.Plan(ApiRequestParser.Parse(method, path[0], path.Length > 1 ? path[1] : "", headers).Value!, Catalog, body);
    }

    private static JsonPayload Json(string json) => new(JsonDocument.Parse(json).RootElement);

    private static string Function(string name, params (string Name, string Type, bool HasDefault)[] parameters) =>
        JsonSerializer.Serialize(new
        {
            name,
            volatility = "v",
            returns_set = false,
            return_type = "text",
            return_type_kind = "b",
            comment = (string?)null,
            settings = Array.Empty<string>(),
            return_columns = Array.Empty<object>(),
            parameters = parameters.Select(p => new { name = p.Name, type = p.Type, mode = "i", has_default = p.HasDefault }),
        });
}
