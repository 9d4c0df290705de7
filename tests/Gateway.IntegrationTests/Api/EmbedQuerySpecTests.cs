using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The embedding cases of PostgREST's QuerySpec, ported with their expected bodies, over the views of private tables
/// in <c>Api/embedding-fixture.sql</c>: embeds of every cardinality, nested and aliased, the same relation twice,
/// embedded filters and orders, embeds through views of every shape, partitioned tables, empty embeds, and PGRST108
/// for parameters addressed to what is not embedded; with RangeSpec's embedded limits and RelatedQueriesSpec's PGRST118.
/// </summary>
public sealed class EmbedQuerySpecTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_filters_nested_embeds_by_a_two_level_path()
    {
        await anon.AssertAnswerAsync("/clients?select=id,projects(id,tasks(id,name))&projects.tasks.name=like.Design*", 200, """
            [{"id":1,"projects":[{"id":1,"tasks":[{"id":1,"name":"Design w7"}]},{"id":2,"tasks":[{"id":3,"name":"Design w10"}]}]},
             {"id":2,"projects":[{"id":3,"tasks":[{"id":5,"name":"Design IOS"}]},{"id":4,"tasks":[{"id":7,"name":"Design OSX"}]}]}]
            """);
    }

    [Theory]
    [InlineData("/clients?select=*&non_existent_projects.name=like.*NonExistent*", "non_existent_projects")]
    [InlineData("/clients?select=*,amiga_projects:projects(*)&amiga_projectsss.name=ilike.*Amiga*", "amiga_projectsss")]
    [InlineData("/clients?select=id,projects(id,tasks(id,name))&projects.tasks2.name=like.Design*", "tasks2")]
    public async Task Get_with_filter_on_a_resource_that_is_not_embedded_returns_400_PGRST108(string path, string name)
    {
        using var response = await anon.ReadAsync(path);

        var error = await RpcHttp.AssertErrorAsync(response, 400, "PGRST108");
        Assert.Equal(new ErrorBody(
            "PGRST108", null, $"Verify that '{name}' is included in the 'select' query parameter.",
            $"'{name}' is not an embedded resource in this request"), error);
    }

    [Fact]
    public async Task Get_embeds_the_parent_as_an_object_and_the_children_as_an_array()
    {
        await anon.AssertAnswerAsync("/projects?id=eq.1&select=id, name, clients(*), tasks(id, name)", 200, """
            [{"id":1,"name":"Windows 7","clients":{"id":1,"name":"Microsoft"},"tasks":[{"id":1,"name":"Design w7"},{"id":2,"name":"Code w7"}]}]
            """);
    }

    [Fact]
    public async Task Get_renames_the_embedded_parent_and_its_key()
    {
        await anon.AssertAnswerAsync("/projects?select=name,client:clients(clientId:id,name)", 200, """
            [{"name":"Windows 7","client":{"name":"Microsoft","clientId":1}},
             {"name":"Windows 10","client":{"name":"Microsoft","clientId":1}},
             {"name":"IOS","client":{"name":"Apple","clientId":2}},
             {"name":"OSX","client":{"name":"Apple","clientId":2}},
             {"name":"Orphan","client":null}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_parent_by_a_composite_key_renaming_one_of_its_columns()
    {
        await anon.AssertAnswerAsync("/comments?select=*,users_tasks(userId:user_id)", 200, """
            [{"id":1,"commenter_id":1,"user_id":2,"task_id":6,"content":"Needs to be delivered ASAP","users_tasks":{"userId":2}}]
            """);
        await anon.AssertAnswerAsync("/comments?select=*,users_tasks(taskId:task_id)", 200, """
            [{"id":1,"commenter_id":1,"user_id":2,"task_id":6,"content":"Needs to be delivered ASAP","users_tasks":{"taskId":6}}]
            """);
    }

    [Fact]
    public async Task Get_renames_the_parent_and_the_children()
    {
        await anon.AssertAnswerAsync("/projects?id=eq.1&select=myId:id, name, project_client:clients(*), project_tasks:tasks(id, name)", 200, """
            [{"myId":1,"name":"Windows 7","project_client":{"id":1,"name":"Microsoft"},
              "project_tasks":[{"id":1,"name":"Design w7"},{"id":2,"name":"Code w7"}]}]
            """);
    }

    [Fact]
    public async Task Get_selects_only_the_named_columns_of_the_parent()
    {
        await anon.AssertAnswerAsync("/projects?id=eq.1&select=id, name, clients(id)", 200, """[{"id":1,"name":"Windows 7","clients":{"id":1}}]""");
    }

    [Fact]
    public async Task Get_keeps_rows_whose_parent_is_missing_with_null()
    {
        await anon.AssertAnswerAsync("/projects?id=in.(1,5)&select=id,clients(id)", 200, """[{"id":1,"clients":{"id":1}},{"id":5,"clients":null}]""");
    }

    [Fact]
    public async Task Get_gives_an_empty_array_for_rows_without_children()
    {
        await anon.AssertAnswerAsync("/projects?id=in.(5)&select=id,tasks(id)", 200, """[{"id":5,"tasks":[]}]""");
    }

    [Fact]
    public async Task Get_embeds_children_two_levels_deep()
    {
        await anon.AssertAnswerAsync("/clients?id=eq.1&select=id,projects(id,tasks(id))", 200, """
            [{"id":1,"projects":[{"id":1,"tasks":[{"id":1},{"id":2}]},{"id":2,"tasks":[{"id":3},{"id":4}]}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_many_to_many_relationship()
    {
        await anon.AssertAnswerAsync("/tasks?select=id,users(id)", 200, """
            [{"id":1,"users":[{"id":1},{"id":3}]},{"id":2,"users":[{"id":1}]},{"id":3,"users":[{"id":1}]},
             {"id":4,"users":[{"id":1}]},{"id":5,"users":[{"id":2},{"id":3}]},{"id":6,"users":[{"id":2}]},
             {"id":7,"users":[{"id":2}]},{"id":8,"users":[]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_many_to_many_relationship_under_an_alias()
    {
        await anon.AssertAnswerAsync("/tasks?id=eq.1&select=id,theUsers:users(id)", 200, """[{"id":1,"theUsers":[{"id":1},{"id":3}]}]""");
    }

    [Fact]
    public async Task Get_embeds_a_many_to_many_relationship_from_the_other_side()
    {
        await anon.AssertAnswerAsync("/users?select=id,tasks(id)", 200, """
            [{"id":1,"tasks":[{"id":1},{"id":2},{"id":3},{"id":4}]},{"id":2,"tasks":[{"id":5},{"id":6},{"id":7}]},
             {"id":3,"tasks":[{"id":1},{"id":5}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_many_to_many_relationship_through_composite_keys()
    {
        await anon.AssertAnswerAsync("/files?filename=eq.autoexec.bat&project_id=eq.1&select=filename,users_tasks(user_id,task_id)", 200, """
            [{"filename":"autoexec.bat","users_tasks":[{"user_id":1,"task_id":1},{"user_id":3,"task_id":1}]}]
            """);
    }

    [Theory]
    [InlineData("/users_tasks?user_id=eq.1&task_id=eq.1&select=user_id,files(filename,content)&files.order=filename")]
    [InlineData("/users_tasks?user_id=eq.1&task_id=eq.1&select=user_id,files!touched_files(filename,content)&files.order=filename")]
    public async Task Get_embeds_the_far_side_of_a_junction_with_composite_keys(string path)
    {
        await anon.AssertAnswerAsync(path, 200, """
            [{"user_id":1,"files":[{"filename":"README.md","content":"# make $$$!"},{"filename":"autoexec.bat","content":"@ECHO OFF"},
                                   {"filename":"command.com","content":"#include <unix.h>"}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_children_by_a_composite_key()
    {
        await anon.AssertAnswerAsync("/users_tasks?user_id=eq.2&task_id=eq.6&select=*, comments(content)", 200, """
            [{"user_id":2,"task_id":6,"comments":[{"content":"Needs to be delivered ASAP"}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_one_to_many_where_other_keys_make_no_junction()
    {
        await anon.AssertAnswerAsync("/plate?select=*,well(*)", 200, "[]");
    }

    [Fact]
    public async Task Get_embeds_one_to_one_when_the_primary_key_is_the_foreign_key()
    {
        await anon.AssertAnswerAsync("/students_info?select=address,students(name)", 200, """
            [{"address":"Street 1","students":{"name":"John Doe"}},{"address":"Street 2","students":{"name":"Jane Doe"}}]
            """);
        await anon.AssertAnswerAsync("/students?select=name,students_info(address)", 200, """
            [{"name":"John Doe","students_info":{"address":"Street 1"}},{"name":"Jane Doe","students_info":{"address":"Street 2"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_one_to_one_by_a_unique_foreign_key()
    {
        await anon.AssertAnswerAsync("/country?select=name,capital(name)", 200, """
            [{"name":"Afghanistan","capital":{"name":"Kabul"}},{"name":"Algeria","capital":{"name":"Algiers"}}]
            """);
        await anon.AssertAnswerAsync("/capital?select=name,country(name)", 200, """
            [{"name":"Kabul","country":{"name":"Afghanistan"}},{"name":"Algiers","country":{"name":"Algeria"}}]
            """);
    }

    [Theory]
    [InlineData("/country?select=name,capital!id(name)")]
    [InlineData("/country?select=name,capital!country_id(name)")]
    public async Task Get_embeds_one_to_one_with_a_column_as_hint_from_the_referenced_side(string path)
    {
        await anon.AssertAnswerAsync(path, 200, """
            [{"name":"Afghanistan","capital":{"name":"Kabul"}},{"name":"Algeria","capital":{"name":"Algiers"}}]
            """);
    }

    [Theory]
    [InlineData("/capital?select=name,country!id(name)")]
    [InlineData("/capital?select=name,country!country_id(name)")]
    public async Task Get_embeds_one_to_one_with_a_column_as_hint_from_the_referencing_side(string path)
    {
        await anon.AssertAnswerAsync(path, 200, """
            [{"name":"Kabul","country":{"name":"Afghanistan"}},{"name":"Algiers","country":{"name":"Algeria"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_table_as_parent_of_a_partitioned_table()
    {
        await anon.AssertAnswerAsync("/car_models?name=in.(DeLorean,Murcielago)&select=name,year,car_brands(name)&order=name.asc", 200, """
            [{"name":"DeLorean","year":1981,"car_brands":{"name":"DMC"}},
             {"name":"Murcielago","year":2001,"car_brands":{"name":"Lamborghini"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_partitioned_table_as_children_of_a_table()
    {
        await anon.AssertAnswerAsync("/car_brands?select=name,car_models(name,year)&order=name.asc&car_models.order=name.asc", 200, """
            [{"name":"DMC","car_models":[{"name":"DeLorean","year":1981}]},
             {"name":"Ferrari","car_models":[{"name":"F310-B","year":1997}]},
             {"name":"Lamborghini","car_models":[{"name":"Murcielago","year":2001},{"name":"Veneno","year":2013}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_tables_as_children_of_a_partitioned_table()
    {
        await anon.AssertAnswerAsync("/car_models?name=in.(DeLorean,F310-B)&select=name,year,car_racers(name)&order=name.asc", 200, """
            [{"name":"DeLorean","year":1981,"car_racers":[]},
             {"name":"F310-B","year":1997,"car_racers":[{"name":"Michael Schumacher"}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_partitioned_table_as_parent_of_a_table()
    {
        await anon.AssertAnswerAsync("/car_racers?select=name,car_models(name,year)&order=name.asc", 200, """
            [{"name":"Alain Prost","car_models":null},
             {"name":"Michael Schumacher","car_models":{"name":"F310-B","year":1997}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_partitioned_table_as_children_of_a_partitioned_table()
    {
        await anon.AssertAnswerAsync(
            "/car_models?name=in.(DeLorean,Murcielago,Veneno)&select=name,year,car_model_sales(date,quantity)&order=name.asc", 200, """
            [{"name":"DeLorean","year":1981,"car_model_sales":[{"date":"2021-01-14","quantity":7},{"date":"2021-01-15","quantity":9}]},
             {"name":"Murcielago","year":2001,"car_model_sales":[{"date":"2021-02-11","quantity":1},{"date":"2021-02-12","quantity":3}]},
             {"name":"Veneno","year":2013,"car_model_sales":[]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_partitioned_table_as_parent_of_a_partitioned_table()
    {
        await anon.AssertAnswerAsync("/car_model_sales?date=in.(2021-01-15,2021-02-11)&select=date,quantity,car_models(name,year)&order=date.asc", 200, """
            [{"date":"2021-01-15","quantity":9,"car_models":{"name":"DeLorean","year":1981}},
             {"date":"2021-02-11","quantity":1,"car_models":{"name":"Murcielago","year":2001}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_many_to_many_between_partitioned_tables()
    {
        await anon.AssertAnswerAsync("/car_models?select=name,year,car_dealers(name,city)&order=name.asc&limit=4", 200, """
            [{"name":"DeLorean","year":1981,"car_dealers":[{"name":"Springfield Cars S.A.","city":"Springfield"}]},
             {"name":"F310-B","year":1997,"car_dealers":[]},
             {"name":"Murcielago","year":2001,"car_dealers":[{"name":"The Best Deals S.A.","city":"Franklin"}]},
             {"name":"Veneno","year":2013,"car_dealers":[]}]
            """);
    }

    [Theory]
    [InlineData("/consumers_view?select=*,orders_view(*)")]
    [InlineData("/materialized_projects?select=*,users(*)")]
    [InlineData("/consumers_view_view?select=*,orders_view(*)")]
    [InlineData("/foos?select=*,bars(*)")]
    [InlineData("/v1?select=v2(*)")]
    public async Task Get_finds_relationships_through_views(string path)
    {
        using var response = await anon.ReadAsync(path);

        await AssertBodyAsync(response, 200);
    }

    [Fact]
    public async Task Get_embeds_two_parents_of_a_view()
    {
        await anon.AssertAnswerAsync("/articleStars?select=createdAt,article:articles(id),user:users(name)&limit=1", 200, """
            [{"createdAt":"2015-12-08T04:22:57.472738","article":{"id":1},"user":{"name":"Angela Martin"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_through_a_view_with_renamed_key_columns()
    {
        await anon.AssertAnswerAsync("/articles?id=eq.1&select=id,articleStars(users(*))", 200, """
            [{"id":1,"articleStars":[{"users":{"id":1,"name":"Angela Martin"}},{"users":{"id":2,"name":"Michael Scott"}},
                                     {"users":{"id":3,"name":"Dwight Schrute"}}]}]
            """);
    }

    [Theory]
    [InlineData("/projects_view?id=eq.1&select=id, name, clients(*), tasks(id, name)", "id")]
    [InlineData("/projects_view_alt?t_id=eq.1&select=t_id, name, clients(*), tasks(id, name)", "t_id")]
    public async Task Get_embeds_parents_and_children_of_a_view(string path, string key)
    {
        await anon.AssertAnswerAsync(path, 200, $$"""
            [{"{{key}}":1,"name":"Windows 7","clients":{"id":1,"name":"Microsoft"},"tasks":[{"id":1,"name":"Design w7"},{"id":2,"name":"Code w7"}]}]
            """);
    }

    [Theory]
    [InlineData("/books?select=title,author:authors(name)&id=eq.5", "Farenheit 451", "Ray Bradbury")]
    [InlineData("/forties_books?select=title,author:authors(name)&limit=1", "1984", "George Orwell")]
    [InlineData("/fifties_books?select=title,author:authors(name)&limit=1", "The Catcher in the Rye", "J.D. Salinger")]
    [InlineData("/sixties_books?select=title,author:authors(name)&limit=1", "To Kill a Mockingbird", "Harper Lee")]
    public async Task Get_embeds_the_parent_of_each_of_many_views_of_one_table(string path, string title, string author)
    {
        await anon.AssertAnswerAsync(path, 200, $$$"""[{"title":"{{{title}}}","author":{"name":"{{{author}}}"}}]""");
    }

    [Fact]
    public async Task Get_embeds_children_of_a_view_with_subselects()
    {
        await anon.AssertAnswerAsync("/authors_books_number?select=*,books(title)&id=eq.1", 200, """
            [{"id":1,"name":"George Orwell","num_in_forties":1,"num_in_fifties":0,"num_in_sixties":0,"num_in_all_decades":1,
              "books":[{"title":"1984"}]}]
            """);
    }

    [Theory]
    [InlineData("/authors_have_book_in_decade?select=*,books(title)&id=eq.3")]
    [InlineData("/authors_have_book_in_decade2?select=*,books(title)&id=eq.3")]
    public async Task Get_embeds_children_of_a_view_with_case_or_function_subselects(string path)
    {
        await anon.AssertAnswerAsync(path, 200, """
            [{"id":3,"name":"Antoine de Saint-Exupéry","has_book_in_forties":true,"has_book_in_fifties":false,
              "has_book_in_sixties":false,"books":[{"title":"The Little Prince"}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_the_parent_of_a_view_with_a_subselect_in_from()
    {
        await anon.AssertAnswerAsync("/forties_and_fifties_books?select=title,first_publisher,author:authors(name)&id=eq.1", 200, """
            [{"title":"1984","first_publisher":"Secker & Warburg","author":{"name":"George Orwell"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_the_parent_of_a_view_with_a_cte()
    {
        await anon.AssertAnswerAsync(
            "/odd_years_publications?select=title,publication_year,first_publisher,author:authors(name)&id=in.(1,2,3)", 200, """
            [{"title":"1984","publication_year":1949,"first_publisher":"Secker & Warburg","author":{"name":"George Orwell"}},
             {"title":"The Diary of a Young Girl","publication_year":1947,"first_publisher":"Contact Publishing","author":{"name":"Anne Frank"}},
             {"title":"The Little Prince","publication_year":1947,"first_publisher":"Reynal & Hitchcock","author":{"name":"Antoine de Saint-Exupéry"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_view_keyed_by_a_long_compound_key()
    {
        await anon.AssertAnswerAsync("/player_view?select=id,contract(purchase_price)&id=in.(1,3,5,7)", 200, """
            [{"id":1,"contract":[{"purchase_price":10}]},{"id":3,"contract":[{"purchase_price":30}]},
             {"id":5,"contract":[{"purchase_price":50}]},{"id":7,"contract":[]}]
            """);
        await anon.AssertAnswerAsync("/contract?select=tournament,player_view(first_name)&limit=3", 200, """
            [{"tournament":"tournament_1","player_view":{"first_name":"first_name_1"}},
             {"tournament":"tournament_2","player_view":{"first_name":"first_name_2"}},
             {"tournament":"tournament_3","player_view":{"first_name":"first_name_3"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_a_view_of_a_view_keyed_by_a_long_compound_key()
    {
        await anon.AssertAnswerAsync("/player_view?select=id,contract_view(purchase_price)&id=in.(1,3,5,7)", 200, """
            [{"id":1,"contract_view":[{"purchase_price":10}]},{"id":3,"contract_view":[{"purchase_price":30}]},
             {"id":5,"contract_view":[{"purchase_price":50}]},{"id":7,"contract_view":[]}]
            """);
        await anon.AssertAnswerAsync("/contract_view?select=tournament,player_view(first_name)&limit=3", 200, """
            [{"tournament":"tournament_1","player_view":{"first_name":"first_name_1"}},
             {"tournament":"tournament_2","player_view":{"first_name":"first_name_2"}},
             {"tournament":"tournament_3","player_view":{"first_name":"first_name_3"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_the_parent_of_a_view_with_group_by()
    {
        await anon.AssertAnswerAsync("/projects_count_grouped_by?select=number_of_projects,client:clients(name)&order=number_of_projects", 200, """
            [{"number_of_projects":1,"client":null},
             {"number_of_projects":2,"client":{"name":"Microsoft"}},
             {"number_of_projects":2,"client":{"name":"Apple"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_children_of_a_view_with_a_select_in_a_where()
    {
        await anon.AssertAnswerAsync("/authors_w_entities?select=name,entities,books(title)&id=eq.1", 200, """
            [{"name":"George Orwell","entities":[3,4],"books":[{"title":"1984"}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_one_to_one_between_views_of_views()
    {
        await anon.AssertAnswerAsync("/students_view?select=name,students_info(address)", 200, """
            [{"name":"John Doe","students_info":{"address":"Street 1"}},{"name":"Jane Doe","students_info":{"address":"Street 2"}}]
            """);
        await anon.AssertAnswerAsync("/students_view?select=name,students_info_view(address)", 200, """
            [{"name":"John Doe","students_info_view":{"address":"Street 1"}},{"name":"Jane Doe","students_info_view":{"address":"Street 2"}}]
            """);
        await anon.AssertAnswerAsync("/students_info_view?select=address,students(name)", 200, """
            [{"address":"Street 1","students":{"name":"John Doe"}},{"address":"Street 2","students":{"name":"Jane Doe"}}]
            """);
        await anon.AssertAnswerAsync("/students_info_view?select=address,students_view(name)", 200, """
            [{"address":"Street 1","students_view":{"name":"John Doe"}},{"address":"Street 2","students_view":{"name":"Jane Doe"}}]
            """);
    }

    [Fact]
    public async Task Get_embeds_the_same_children_twice_under_aliases_filtered_apart()
    {
        await anon.AssertAnswerAsync(
            "/space?select=id,zones:zone(id,name),stores:zone(id,name)&zones.zone_type_id=eq.2&stores.zone_type_id=eq.3", 200, """
            [{"id":1,"zones":[{"id":1,"name":"zone 1"},{"id":2,"name":"zone 2"}],
                     "stores":[{"id":3,"name":"store 3"},{"id":4,"name":"store 4"}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_the_same_many_to_many_relationship_twice_under_aliases()
    {
        await anon.AssertAnswerAsync(
            "/users?select=id,designTasks:tasks(id,name),codeTasks:tasks(id,name)&designTasks.name=like.*Design*&codeTasks.name=like.*Code*", 200, """
            [{"id":1,"designTasks":[{"id":1,"name":"Design w7"},{"id":3,"name":"Design w10"}],
                     "codeTasks":[{"id":2,"name":"Code w7"},{"id":4,"name":"Code w10"}]},
             {"id":2,"designTasks":[{"id":5,"name":"Design IOS"},{"id":7,"name":"Design OSX"}],
                     "codeTasks":[{"id":6,"name":"Code IOS"}]},
             {"id":3,"designTasks":[{"id":1,"name":"Design w7"},{"id":5,"name":"Design IOS"}],
                     "codeTasks":[]}]
            """);
    }

    [Fact]
    public async Task Get_filters_an_aliased_child_and_its_own_children()
    {
        await anon.AssertAnswerAsync(
            "/projects?select=id,name,designTasks:tasks(name,users(id,name))&designTasks.name=like.*Design*&designTasks.users.id=in.(1,2)", 200, """
            [{"id":1,"name":"Windows 7","designTasks":[{"name":"Design w7","users":[{"id":1,"name":"Angela Martin"}]}]},
             {"id":2,"name":"Windows 10","designTasks":[{"name":"Design w10","users":[{"id":1,"name":"Angela Martin"}]}]},
             {"id":3,"name":"IOS","designTasks":[{"name":"Design IOS","users":[{"id":2,"name":"Michael Scott"}]}]},
             {"id":4,"name":"OSX","designTasks":[{"name":"Design OSX","users":[{"id":2,"name":"Michael Scott"}]}]},
             {"id":5,"name":"Orphan","designTasks":[]}]
            """);
    }

    [Fact]
    public async Task Get_applies_and_or_to_aliased_embeds()
    {
        await anon.AssertAnswerAsync(
            "/entities?select=id,children:child_entities(id,gChildren:grandchild_entities(id))&children.and=(id.in.(1,2,3))&children.gChildren.or=(id.eq.1,id.eq.2)", 200, """
            [{"id":1,"children":[{"id":1,"gChildren":[{"id":1},{"id":2}]},{"id":2,"gChildren":[]}]},
             {"id":2,"children":[{"id":3,"gChildren":[]}]},
             {"id":3,"children":[]},
             {"id":4,"children":[]}]
            """);
    }

    [Fact]
    public async Task Get_orders_embedded_children()
    {
        await anon.AssertAnswerAsync("/projects?id=eq.1&select=id, name, tasks(id, name)&tasks.order=name.asc", 200, """
            [{"id":1,"name":"Windows 7","tasks":[{"id":2,"name":"Code w7"},{"id":1,"name":"Design w7"}]}]
            """);
    }

    [Fact]
    public async Task Get_orders_embedded_children_by_their_alias()
    {
        await anon.AssertAnswerAsync("/projects?id=eq.1&select=id, name, the_tasks:tasks(id, name)&the_tasks.order=name.asc", 200, """
            [{"id":1,"name":"Windows 7","the_tasks":[{"id":2,"name":"Code w7"},{"id":1,"name":"Design w7"}]}]
            """);
    }

    [Fact]
    public async Task Get_orders_embedded_children_two_levels_deep()
    {
        await anon.AssertAnswerAsync(
            "/projects?id=eq.1&select=id, name, tasks(id, name, users(id, name))&tasks.order=name.asc&tasks.users.order=name.desc", 200, """
            [{"id":1,"name":"Windows 7","tasks":[
              {"id":2,"name":"Code w7","users":[{"id":1,"name":"Angela Martin"}]},
              {"id":1,"name":"Design w7","users":[{"id":3,"name":"Dwight Schrute"},{"id":1,"name":"Angela Martin"}]}]}]
            """);
    }

    [Fact]
    public async Task Get_orders_an_embedded_parent_without_breaking_it()
    {
        await anon.AssertAnswerAsync("/projects?id=eq.1&select=id, name, clients(id, name)&clients.order=name.asc", 200, """
            [{"id":1,"name":"Windows 7","clients":{"id":1,"name":"Microsoft"}}]
            """);
    }

    [Fact]
    public async Task Get_filters_orders_and_limits_an_aliased_embed_named_by_its_relation_with_a_deprecation_warning()
    {
        using var response = await anon.ReadAsync(
            "/projects?id=eq.1&select=id, name, the_tasks:tasks(id, name)&tasks.name=like.Code*&tasks.order=name.asc&tasks.limit=1");

        AssertJsonEqual("""[{"id":1,"name":"Windows 7","the_tasks":[{"id":2,"name":"Code w7"}]}]""", await AssertBodyAsync(response, 200));
        Assert.Equal(
            "299 Gateway \"Embedded resource was referenced by relation name even though it has an alias. This is deprecated and will "
            + "stop working in a future release. Update `tasks` to `the_tasks` in query string filters, orders or limits.\"",
            RpcHttp.Header(response, "Warning"));
    }

    [Fact]
    public async Task Get_limits_every_level_of_nested_embeds()
    {
        using var response = await anon.ReadAsync(
            "/clients?select=id,projects(id,tasks(id))&order=id.asc&limit=1&projects.order=id.asc&projects.limit=2"
            + "&projects.tasks.order=id.asc&projects.tasks.limit=1");

        AssertJsonEqual("""[{"id":1,"projects":[{"id":1,"tasks":[{"id":1}]},{"id":2,"tasks":[{"id":3}]}]}]""", await AssertBodyAsync(response, 200));
        Assert.Equal("0-0/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_limits_an_embed_ordered_with_nulls_first()
    {
        using var response = await anon.ReadAsync(
            "/clients?select=id,projects(id,tasks(id))&order=id.asc.nullslast&limit=1&projects.order=id.asc.nullsfirst&projects.limit=2");

        AssertJsonEqual(
            """[{"id":1,"projects":[{"id":1,"tasks":[{"id":1},{"id":2}]},{"id":2,"tasks":[{"id":3},{"id":4}]}]}]""",
            await AssertBodyAsync(response, 200));
        Assert.Equal("0-0/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Theory]
    [InlineData("/clients?select=*,projects(*)&order=projects(id)", "projects")]
    [InlineData("/clients?select=*,pros:projects(*)&order=pros(id)", "pros")]
    public async Task Get_ordered_by_a_to_many_embed_returns_400_PGRST118(string path, string name)
    {
        using var response = await anon.ReadAsync(path);

        var error = await RpcHttp.AssertErrorAsync(response, 400, "PGRST118");
        Assert.Equal(new ErrorBody(
            "PGRST118", $"'clients' and '{name}' do not form a many-to-one or one-to-one relationship", null,
            $"A related order on '{name}' is not possible"), error);
    }

    [Fact]
    public async Task Get_embeds_children_of_a_relation_with_punctuation_in_its_name()
    {
        await anon.AssertAnswerAsync("/Escap3e;?select=ghostBusters(*)", 200, """
            [{"ghostBusters":[{"escapeId":1}]},{"ghostBusters":[]},{"ghostBusters":[{"escapeId":3}]},{"ghostBusters":[]},
             {"ghostBusters":[{"escapeId":5}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_children_when_a_column_is_named_like_its_table()
    {
        await anon.AssertAnswerAsync("/being?select=*,descendant(*)&limit=1", 200, """
            [{"being":1,"descendant":[{"descendant":1,"being":1},{"descendant":2,"being":1},{"descendant":3,"being":1}]}]
            """);
    }

    [Fact]
    public async Task Get_embeds_many_to_many_when_columns_are_named_like_their_tables()
    {
        await anon.AssertAnswerAsync("/being?select=*,part(*)&limit=1", 200, """[{"being":1,"part":[{"part":1}]}]""");
    }

    [Fact]
    public async Task Get_embeds_a_parent_referred_to_by_a_unique_key()
    {
        await anon.AssertAnswerAsync("/referrals?select=site,link:pages(url)", 200, """
            [{"site":"github.com","link":{"url":"http://postgrest.org/en/v6.0/api.html"}},
             {"site":"hub.docker.com","link":{"url":"http://postgrest.org/en/v6.0/admin.html"}}]
            """);
    }

    [Fact]
    public async Task Get_with_empty_many_to_one_embed_shows_nothing_of_it_but_inner_still_filters()
    {
        await anon.AssertAnswerAsync("/projects?select=id,name,clients()", 200, """
            [{"id":1,"name":"Windows 7"},{"id":2,"name":"Windows 10"},{"id":3,"name":"IOS"},{"id":4,"name":"OSX"},{"id":5,"name":"Orphan"}]
            """);
        await anon.AssertAnswerAsync("/projects?select=id,name,clients!inner()&clients.id=eq.2", 200, """[{"id":3,"name":"IOS"},{"id":4,"name":"OSX"}]""");
    }

    [Fact]
    public async Task Get_with_empty_one_to_many_embed_shows_nothing_of_it_but_inner_still_filters()
    {
        await anon.AssertAnswerAsync("/clients?select=id,name,projects()", 200, """[{"id":1,"name":"Microsoft"},{"id":2,"name":"Apple"}]""");
        await anon.AssertAnswerAsync("/clients?select=id,name,projects!inner()&projects.name=eq.IOS", 200, """[{"id":2,"name":"Apple"}]""");
    }

    [Fact]
    public async Task Get_with_empty_many_to_many_embed_shows_nothing_of_it_but_inner_still_filters()
    {
        await anon.AssertAnswerAsync("/users?select=*,tasks!inner()", 200, """
            [{"id":1,"name":"Angela Martin"},{"id":2,"name":"Michael Scott"},{"id":3,"name":"Dwight Schrute"}]
            """);
        await anon.AssertAnswerAsync("/users?select=*,tasks!inner()&tasks.id=eq.3", 200, """[{"id":1,"name":"Angela Martin"}]""");
    }

    [Fact]
    public async Task Get_with_empty_nested_embeds_shows_nothing_of_them_but_inner_still_filters()
    {
        const string everyUser = """[{"id":1,"name":"Angela Martin"},{"id":2,"name":"Michael Scott"},{"id":3,"name":"Dwight Schrute"}]""";
        await anon.AssertAnswerAsync("/users?select=*,users_tasks(tasks(projects()))", 200, everyUser);
        await anon.AssertAnswerAsync(
            "/users?select=*,users_tasks!inner(tasks!inner(projects()))&users_tasks.tasks.id=eq.3", 200, """[{"id":1,"name":"Angela Martin"}]""");
        await anon.AssertAnswerAsync("/users?select=*,tasks(projects(clients()),users_tasks())", 200, everyUser);
        await anon.AssertAnswerAsync(
            "/users?select=*,tasks!inner(projects(clients()),users_tasks(),name)&tasks.id=eq.3", 200,
            """[{"id":1,"name":"Angela Martin","tasks":[{"name":"Design w10"}]}]""");
    }

    [Fact]
    public async Task Get_with_empty_root_select_gives_every_column()
    {
        const string everyProject = """
            [{"id":1,"name":"Windows 7","client_id":1},{"id":2,"name":"Windows 10","client_id":1},
             {"id":3,"name":"IOS","client_id":2},{"id":4,"name":"OSX","client_id":2},{"id":5,"name":"Orphan","client_id":null}]
            """;
        await anon.AssertAnswerAsync("/projects?select=", 200, everyProject);
        await anon.AssertAnswerAsync("/rpc/getallprojects?select=", 200, everyProject);
    }

    [Fact]
    public async Task Get_embeds_the_same_table_twice_with_the_unaliased_one_named_by_its_relation()
    {
        await anon.AssertAnswerAsync(
            "/places?select=name,visits(id,start_time,visit_type),work_visits:visits(id,start_time,visit_type)&id=eq.1"
            + "&visits.visit_type=neq.work&visits.start_time=gt.20250101+00:00"
            + "&work_visits.visit_type=eq.work&work_visits.start_time=gt.20250101+00:00", 200, """
            [{"name":"Lake",
              "visits":[{"id":1,"start_time":"2025-01-01T10:00:00","visit_type":"vacation"},
                        {"id":2,"start_time":"2025-01-01T15:00:00","visit_type":"vacation"}],
              "work_visits":[{"id":3,"start_time":"2025-01-01T20:00:00","visit_type":"work"}]}]
            """);
    }
}
