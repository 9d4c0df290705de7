using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Gateway.IntegrationTests.Api.ReadsHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Execution plans (PostgREST's PlanSpec, <c>db-plan-enabled</c>): with <c>Gateway:PlanEnabled=true</c>,
/// <c>Accept: application/vnd.pgrst.plan[+json|+text]; for="..."; options=...</c> answers the EXPLAIN of the statement
/// the same request would run, as the caller's role, with whatever <c>analyze</c> wrote rolled back. Off (the
/// default), the plan types are not acceptable. Over the embedding fixture's projects and clients, and a table of its
/// own exposed directly; writes use ids in the 150s.
/// </summary>
public sealed class PlanTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string PlanJson = "application/vnd.pgrst.plan+json";

    private WebApplicationFactory<Program>? explaining;

    private HttpClient Explaining => explaining!.CreateClient();

    public async Task InitializeAsync()
    {
        await api.EnsureObjectsAsync("api.plan_counters", """
            set role gateway_owner;
            create table api.plan_counters (id integer primary key, hits integer not null default 0);
            insert into api.plan_counters values (1, 10), (2, 20);
            grant select, update on api.plan_counters to anon;
            reset role;
        """, "/plan_counters");
        explaining = await api.WithSettingsAsync(("Gateway:PlanEnabled", "true"));
    }

    public async Task DisposeAsync() => await explaining!.DisposeAsync();

    [Fact]
    public async Task A_json_plan_of_a_read_has_a_cost_and_names_the_media_type_it_is_for()
    {
        using var response = await Explaining.ReadAsync("/projects?id=in.(1,2,3)", ("Accept", PlanJson));

        using var plan = JsonDocument.Parse(await AssertBodyAsync(response, 200, "application/vnd.pgrst.plan+json; for=\"application/json\"; charset=utf-8"));
        Assert.True(plan.RootElement[0].GetProperty("Plan").GetProperty("Total Cost").GetDouble() > 0);
    }

    [Fact]
    public async Task The_plan_type_without_a_format_is_text()
    {
        using var response = await Explaining.ReadAsync("/projects?id=in.(1,2,3)", ("Accept", "application/vnd.pgrst.plan"));

        var plan = await AssertBodyAsync(response, 200, "application/vnd.pgrst.plan+text; for=\"application/json\"; charset=utf-8");
        // EXPLAIN's text, a row per line: the top node with its cost, then the nodes below it.
        var lines = plan.Split('\n');
        Assert.True(lines.Length > 1, plan);
        Assert.Contains("(cost=", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_for_a_single_object_with_options_echoes_them_in_postgrests_order()
    {
        using var response = await Explaining.ReadAsync("/projects?id=eq.1",
            ("Accept", "application/vnd.pgrst.plan+json; for=\"application/vnd.pgrst.object\"; options=settings|verbose"));

        using var plan = JsonDocument.Parse(await AssertBodyAsync(response, 200,
            "application/vnd.pgrst.plan+json; for=\"application/vnd.pgrst.object+json\"; options=verbose|settings; charset=utf-8"));
        Assert.True(plan.RootElement[0].GetProperty("Plan").TryGetProperty("Output", out _));
        Assert.True(plan.RootElement[0].TryGetProperty("Settings", out _));
    }

    [Fact]
    public async Task An_analyzed_insert_reports_what_it_did_and_leaves_nothing_behind()
    {
        using var response = await Explaining.SendJsonAsync(HttpMethod.Post, "/projects",
            """{"id": 150, "name": "explained", "client_id": 1}""", ("Accept", PlanJson + "; options=analyze|wal"));

        using var plan = JsonDocument.Parse(await AssertBodyAsync(response, 200,
            "application/vnd.pgrst.plan+json; for=\"application/json\"; options=analyze|wal; charset=utf-8"));
        Assert.True(plan.RootElement[0].GetProperty("Plan").TryGetProperty("Actual Rows", out _));
        Assert.True(plan.RootElement[0].GetProperty("Plan").TryGetProperty("WAL Records", out _));
        await using var admin = await api.OpenAdminAsync();
        Assert.Equal(0, await admin.ExecuteScalarAsync<int>("select count(*) from demo.projects where id = 150"));
    }

    [Fact]
    public async Task An_analyzed_update_of_a_table_exposed_directly_is_rolled_back()
    {
        using var response = await Explaining.SendJsonAsync(HttpMethod.Patch, "/plan_counters?id=eq.1",
            """{"hits": 99}""", ("Accept", PlanJson + "; options=analyze"));

        using var plan = JsonDocument.Parse(await AssertBodyAsync(response, 200,
            "application/vnd.pgrst.plan+json; for=\"application/json\"; options=analyze; charset=utf-8"));
        Assert.True(plan.RootElement[0].GetProperty("Plan").TryGetProperty("Actual Rows", out _));
        await using var admin = await api.OpenAdminAsync();
        Assert.Equal(10, await admin.ExecuteScalarAsync<int>("select hits from api.plan_counters where id = 1"));
    }

    [Fact]
    public async Task A_plan_of_a_function_call_is_answered_for_its_result()
    {
        using var response = await Explaining.ReadAsync("/rpc/add?a=1&b=2", ("Accept", PlanJson));

        using var plan = JsonDocument.Parse(await AssertBodyAsync(response, 200, "application/vnd.pgrst.plan+json; for=\"application/json\"; charset=utf-8"));
        Assert.True(plan.RootElement[0].GetProperty("Plan").GetProperty("Total Cost").GetDouble() >= 0);
    }

    [Fact]
    public async Task A_role_that_may_not_read_the_view_gets_no_plan_of_it()
    {
        // api.todos is for authenticated only: explaining it checks the same privileges as running it.
        using var response = await Explaining.ReadAsync("/todos", ("Accept", PlanJson));

        Assert.Equal(401, (int)response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("42501", error.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_plan_for_a_media_type_the_gateway_cannot_produce_is_not_acceptable()
    {
        using var response = await Explaining.ReadAsync("/projects", ("Accept", "application/vnd.pgrst.plan+json; for=\"text/xml\""));

        await AssertErrorAsync(response, 406, "PGRST107");
    }

    [Fact]
    public async Task Plans_are_not_acceptable_by_default()
    {
        using var response = await api.Anon().ReadAsync("/projects", ("Accept", "application/vnd.pgrst.plan"));

        await AssertErrorAsync(response, 406, "PGRST107");
    }

    [Fact]
    public async Task By_default_a_plan_type_is_passed_over_for_the_next_acceptable_one()
    {
        using var response = await api.Anon().ReadAsync("/projects?id=eq.1&select=id", ("Accept", "application/vnd.pgrst.plan+json, application/json;q=0.5"));

        Assert.Equal("""[{"id":1}]""", await AssertBodyAsync(response, 200));
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, error.RootElement.GetProperty("code").GetString());
    }
}
