using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Embedding in the representation of a write (contract §1.3.1: embeds apply to <c>Prefer: return=representation</c>
/// of POST, PATCH, PUT and DELETE): the written rows of <c>api.tasks</c> come back with their related rows, read after
/// the write in the same statement. Each test writes tasks of its own ids (100 and up).
/// </summary>
public sealed class EmbedWriteTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, string) Representation = ("Prefer", "return=representation");

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Post_with_representation_embeds_the_parent_of_the_inserted_row()
    {
        using var response = await anon.SendJsonAsync(
            HttpMethod.Post, "/tasks?select=id,name,projects(name)", """{"id":100,"name":"New","project_id":1}""", Representation);

        await AssertRowsAsync(response, 201, """[{"id":100,"name":"New","projects":{"name":"Windows 7"}}]""");
    }

    [Fact]
    public async Task Patch_with_representation_embeds_the_new_parent_and_the_children_of_the_updated_row()
    {
        await SeedTaskAsync(101, projectId: 1);
        await using (var admin = await api.OpenAdminAsync())
        {
            await admin.ExecuteAsync("insert into demo.users_tasks (user_id, task_id) values (3, 101)");
        }

        using var response = await anon.SendJsonAsync(
            HttpMethod.Patch, "/tasks?id=eq.101&select=id,projects(name),users(name)", """{"project_id":3}""", Representation);

        await AssertRowsAsync(response, 200, """[{"id":101,"projects":{"name":"IOS"},"users":[{"name":"Dwight Schrute"}]}]""");
    }

    [Fact]
    public async Task Put_with_representation_embeds_nested_parents_of_the_inserted_row()
    {
        using var response = await anon.SendJsonAsync(
            HttpMethod.Put, "/tasks?id=eq.102&select=id,name,projects(name,clients(name))",
            """{"id":102,"name":"Put","project_id":4}""", Representation);

        await AssertRowsAsync(response, 201, """[{"id":102,"name":"Put","projects":{"name":"OSX","clients":{"name":"Apple"}}}]""");
    }

    [Fact]
    public async Task Delete_with_representation_embeds_the_parent_of_the_deleted_row()
    {
        await SeedTaskAsync(103, projectId: 4);

        using var response = await anon.RemoveAsync("/tasks?id=eq.103&select=id,...projects(project:name)", Representation);

        await AssertRowsAsync(response, 200, """[{"id":103,"project":"OSX"}]""");
    }

    private async Task SeedTaskAsync(int id, int projectId)
    {
        await using var admin = await api.OpenAdminAsync();
        await admin.ExecuteAsync("insert into demo.tasks (id, name, project_id) values (@id, 'Seeded', @projectId)", new { id, projectId });
    }
}
