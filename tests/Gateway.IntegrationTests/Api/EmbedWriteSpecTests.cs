using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The embedding cases of PostgREST's InsertSpec, UpdateSpec, DeleteSpec and UpsertSpec, ported with their expected
/// bodies over the views of private tables in <c>Api/embedding-fixture.sql</c>: <c>return=representation</c> embeds
/// the written rows' parents, children and many-to-many rows, filtered and ordered by the embedded parameters.
/// PostgREST runs each of these requests in a transaction it rolls back; here they commit, so a test puts back, as the
/// superuser, what other tests read (<see cref="RestoringAsync"/>).
/// </summary>
public sealed class EmbedWriteSpecTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, string) Representation = ("Prefer", "return=representation");

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Post_with_representation_embeds_the_parent_of_the_inserted_row()
    {
        await RestoringAsync("delete from demo.projects where id = 6", async () =>
        {
            using var response = await anon.SendJsonAsync(
                HttpMethod.Post, "/projects?select=id,name,clients(id,name)", """{"id":6,"name":"New Project","client_id":2}""",
                Representation, ("Prefer", "count=exact"));

            await AssertRowsAsync(response, 201, """[{"id":6,"name":"New Project","clients":{"id":2,"name":"Apple"}}]""");
            Assert.Null(RpcHttp.Header(response, "Location"));
            Assert.Equal("*/1", RpcHttp.Header(response, "Content-Range"));
            Assert.Equal("return=representation, count=exact", RpcHttp.Header(response, "Preference-Applied"));
        });
    }

    [Fact]
    public async Task Post_with_representation_embeds_the_parent_of_a_self_reference_by_its_column()
    {
        await RestoringAsync("delete from demo.web_content where id = 6", async () =>
        {
            using var response = await anon.SendJsonAsync(
                HttpMethod.Post, "/web_content?select=id,name,parent_content:p_web_id(name)", """{"id":6,"name":"wot","p_web_id":4}""",
                Representation);

            await AssertRowsAsync(response, 201, """[{"id":6,"name":"wot","parent_content":{"name":"wut"}}]""");
            Assert.Null(RpcHttp.Header(response, "Location"));
        });
    }

    [Theory]
    [InlineData("/web_content?id=eq.0&select=id,name,web_content(name)", """
        [{"id":0,"name":"tardis-patched","web_content":[{"name":"fezz"},{"name":"foo"},{"name":"bar"}]}]
        """)]
    [InlineData("/web_content?id=eq.0&select=id,name,web_content(name)&web_content.name=like.f*", """
        [{"id":0,"name":"tardis-patched","web_content":[{"name":"fezz"},{"name":"foo"}]}]
        """)]
    [InlineData("/web_content?id=eq.0&select=name,web_content(name)", """
        [{"name":"tardis-patched","web_content":[{"name":"fezz"},{"name":"foo"},{"name":"bar"}]}]
        """)]
    [InlineData("/web_content?id=eq.0&select=name,web_content(name)&web_content.name=like.b*", """
        [{"name":"tardis-patched","web_content":[{"name":"bar"}]}]
        """)]
    [InlineData("/web_content?id=eq.0&select=id,name,web_content(name)&web_content.order=name.asc", """
        [{"id":0,"name":"tardis-patched","web_content":[{"name":"bar"},{"name":"fezz"},{"name":"foo"}]}]
        """)]
    public async Task Patch_with_representation_embeds_the_children_of_a_self_reference(string path, string expected)
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Patch, path, """{"name":"tardis-patched"}""", Representation);

        await AssertPatchedAsync(response, expected);
    }

    [Fact]
    public async Task Patch_with_representation_embeds_parent_children_and_grandchildren()
    {
        using var response = await anon.SendJsonAsync(
            HttpMethod.Patch, "/web_content?id=eq.0&select=id,name,web_content(name,web_content(name)),parent_content:p_web_id(name)",
            """{"name":"tardis-patched-2"}""", Representation);

        await AssertPatchedAsync(response, """
            [{"id":0,"name":"tardis-patched-2","parent_content":{"name":"wat"},
              "web_content":[{"name":"fezz","web_content":[{"name":"wut"}]},{"name":"foo","web_content":[]},{"name":"bar","web_content":[]}]}]
            """);
    }

    [Fact]
    public async Task Patch_with_representation_filters_parent_children_and_grandchildren()
    {
        using var response = await anon.SendJsonAsync(
            HttpMethod.Patch,
            "/web_content?id=eq.0&select=id,name,web_content(name,web_content(name)),parent_content:p_web_id(name)"
            + "&web_content.name=like.f*&web_content.web_content.id=eq.4&parent_content.name=neq.wat",
            """{"name":"tardis-patched-2"}""", Representation);

        await AssertPatchedAsync(response, """
            [{"id":0,"name":"tardis-patched-2","parent_content":null,
              "web_content":[{"name":"fezz","web_content":[{"name":"wut"}]},{"name":"foo","web_content":[]}]}]
            """);
    }

    [Theory]
    [InlineData("/users?id=eq.1&select=name,tasks(name,project:projects(name))", """
        [{"name":"Kevin Malone","tasks":[
          {"name":"Design w7","project":{"name":"Windows 7"}},{"name":"Code w7","project":{"name":"Windows 7"}},
          {"name":"Design w10","project":{"name":"Windows 10"}},{"name":"Code w10","project":{"name":"Windows 10"}}]}]
        """)]
    [InlineData("/users?id=eq.1&select=name,tasks(name,project:projects(name))&tasks.name=ilike.code*&tasks.project.name=like.*10", """
        [{"name":"Kevin Malone","tasks":[{"name":"Code w7","project":null},{"name":"Code w10","project":{"name":"Windows 10"}}]}]
        """)]
    public async Task Patch_with_representation_embeds_many_to_many_rows_and_their_parent(string path, string expected)
    {
        await RestoringAsync("update demo.users set name = 'Angela Martin' where id = 1", async () =>
        {
            using var response = await anon.SendJsonAsync(HttpMethod.Patch, path, """{"name":"Kevin Malone"}""", Representation);

            await AssertPatchedAsync(response, expected);
        });
    }

    [Theory]
    [InlineData("/students?id=eq.1&select=name,students_info(address)", """[{"name":"Johnny Doe","students_info":{"address":"Street 1"}}]""")]
    [InlineData("/students?id=eq.1&select=name,students_info(address)&students_info.code=like.0002", """[{"name":"Johnny Doe","students_info":null}]""")]
    public async Task Patch_with_representation_embeds_one_to_one_from_the_referenced_side(string path, string expected)
    {
        await RestoringAsync("update demo.students set name = 'John Doe' where id = 1", async () =>
        {
            using var response = await anon.SendJsonAsync(HttpMethod.Patch, path, """{"name":"Johnny Doe"}""", Representation);

            await AssertPatchedAsync(response, expected);
        });
    }

    [Fact]
    public async Task Patch_with_representation_embeds_one_to_one_from_the_referencing_side()
    {
        await RestoringAsync("update demo.students_info set address = 'Street 1' where id = 1", async () =>
        {
            using var response = await anon.SendJsonAsync(
                HttpMethod.Patch, "/students_info?id=eq.1&select=address,students(name)", """{"address":"New Street 1"}""", Representation);

            await AssertPatchedAsync(response, """[{"address":"New Street 1","students":{"name":"John Doe"}}]""");
        });
    }

    [Fact]
    public async Task Delete_with_representation_embeds_the_parent_of_the_deleted_row()
    {
        await RestoringAsync("insert into demo.tasks values (8, 'Code OSX', 4)", async () =>
        {
            using var response = await anon.RemoveAsync("/tasks?id=eq.8&select=id,name,project:projects(id)", Representation);

            await AssertRowsAsync(response, 200, """[{"id":8,"name":"Code OSX","project":{"id":4}}]""");
            Assert.Equal("*/*", RpcHttp.Header(response, "Content-Range"));
        });
    }

    [Fact]
    public async Task Delete_with_representation_embeds_one_to_one_children_deleted_with_the_row()
    {
        await RestoringAsync(RestoreStudent, async () =>
        {
            using var response = await anon.RemoveAsync("/students?id=eq.1&select=name,students_info(address)", Representation);

            await AssertRowsAsync(response, 200, """[{"name":"John Doe","students_info":{"address":"Street 1"}}]""");
        });
    }

    [Fact]
    public async Task Delete_with_representation_embeds_the_one_to_one_parent()
    {
        await RestoringAsync(RestoreStudent, async () =>
        {
            using var response = await anon.RemoveAsync("/students_info?id=eq.1&select=address,students(name)", Representation);

            await AssertRowsAsync(response, 200, """[{"address":"Street 1","students":{"name":"John Doe"}}]""");
        });
    }

    [Fact]
    public async Task Delete_with_representation_orders_the_deleted_rows_and_embeds_their_children()
    {
        await RestoringAsync(RestoreArtists, async () =>
        {
            using var response = await anon.RemoveAsync("/artists?id=lt.3&select=id,name,albums(title)&order=id.desc", Representation);

            await AssertRowsAsync(response, 200, """
                [{"id":2,"name":"black country, new road","albums":[{"title":"ants from up above"}]},
                 {"id":1,"name":"duster","albums":[{"title":"stratosphere"},{"title":"contemporary movement"}]}]
                """);
            Assert.Equal("return=representation", RpcHttp.Header(response, "Preference-Applied"));
        });
    }

    [Fact]
    public async Task Put_with_representation_embeds_ordered_children()
    {
        using var response = await anon.SendJsonAsync(
            HttpMethod.Put, "/web_content?id=eq.0&select=id,name,web_content(name)&web_content.order=name.asc",
            """{"id":0,"name":"tardis-upserted","p_web_id":5}""", Representation);

        await AssertPatchedAsync(response, """
            [{"id":0,"name":"tardis-upserted","web_content":[{"name":"bar"},{"name":"fezz"},{"name":"foo"}]}]
            """);
    }

    [Fact]
    public async Task Post_upsert_of_several_rows_orders_them_and_embeds_their_children()
    {
        await RestoringAsync(RestoreArtists, async () =>
        {
            using var response = await anon.SendJsonAsync(
                HttpMethod.Post, "/artists?select=id,name,albums(title)&order=id.desc",
                """[{"id":1,"name":"duster-updated"},{"id":2,"name":"bcnr-updated"}]""",
                Representation, ("Prefer", "resolution=merge-duplicates"));

            await AssertRowsAsync(response, 200, """
                [{"id":2,"name":"bcnr-updated","albums":[{"title":"ants from up above"}]},
                 {"id":1,"name":"duster-updated","albums":[{"title":"stratosphere"},{"title":"contemporary movement"}]}]
                """);
        });
    }

    private const string RestoreStudent = """
        insert into demo.students values (1, '0001', 'John Doe') on conflict do nothing;
        insert into demo.students_info values (1, '0001', 'Street 1') on conflict do nothing;
        """;

    private const string RestoreArtists = """
        insert into demo.artists values (1, 'duster'), (2, 'black country, new road') on conflict (id) do update set name = excluded.name;
        insert into demo.albums values (1, 'stratosphere', 1), (2, 'ants from up above', 2), (4, 'contemporary movement', 1) on conflict do nothing;
        """;

    // 200 with the rows, and the representation named among the applied preferences.
    private static async Task AssertPatchedAsync(HttpResponseMessage response, string expected)
    {
        await AssertRowsAsync(response, 200, expected);
        Assert.Equal("return=representation", RpcHttp.Header(response, "Preference-Applied"));
    }

    // Runs a test that changes rows other tests read, then puts them back as the superuser, whatever the outcome.
    private async Task RestoringAsync(string restore, Func<Task> test)
    {
        try
        {
            await test();
        }
        finally
        {
            await using var admin = await api.OpenAdminAsync();
            await admin.ExecuteAsync(restore);
        }
    }
}
