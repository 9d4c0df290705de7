using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Gateway.IntegrationTests.Api.ReadsHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// PostgREST's ComputedRelsSpec, ported with its expected bodies over the views of private tables in
/// <c>Api/embedding-fixture.sql</c>: a function from a view's row to rows of another embeds like a relationship, to-one
/// when it returns one row or a set of ROWS 1, on reads, calls and writes, with <c>!inner</c> and counts; a function
/// named like a related view replaces the key relationships to it; one name may be overloaded for several row types.
/// The writes run with <c>Prefer: tx=rollback</c>, as PostgREST's spec runs each request in a transaction it rolls back.
/// Adapted: the overloaded relationship's first cases read <c>items3</c> where PostgREST reads its <c>items</c>, whose
/// name the Api fixture's own view has. Left out: data representations (a domain's casts applied to
/// what a column reads and writes), which the gateway does not implement.
/// </summary>
public sealed class EmbedComputedRelsSpecTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private static readonly (string, string) RolledBack = ("Prefer", "return=representation, tx=rollback");

    private readonly HttpClient anon = api.Anon();
    private WebApplicationFactory<Program>? rollingBack;

    public async Task InitializeAsync() => rollingBack = await api.WithSettingsAsync(("Gateway:AllowTransactionOverride", "true"));

    public async Task DisposeAsync() => await rollingBack!.DisposeAsync();

    [Theory]
    [InlineData("computed_designers")]
    [InlineData("computed_designers_noset")]
    public Task A_function_returning_one_row_or_a_set_of_rows_1_embeds_one_object(string function) =>
        anon.AssertReadAsync($"/videogames?select=name,designer:{function}(name)", """
            [{"name":"Civilization I","designer":{"name":"Sid Meier"}},
             {"name":"Civilization II","designer":{"name":"Sid Meier"}},
             {"name":"Final Fantasy I","designer":{"name":"Hironobu Sakaguchi"}},
             {"name":"Final Fantasy II","designer":{"name":"Hironobu Sakaguchi"}}]
            """);

    [Fact]
    public Task A_function_returning_a_set_embeds_an_array() =>
        anon.AssertReadAsync("/designers?select=name,videogames:computed_videogames(name)", """
            [{"name":"Sid Meier","videogames":[{"name":"Civilization I"},{"name":"Civilization II"}]},
             {"name":"Hironobu Sakaguchi","videogames":[{"name":"Final Fantasy I"},{"name":"Final Fantasy II"}]}]
            """);

    [Fact]
    public async Task Inner_embeds_of_computed_relationships_filter_and_count_the_parents()
    {
        await anon.AssertCountedReadAsync("/designers?select=name,videogames:computed_videogames!inner(name)&videogames.name=eq.Civilization%20I", "0-0/1", """
            [{"name":"Sid Meier","videogames":[{"name":"Civilization I"}]}]
            """);
        await anon.AssertCountedReadAsync("/videogames?select=name,designer:computed_designers!inner(name)&designer.name=like.*Hironobu*", "0-1/2", """
            [{"name":"Final Fantasy I","designer":{"name":"Hironobu Sakaguchi"}},
             {"name":"Final Fantasy II","designer":{"name":"Hironobu Sakaguchi"}}]
            """);
        await anon.AssertCountedReadAsync("/videogames?select=name,designer:computed_designers_noset!inner(name)&designer.name=like.*Hironobu*", "0-1/2", """
            [{"name":"Final Fantasy I","designer":{"name":"Hironobu Sakaguchi"}},
             {"name":"Final Fantasy II","designer":{"name":"Hironobu Sakaguchi"}}]
            """);
    }

    [Fact]
    public async Task The_rows_of_a_call_embed_computed_relationships()
    {
        await anon.AssertReadAsync("/rpc/getallvideogames?select=name,designer:computed_designers(name)", """
            [{"name":"Civilization I","designer":{"name":"Sid Meier"}},
             {"name":"Civilization II","designer":{"name":"Sid Meier"}},
             {"name":"Final Fantasy I","designer":{"name":"Hironobu Sakaguchi"}},
             {"name":"Final Fantasy II","designer":{"name":"Hironobu Sakaguchi"}}]
            """);
        await anon.AssertReadAsync("/rpc/getalldesigners?select=name,videogames:computed_videogames(name)", """
            [{"name":"Sid Meier","videogames":[{"name":"Civilization I"},{"name":"Civilization II"}]},
             {"name":"Hironobu Sakaguchi","videogames":[{"name":"Final Fantasy I"},{"name":"Final Fantasy II"}]}]
            """);
    }

    [Fact]
    public async Task The_representation_of_a_write_embeds_computed_relationships()
    {
        var client = rollingBack!.CreateClient();

        using (var inserted = await client.SendJsonAsync(
            HttpMethod.Post, "/videogames?select=name,designer:computed_designers(name)", """{"id":5,"name":"Chrono Trigger","designer_id":2}""", RolledBack))
        {
            await AssertRowsAsync(inserted, 201, """[{"name":"Chrono Trigger","designer":{"name":"Hironobu Sakaguchi"}}]""");
        }

        using (var updated = await client.SendJsonAsync(
            HttpMethod.Patch, "/designers?select=name,videogames:computed_videogames(name)&id=eq.1", """{"name":"Sidney K. Meier"}""", RolledBack))
        {
            await AssertRowsAsync(updated, 200, """
                [{"name":"Sidney K. Meier","videogames":[{"name":"Civilization I"},{"name":"Civilization II"}]}]
                """);
        }

        using var deleted = await client.RemoveAsync("/videogames?select=name,designer:computed_designers(name)&id=eq.3", RolledBack);
        await AssertRowsAsync(deleted, 200, """[{"name":"Final Fantasy I","designer":{"name":"Hironobu Sakaguchi"}}]""");

        // Rolled back: the other cases read the rows as the fixture wrote them.
        await anon.AssertReadAsync("/videogames?select=id&id=in.(1,3,5)", """[{"id":1},{"id":3}]""");
        await anon.AssertReadAsync("/designers?select=name&id=eq.1", """[{"name":"Sid Meier"}]""");
    }

    [Fact]
    public Task Computed_self_relationships_embed_children_and_parent() =>
        anon.AssertReadAsync("/web_content?select=name,child_web_content(name),parent_web_content(name)&id=in.(0,1)", """
            [{"name":"tardis","child_web_content":[{"name":"fezz"},{"name":"foo"},{"name":"bar"}],"parent_web_content":{"name":"wat"}},
             {"name":"fezz","child_web_content":[{"name":"wut"}],"parent_web_content":{"name":"tardis"}}]
            """);

    [Fact]
    public async Task A_function_named_like_a_related_view_replaces_the_key_relationships_to_it()
    {
        await anon.AssertReadAsync("/videogames?select=*,designers!inner(*)", "[]");
        await anon.AssertReadAsync("/designers?select=*,videogames!inner(*)", "[]");
    }

    [Fact]
    public async Task A_function_named_like_a_view_relates_views_no_key_relates()
    {
        await anon.AssertReadAsync("/first_1?select=*,second_1(*)", "[]");
        await anon.AssertReadAsync("/second_1?select=*,first_1(*)", "[]");
    }

    [Fact]
    public async Task The_rows_of_a_computed_relationship_embed_their_own_relationships()
    {
        await anon.AssertReadAsync("/fee?select=*,jsbaz(*,janedoe(*))", "[]");
        await anon.AssertReadAsync("/fee?select=*,jsbaz(*,johnsmith(*, fee(*)))", "[]");
    }

    [Fact]
    public async Task A_computed_relationship_embeds_below_a_key_relationship()
    {
        await anon.AssertReadAsync("/projects?select=name,clients(name,computed_projects(name))&limit=1", """
            [{"name":"Windows 7","clients":{"name":"Microsoft","computed_projects":{"name":"Windows 7"}}}]
            """);
        await anon.AssertReadAsync("/clients?select=name,projects(name,computed_clients(name))&limit=1", """
            [{"name":"Microsoft","projects":[
              {"name":"Windows 7","computed_clients":{"name":"Microsoft"}},
              {"name":"Windows 10","computed_clients":{"name":"Microsoft"}}]}]
            """);
    }

    [Fact]
    public async Task An_overloaded_computed_relationship_follows_the_row_type_of_views()
    {
        await anon.AssertReadAsync("/items3?select=*,computed_rel_overload(*)&limit=1", """[{"id":1,"computed_rel_overload":[{"id":1}]}]""");
        await anon.AssertReadAsync("/items2?select=*,computed_rel_overload(*)&limit=1", """[{"id":1,"computed_rel_overload":[{"id":1},{"id":2}]}]""");
    }

    [Fact]
    public async Task An_overloaded_computed_relationship_follows_the_row_type_of_calls()
    {
        await anon.AssertReadAsync("/rpc/search?id=1&select=*,computed_rel_overload(*)", """[{"id":1,"computed_rel_overload":[{"id":1}]}]""");
        await anon.AssertReadAsync("/rpc/search2?id=1&select=*,computed_rel_overload(*)", """[{"id":1,"computed_rel_overload":[{"id":1},{"id":2}]}]""");
    }
}
