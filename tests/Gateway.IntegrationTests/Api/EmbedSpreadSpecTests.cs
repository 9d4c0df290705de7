using System.Globalization;
using System.Text;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The cases of PostgREST's SpreadQueriesSpec that <see cref="SpreadAggregateSpecTests"/> and <see cref="EmbedSpecTests"/>
/// leave out, over the views of <c>Api/embedding-fixture.sql</c> (and the operators of
/// <c>Api/spread-aggregate-fixture.sql</c>): spreads nested in spreads and in embeds, through a computed relationship
/// and a one-to-one key, to-many spreads of null values, and empty spreads. Bodies are compared key by key in order,
/// as PostgREST's SQL writes them.
/// </summary>
public sealed class EmbedSpreadSpecTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    public async Task InitializeAsync() =>
        await api.EnsureObjectsAsync(
            "api.process_supervisor",
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Api", "spread-aggregate-fixture.sql")),
            "/process_supervisor");

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The spec's requests (each under its description) with their status and body.</summary>
    public static TheoryData<string, int, string> Cases => new()
    {
        // works on a many-to-one relationship, nested.
        {
            "/grandchild_entities?select=name,...child_entities(parent_name:name,...entities(grandparent_name:name))&limit=3",
            200,
            """
            [{"name":"grandchild entity 1","parent_name":"child entity 1","grandparent_name":"entity 1"},
             {"name":"grandchild entity 2","parent_name":"child entity 1","grandparent_name":"entity 1"},
             {"name":"grandchild entity 3","parent_name":"child entity 2","grandparent_name":"entity 1"}]
            """
        },
        // works on a many-to-one computed relationship.
        {
            "/videogames?select=name,...computed_designers(designer_name:name)",
            200,
            """
            [{"name":"Civilization I","designer_name":"Sid Meier"},
             {"name":"Civilization II","designer_name":"Sid Meier"},
             {"name":"Final Fantasy I","designer_name":"Hironobu Sakaguchi"},
             {"name":"Final Fantasy II","designer_name":"Hironobu Sakaguchi"}]
            """
        },
        // works inside a normal embed.
        {
            "/grandchild_entities?select=name,child_entity:child_entities(name,...entities(parent_name:name))&limit=1",
            200,
            """[{"name":"grandchild entity 1","child_entity":{"name":"child entity 1","parent_name":"entity 1"}}]"""
        },
        // works on a one-to-one relationship.
        {
            "/country?select=name,...capital(capital:name)",
            200,
            """[{"name":"Afghanistan","capital":"Kabul"},{"name":"Algeria","capital":"Algiers"}]"""
        },
        // one-to-many: a single null element array, not an empty one, when the row exists but the value is null.
        {
            "/managers?select=name,...organizations(organizations:name,referees:referee)&id=eq.1",
            200,
            """[{"name":"Referee Manager","organizations":["Referee Org"],"referees":[null]}]"""
        },
        // many-to-many: a single null element array, not an empty one, when the row exists but the value is null.
        // The spec's select ends in a stray ')' after the tree, which PostgREST's parser ignores and the gateway's
        // refuses (400 PGRST100); the case is the same without it.
        {
            "/operators?select=name,...processes(process:name,...process_costs(cost))&id=eq.5&processes.id=eq.7",
            200,
            """[{"name":"Alfred","process":["Process XX"],"cost":[null]}]"""
        },
        // an empty to-many spread returns the same as an empty embed.
        {
            "/actors?select=*,...films()",
            200,
            """[{"id":1,"name":"john"},{"id":2,"name":"mary"}]"""
        },
        // an empty to-one spread nested in a spread returns the same as an empty embed.
        {
            "/grandchild_entities?select=name,...child_entities(parent_name:name,...entities())",
            200,
            """
            [{"name":"grandchild entity 1","parent_name":"child entity 1"},
             {"name":"grandchild entity 2","parent_name":"child entity 1"},
             {"name":"grandchild entity 3","parent_name":"child entity 2"},
             {"name":"(grandchild,entity,4)","parent_name":"child entity 2"},
             {"name":"(grandchild,entity,5)","parent_name":"child entity 2"}]
            """
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Spread_answers_as_postgrest_does(string path, int status, string expected) =>
        api.Anon().AssertOrderedAnswerAsync(path, status, expected);

    /// <summary>
    /// Byte for byte as PostgREST writes it: rows by <c>json_agg</c> (<c>", \n "</c> between them), an embed's object as
    /// jsonb text (a space after each colon and comma), so <c>Content-Length</c> is PostgREST's too.
    /// </summary>
    [Fact]
    public async Task Spread_in_an_embed_is_written_as_postgrest_writes_it()
    {
        using var response = await api.Anon().ReadAsync(
            "/grandchild_entities?select=name,child_entity:child_entities(name,...entities(parent_name:name))&limit=2");

        var body = await ReadsHttp.AssertBodyAsync(response, 200);
        Assert.Equal(
            "[{\"name\":\"grandchild entity 1\",\"child_entity\":{\"name\": \"child entity 1\", \"parent_name\": \"entity 1\"}}, \n"
            + " {\"name\":\"grandchild entity 2\",\"child_entity\":{\"name\": \"child entity 1\", \"parent_name\": \"entity 1\"}}]",
            body);
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture), RpcHttp.Header(response, "Content-Length"));
    }
}
