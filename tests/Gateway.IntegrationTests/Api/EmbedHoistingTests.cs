using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Aggregates in to-one spreads aggregate the rows of the nearest ancestor that is not a to-one spread (PostgREST's
/// hoisting, AggregateFunctionsSpec "spread relationships"): column aggregates and <c>count()</c>, through nested
/// spreads, beside plain spread columns that group. Over views of private tables that recreate PostgREST's
/// factories/processes/supervisors fixture (its names, keys and rows); its expected bodies.
/// </summary>
public sealed class EmbedHoistingTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private WebApplicationFactory<Program>? aggregating;

    private HttpClient Aggregating => aggregating!.CreateClient();

    public async Task InitializeAsync()
    {
        await api.EnsureObjectsAsync("api.process_supervisor", """
            set role gateway_owner;
            create table demo.factories (id int primary key, name text);
            create table demo.process_categories (id int primary key, name text);
            create table demo.processes (id int primary key, name text, factory_id int references demo.factories (id),
                                         category_id int references demo.process_categories (id));
            create table demo.process_costs (process_id int references demo.processes (id) primary key, cost numeric);
            create table demo.supervisors (id int primary key, name text);
            create table demo.process_supervisor (process_id int references demo.processes (id),
                                                  supervisor_id int references demo.supervisors (id),
                                                  primary key (process_id, supervisor_id));
            insert into demo.factories values (1, 'Factory A'), (2, 'Factory B'), (3, 'Factory C'), (4, 'Factory D');
            insert into demo.process_categories values (1, 'Batch'), (2, 'Mass');
            insert into demo.processes values (1, 'Process A1', 1, 1), (2, 'Process A2', 1, 2), (3, 'Process B1', 2, 1),
              (4, 'Process B2', 2, 1), (5, 'Process C1', 3, 2), (6, 'Process C2', 3, 2), (7, 'Process XX', 3, 2),
              (8, 'Process YY', 3, 2);
            insert into demo.process_costs values (1, 150.00), (2, 200.00), (3, 180.00), (4, 70.00), (5, 40.00), (6, 70.00),
              (8, 40.00);
            insert into demo.supervisors values (1, 'Mary'), (2, 'John'), (3, 'Peter'), (4, 'Sarah'), (5, 'Jane');
            insert into demo.process_supervisor values (1, 1), (2, 2), (3, 3), (3, 4), (4, 1), (4, 2), (5, 3), (6, 3);
            create view api.factories as select id, name from demo.factories;
            create view api.process_categories as select id, name from demo.process_categories;
            create view api.processes as select id, name, factory_id, category_id from demo.processes;
            create view api.process_costs as select process_id, cost from demo.process_costs;
            create view api.supervisors as select id, name from demo.supervisors;
            create view api.process_supervisor as select process_id, supervisor_id from demo.process_supervisor;
            grant select on api.factories, api.process_categories, api.processes, api.process_costs, api.supervisors,
              api.process_supervisor to anon;
            reset role;
        """, "/process_supervisor");
        aggregating = await api.WithSettingsAsync(("Gateway:AggregatesEnabled", "true"));
    }

    public async Task DisposeAsync() => await aggregating!.DisposeAsync();

    [Theory]
    [InlineData("/process_supervisor?select=supervisor_id,...processes(count())&order=supervisor_id",
        """[{"supervisor_id": 1, "count": 2}, {"supervisor_id": 2, "count": 2}, {"supervisor_id": 3, "count": 3}, {"supervisor_id": 4, "count": 1}]""")]
    [InlineData("/process_supervisor?select=supervisor_id,...processes(processes_count:count())&order=supervisor_id",
        """[{"supervisor_id": 1, "processes_count": 2}, {"supervisor_id": 2, "processes_count": 2}, {"supervisor_id": 3, "processes_count": 3}, {"supervisor_id": 4, "processes_count": 1}]""")]
    [InlineData("/process_supervisor?select=...supervisors(id,count())&order=supervisors(id)",
        """[{"id": 1, "count": 2}, {"id": 2, "count": 2}, {"id": 3, "count": 3}, {"id": 4, "count": 1}]""")]
    [InlineData("/process_supervisor?select=...supervisors(supervisor:id,supervisor_count:count())&order=supervisors(supervisor)",
        """[{"supervisor": 1, "supervisor_count": 2}, {"supervisor": 2, "supervisor_count": 2}, {"supervisor": 3, "supervisor_count": 3}, {"supervisor": 4, "supervisor_count": 1}]""")]
    [InlineData("/process_supervisor?select=supervisor_id,...processes(...process_costs(count()))&order=supervisor_id",
        """[{"supervisor_id": 1, "count": 2}, {"supervisor_id": 2, "count": 2}, {"supervisor_id": 3, "count": 3}, {"supervisor_id": 4, "count": 1}]""")]
    [InlineData("/process_supervisor?select=supervisor:supervisor_id,...processes(...process_costs(process_costs_count:count()))&order=supervisor_id",
        """[{"supervisor": 1, "process_costs_count": 2}, {"supervisor": 2, "process_costs_count": 2}, {"supervisor": 3, "process_costs_count": 3}, {"supervisor": 4, "process_costs_count": 1}]""")]
    [InlineData("/process_supervisor?select=...processes(factory_id,...process_costs(count()))&order=processes(factory_id)",
        """[{"factory_id": 1, "count": 2}, {"factory_id": 2, "count": 4}, {"factory_id": 3, "count": 2}]""")]
    [InlineData("/process_supervisor?select=...processes(factory:factory_id,processes_count:count(),...process_costs(process_costs_count:count()))&order=processes(factory)",
        """[{"factory": 1, "processes_count": 2, "process_costs_count": 2}, {"factory": 2, "processes_count": 4, "process_costs_count": 4}, {"factory": 3, "processes_count": 2, "process_costs_count": 2}]""")]
    [InlineData("/process_supervisor?select=...processes(factories(name),...process_costs(cost.sum()))",
        """[{"factories": {"name": "Factory A"}, "sum": 350.00}, {"factories": {"name": "Factory B"}, "sum": 500.00}, {"factories": {"name": "Factory C"}, "sum": 110.00}]""")]
    [InlineData("/process_supervisor?select=supervisor_id,...processes(...process_costs(cost.sum()),...process_categories(name))&order=supervisor_id",
        """[{"supervisor_id": 1, "sum": 220.00, "name": "Batch"}, {"supervisor_id": 2, "sum": 70.00, "name": "Batch"}, {"supervisor_id": 2, "sum": 200.00, "name": "Mass"}, {"supervisor_id": 3, "sum": 180.00, "name": "Batch"}, {"supervisor_id": 3, "sum": 110.00, "name": "Mass"}, {"supervisor_id": 4, "sum": 180.00, "name": "Batch"}]""")]
    [InlineData("/supervisors?select=name,process_supervisor(...processes(...process_costs(cost.sum()),...process_categories(name)))",
        """[{"name": "Mary", "process_supervisor": [{"name": "Batch", "sum": 220.00}]}, {"name": "John", "process_supervisor": [{"name": "Batch", "sum": 70.00}, {"name": "Mass", "sum": 200.00}]}, {"name": "Peter", "process_supervisor": [{"name": "Batch", "sum": 180.00}, {"name": "Mass", "sum": 110.00}]}, {"name": "Sarah", "process_supervisor": [{"name": "Batch", "sum": 180.00}]}, {"name": "Jane", "process_supervisor": []}]""")]
    public async Task An_aggregate_in_a_to_one_spread_aggregates_the_nearest_parent_that_is_not_one(string path, string expected)
    {
        using var response = await Aggregating.ReadAsync(path);

        AssertSameRows(expected, await AssertBodyAsync(response, 200));
    }

    // PostgREST's specs compare these bodies without an order where the request sets none: rows as a multiset.
    private static void AssertSameRows(string expected, string actual)
    {
        static List<string> Rows(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsArray()
            .Select(row => Canonical(row!)).Order(StringComparer.Ordinal).ToList();
        Assert.True(Rows(expected).SequenceEqual(Rows(actual)), $"expected {expected}, got {actual}");
    }

    // A row as text with its keys sorted, numbers as decimals and nested arrays in any order.
    private static string Canonical(System.Text.Json.Nodes.JsonNode node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + ":" + (p.Value is null ? "null" : Canonical(p.Value)))) + "}",
        System.Text.Json.Nodes.JsonArray a => "[" + string.Join(",", a.Select(e => e is null ? "null" : Canonical(e)).Order(StringComparer.Ordinal)) + "]",
        _ when node.GetValueKind() == System.Text.Json.JsonValueKind.Number => decimal.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture).ToString("0.############", System.Globalization.CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
