using Dapper;
using Gateway.Catalog;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.Tests.Catalog;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.IntegrationTests.Catalog;

/// <summary>
/// The relationships the gateway's catalog finds in a real database (contract §1.3.1), for the views over private
/// tables of <c>Api/embedding-fixture.sql</c>: keys followed through views (renamed, hidden, views of views), one-to-one,
/// self-references, two keys to one table, junctions and computed relationships. Each relationship is written as
/// <c>table(columns) kind constraint foreign_table(columns)</c> (<see cref="RelationshipText"/>), in the order the
/// snapshot lists them (PostgREST's).
/// </summary>
public sealed class RelationshipsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void A_view_referenced_by_a_key_has_one_to_many_relationships_to_every_view_showing_the_referencing_columns()
    {
        Assert.Equal(
            [
                "clients(id) one-to-many client projects(client_id)",
                "clients(id) one-to-many client windows_projects(client_id)",
                "clients computed computed_projects() to-many projects",
            ],
            Describe("clients"));
    }

    [Fact]
    public void A_view_with_keys_at_both_ends_and_in_junctions_has_every_kind_of_relationship()
    {
        Assert.Equal(
            [
                "projects(client_id) many-to-one client clients(id)",
                "projects(id) one-to-many project filtered_tasks(projectID)",
                "projects(id) one-to-many invoices_project_id_fkey invoices(project_id)",
                "projects(id) one-to-many project tasks(project_id)",
                "projects(id) one-to-many project tracked_tasks(project_id)",
                "projects(id) many-to-many users_projects(project_id) users_projects_project_id_fkey|users_projects_user_id_fkey users_projects(user_id) users(id)",
                "projects(id) one-to-many users_projects_project_id_fkey users_projects(project_id)",
                "projects computed computed_clients() to-one clients",
                "projects computed open_tasks() to-many tracked_tasks",
                "projects computed top_invoice() to-one invoices",
            ],
            Describe("projects"));
    }

    [Fact]
    public void A_view_of_a_view_has_the_relationships_of_the_table_below_both()
    {
        Assert.Equal(
            [
                "windows_projects(client_id) many-to-one client clients(id)",
                "windows_projects(id) one-to-many project filtered_tasks(projectID)",
                "windows_projects(id) one-to-many invoices_project_id_fkey invoices(project_id)",
                "windows_projects(id) one-to-many project tasks(project_id)",
                "windows_projects(id) one-to-many project tracked_tasks(project_id)",
                "windows_projects(id) many-to-many users_projects(project_id) users_projects_project_id_fkey|users_projects_user_id_fkey users_projects(user_id) users(id)",
                "windows_projects(id) one-to-many users_projects_project_id_fkey users_projects(project_id)",
            ],
            Describe("windows_projects"));
    }

    [Fact]
    public void A_view_that_renames_key_columns_has_relationships_under_its_own_names()
    {
        Assert.Equal(
            [
                "filtered_tasks(projectID) many-to-one project projects(id)",
                "filtered_tasks(myId) one-to-many task_comments_task_id_fkey task_comments(task_id)",
                "filtered_tasks(myId) many-to-many users_tasks(task_id) users_tasks_task_id_fkey|users_tasks_user_id_fkey users_tasks(user_id) users(id)",
                "filtered_tasks(myId) one-to-many users_tasks_task_id_fkey users_tasks(task_id)",
                "filtered_tasks(projectID) many-to-one project windows_projects(id)",
            ],
            Describe("filtered_tasks"));
    }

    [Fact]
    public void A_view_that_hides_a_key_column_has_no_relationship_through_that_key()
    {
        Assert.Equal(
            [
                "task_names(id) one-to-many task_comments_task_id_fkey task_comments(task_id)",
                "task_names(id) many-to-many users_tasks(task_id) users_tasks_task_id_fkey|users_tasks_user_id_fkey users_tasks(user_id) users(id)",
                "task_names(id) one-to-many users_tasks_task_id_fkey users_tasks(task_id)",
            ],
            Describe("task_names"));
    }

    [Fact]
    public void A_junction_view_has_a_many_to_one_relationship_to_every_view_showing_each_end()
    {
        Assert.Equal(
            [
                "users_tasks(task_id) many-to-one users_tasks_task_id_fkey filtered_tasks(myId)",
                "users_tasks(task_id) many-to-one users_tasks_task_id_fkey task_names(id)",
                "users_tasks(task_id) many-to-one users_tasks_task_id_fkey tasks(id)",
                "users_tasks(task_id) many-to-one users_tasks_task_id_fkey tracked_tasks(id)",
                "users_tasks(user_id) many-to-one users_tasks_user_id_fkey users(id)",
            ],
            Describe("users_tasks"));
    }

    [Fact]
    public void A_view_at_the_end_of_junctions_one_to_one_and_two_keys_has_them_all_in_PostgREST_order()
    {
        Assert.Equal(
            [
                "users(id) many-to-many users_tasks(user_id) users_tasks_user_id_fkey|users_tasks_task_id_fkey users_tasks(task_id) filtered_tasks(myId)",
                "users(id) one-to-many messages_recipient_id_fkey messages(recipient_id)",
                "users(id) one-to-many messages_sender_id_fkey messages(sender_id)",
                "users(id) one-to-one profiles_user_id_fkey profiles(user_id)",
                "users(id) many-to-many users_projects(user_id) users_projects_user_id_fkey|users_projects_project_id_fkey users_projects(project_id) projects(id)",
                "users(id) many-to-many users_tasks(user_id) users_tasks_user_id_fkey|users_tasks_task_id_fkey users_tasks(task_id) task_names(id)",
                "users(id) many-to-many users_tasks(user_id) users_tasks_user_id_fkey|users_tasks_task_id_fkey users_tasks(task_id) tasks(id)",
                "users(id) many-to-many users_tasks(user_id) users_tasks_user_id_fkey|users_tasks_task_id_fkey users_tasks(task_id) tracked_tasks(id)",
                "users(id) one-to-many users_projects_user_id_fkey users_projects(user_id)",
                "users(id) one-to-many users_tasks_user_id_fkey users_tasks(user_id)",
                "users(id) many-to-many users_projects(user_id) users_projects_user_id_fkey|users_projects_project_id_fkey users_projects(project_id) windows_projects(id)",
            ],
            Describe("users"));
    }

    [Fact]
    public void Two_keys_to_the_same_view_are_two_relationships()
    {
        Assert.Equal(
            [
                "messages(recipient_id) many-to-one messages_recipient_id_fkey users(id)",
                "messages(sender_id) many-to-one messages_sender_id_fkey users(id)",
            ],
            Describe("messages"));
    }

    [Fact]
    public void A_key_on_unique_columns_is_one_to_one()
    {
        Assert.Equal(["profiles(user_id) one-to-one profiles_user_id_fkey users(id)"], Describe("profiles"));
    }

    [Fact]
    public void A_self_reference_is_one_to_many_and_many_to_one_with_itself_beside_a_computed_self_relationship()
    {
        Assert.Equal(
            [
                "employees(id) one-to-many employees_manager_id_fkey employees(manager_id)",
                "employees(manager_id) many-to-one employees_manager_id_fkey employees(id)",
                "employees computed computed_manager() to-one employees",
            ],
            Describe("employees"));
        Assert.All(Catalog.RelationshipsOf("employees"), r => Assert.True(r.IsSelf));
    }

    [Fact]
    public async Task Tables_exposed_directly_have_relationships_with_each_other_and_with_views_over_them()
    {
        await AdminAsync("""
            set role gateway_owner;
            create table api.catalog_shelves (id integer primary key);
            create table api.catalog_books (id integer primary key, shelf_id integer references api.catalog_shelves (id));
            create view api.catalog_old_books as select id, shelf_id from api.catalog_books;
            reset role;
            """);

        var catalog = await ReloadUntilAsync(c => c.FindRelation("catalog_old_books") is not null);

        Assert.Equal(
            [
                "catalog_shelves(id) one-to-many catalog_books_shelf_id_fkey catalog_books(shelf_id)",
                "catalog_shelves(id) one-to-many catalog_books_shelf_id_fkey catalog_old_books(shelf_id)",
            ],
            Describe(catalog, "catalog_shelves"));
        Assert.Equal(["catalog_books(shelf_id) many-to-one catalog_books_shelf_id_fkey catalog_shelves(id)"], Describe(catalog, "catalog_books"));
    }

    [Fact]
    public async Task Brackets_and_backslashes_in_column_names_do_not_confuse_the_walk_down_the_view()
    {
        // The query tree escapes them; a subquery in the target list sits deeper and must not count as a column.
        // Tables of its own, so the fixture views keep their relationships whatever order the tests run in.
        await AdminAsync("""
            set role gateway_owner;
            create table demo.catalog_parent (id integer primary key);
            create table demo.catalog_child (id integer primary key, parent_id integer references demo.catalog_parent (id));
            create view api.catalog_parents as select id as "parent {id}" from demo.catalog_parent;
            create view api.catalog_children as
              select (select count(*) from demo.catalog_parent p where p.id = c.parent_id) as "parents ((",
                     id, parent_id as "parent (id)\"
              from demo.catalog_child c;
            reset role;
            """);

        var catalog = await ReloadUntilAsync(c => c.FindRelation("catalog_children") is not null);

        Assert.Equal(
            ["""catalog_children(parent (id)\) many-to-one catalog_child_parent_id_fkey catalog_parents(parent {id})"""],
            Describe(catalog, "catalog_children"));
    }

    [Fact]
    public async Task A_view_that_reads_itself_does_not_stop_the_catalog_from_loading()
    {
        // PostgreSQL accepts the cycle on replace (PostgREST's fixture keeps one, issue 2283); reading it would fail.
        await AdminAsync("""
            set role gateway_owner;
            create view api.catalog_loop as select id, client_id from demo.projects;
            create or replace view api.catalog_loop as select * from api.catalog_loop;
            reset role;
            """);

        var catalog = await ReloadUntilAsync(c => c.FindRelation("catalog_loop") is not null);

        Assert.Empty(catalog.RelationshipsOf("catalog_loop"));
        Assert.NotEmpty(catalog.RelationshipsOf("projects"));
    }

    private CatalogSnapshot Catalog => api.Factory.Services.GetRequiredService<CatalogStore>().Current!;

    // The relationships among the fixture's own views (its first ones and the folded section): the spec sections relate
    // other views to these, which the tests here do not pin.
    private static readonly HashSet<string> CoreViews =
    [
        "clients", "projects", "tasks", "users", "users_tasks", "users_projects", "employees", "messages", "profiles",
        "filtered_tasks", "task_names", "windows_projects", "tracked_tasks", "invoices", "task_comments",
    ];

    private List<string> Describe(string table) => Catalog.RelationshipsOf(table)
        .Where(r => CoreViews.Contains(r.ForeignTable) && (r is not JunctionRelationship j || CoreViews.Contains(j.Junction)))
        .Select(RelationshipText.Describe)
        .ToList();

    private static List<string> Describe(CatalogSnapshot catalog, string table) => RelationshipText.Describe(catalog, table);

    private async Task AdminAsync(string sql)
    {
        await using var admin = await api.OpenAdminAsync();
        await admin.ExecuteAsync(sql);
    }

    // Asks for a reload, as an operator would, and waits (bounded) for a snapshot that shows the change.
    private async Task<CatalogSnapshot> ReloadUntilAsync(Func<CatalogSnapshot, bool> loaded)
    {
        await AdminAsync("notify pgrst, 'reload schema'");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!loaded(Catalog))
        {
            await Task.Delay(50, timeout.Token);
        }

        return Catalog;
    }
}
