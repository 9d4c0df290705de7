using Gateway.Catalog;
using Gateway.Planning;
using Gateway.Requests;

namespace Gateway.Tests.Planning;

public sealed class PlannerTests
{
    private static readonly CatalogSnapshot Catalog = CatalogLoader.Parse("api", """
        {
          "relations": [
            {"name": "items", "kind": "v", "comment": null, "insertable": false, "updatable": false, "deletable": false,
             "columns": [
               {"name": "id", "type": "integer", "category": "N", "nullable": true, "has_default": false, "comment": null},
               {"name": "data", "type": "jsonb", "category": "U", "nullable": true, "has_default": false, "comment": null}]}
          ],
          "routines": [
            {"name": "add", "volatility": "i", "returns_set": false, "return_type": "integer", "return_type_kind": "b",
             "comment": null, "settings": [], "return_columns": [],
             "parameters": [
               {"name": "a", "type": "integer", "mode": "i", "has_default": false},
               {"name": "b", "type": "integer", "mode": "i", "has_default": true}]},
            {"name": "bump", "volatility": "v", "returns_set": false, "return_type": "integer", "return_type_kind": "b",
             "comment": null, "settings": [], "return_columns": [], "parameters": []},
            {"name": "pick", "volatility": "v", "returns_set": false, "return_type": "text", "return_type_kind": "b",
             "comment": null, "settings": [], "return_columns": [],
             "parameters": [{"name": "x", "type": "integer", "mode": "i", "has_default": false}]},
            {"name": "pick", "volatility": "v", "returns_set": false, "return_type": "text", "return_type_kind": "b",
             "comment": null, "settings": [], "return_columns": [],
             "parameters": [{"name": "x", "type": "text", "mode": "i", "has_default": false}]}
          ],
          "role_settings": [{"role": "anon", "name": "statement_timeout", "value": "1s"}]
        }
        """);

    [Fact]
    public void An_unknown_view_is_404_PGRST205_with_the_nearest_name_as_hint()
    {
        var plan = Planner.Plan(Parse("GET", "/itemz"), Catalog, null);

        Assert.Equal((404, "PGRST205"), (plan.Error!.Status, plan.Error.Code));
        Assert.Equal("Perhaps you meant the table 'api.items'", plan.Error.Hint);
    }

    [Fact]
    public void An_unknown_column_is_400_42703_naming_it()
    {
        var plan = Planner.Plan(Parse("GET", "/items", "select=nope"), Catalog, null);

        Assert.Equal((400, "42703", "column items.nope does not exist"), (plan.Error!.Status, plan.Error.Code, plan.Error.Message));
    }

    [Fact]
    public void Filter_values_and_json_keys_are_parameters_not_sql_text()
    {
        var plan = Planner.Plan(Parse("GET", "/items", "data->>x'y=eq.1';drop&id=in.(1,2)"), Catalog, null);

        var statement = Gateway.Sql.Statement.For(plan.Value!).Main;
        var sql = statement.ToString();
        Assert.DoesNotContain("drop", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("x'y", sql, StringComparison.Ordinal);
        Assert.Contains(statement.Parameters, p => Equals(p.Value, "1';drop"));
        Assert.Contains(statement.Parameters, p => Equals(p.Value, "x'y"));
    }

    [Fact]
    public void Reads_are_read_only()
    {
        Assert.True(Planner.Plan(Parse("GET", "/items"), Catalog, null).Value!.ReadOnly);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", false)]
    public void A_volatile_function_runs_read_write_only_by_post(string method, bool readOnly)
    {
        var body = method == "POST" ? new JsonPayload(System.Text.Json.JsonDocument.Parse("{}").RootElement) : null;

        var plan = Planner.Plan(Parse(method, "/rpc/bump"), Catalog, body);

        Assert.Equal(readOnly, plan.Value!.ReadOnly);
    }

    [Fact]
    public void A_stable_or_immutable_function_runs_read_only_even_by_post()
    {
        var plan = Planner.Plan(Parse("POST", "/rpc/add"), Catalog, new JsonPayload(System.Text.Json.JsonDocument.Parse("{\"a\":1}").RootElement));

        Assert.True(plan.Value!.ReadOnly);
    }

    [Fact]
    public void Overloads_with_the_same_argument_names_are_300_PGRST203()
    {
        var plan = Planner.Plan(Parse("GET", "/rpc/pick", "x=1"), Catalog, null);

        Assert.Equal((300, "PGRST203"), (plan.Error!.Status, plan.Error.Code));
    }

    [Fact]
    public void A_function_called_with_an_unknown_argument_is_404_PGRST202_suggesting_its_arguments()
    {
        var plan = Planner.Plan(Parse("GET", "/rpc/add", "a=1&c=2"), Catalog, null);

        Assert.Equal((404, "PGRST202"), (plan.Error!.Status, plan.Error.Code));
        Assert.Equal("Perhaps you meant to call the function api.add(a, b)", plan.Error.Hint);
    }

    [Fact]
    public void Arguments_with_defaults_may_be_omitted()
    {
        Assert.True(Planner.Plan(Parse("GET", "/rpc/add", "a=1"), Catalog, null).IsOk);
    }

    [Theory]
    [InlineData("limit=10&offset=5", null, 5L)]
    [InlineData("", "2-4", 2L)]
    [InlineData("offset=3", "0-9", 3L)]
    public void Limit_and_offset_are_intersected_with_the_range_header(string query, string? range, long offset)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (range is not null)
        {
            headers["Range"] = range;
        }

        var plan = Planner.Plan(ApiRequestParser.Parse("GET", "/items", query, headers).Value!, Catalog, null);

        Assert.Equal(offset, Assert.IsType<ReadPlan>(plan.Value).Root.Offset);
    }

    [Fact]
    public void The_roles_own_settings_come_from_the_snapshot()
    {
        Assert.Equal(new RoleSetting("statement_timeout", "1s"), Assert.Single(Catalog.SettingsOf("anon")));
        Assert.Empty(Catalog.SettingsOf("authenticated"));
    }

    private static ApiRequest Parse(string method, string path, string query = "") =>
        ApiRequestParser.Parse(method, path, query, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)).Value!;
}
