using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Computed fields (PostgREST's): a function of the api schema taking a relation's row is a virtual column of that
/// relation, selected (with casts, aliases and JSON paths), filtered and ordered by name, in embeds and in a
/// function's rows too; <c>*</c> leaves it out and the OpenAPI document lists it read-only. On a view over a private
/// table and on a table exposed directly; the objects are the test's own (created as the owner, like migrations).
/// </summary>
public sealed class ComputedFieldTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => api.EnsureObjectsAsync("api.cf_pets", """
            set role gateway_owner;
            create table demo.cf_people (id integer primary key, first_name text not null, last_name text not null, born date);
            insert into demo.cf_people values (1, 'Ada', 'Lovelace', '1815-12-10'), (2, 'Alan', 'Turing', '1912-06-23'),
                                              (3, 'Grace', 'Hopper', '1906-12-09');
            create view api.cf_people as select id, first_name, last_name, born from demo.cf_people;
            grant select on api.cf_people to anon;
            create function api.full_name(api.cf_people) returns text
              language sql stable as $$ select $1.first_name || ' ' || $1.last_name $$;
            comment on function api.full_name(api.cf_people) is 'First and last name.';
            create function api.card(person api.cf_people) returns jsonb
              language sql stable as $$ select jsonb_build_object('initials', left(person.first_name, 1) || left(person.last_name, 1)) $$;
            grant execute on function api.full_name(api.cf_people), api.card(api.cf_people) to anon;
            create table demo.cf_pets (id integer primary key, name text not null, owner_id integer references demo.cf_people (id));
            insert into demo.cf_pets values (1, 'Rex', 2), (2, 'Tom', 3);
            create view api.cf_pets as select id, name, owner_id from demo.cf_pets;
            grant select on api.cf_pets to anon;
            create function api.people_born_after(year integer) returns setof api.cf_people
              language sql stable as $$ select * from api.cf_people where extract(year from born) > year $$;
            grant execute on function api.people_born_after(integer) to anon;
            create table api.cf_boxes (id integer primary key, w integer not null, h integer not null);
            insert into api.cf_boxes values (1, 2, 3), (2, 4, 5);
            grant select on api.cf_boxes to anon;
            create function api.area(api.cf_boxes) returns integer language sql immutable as $$ select $1.w * $1.h $$;
            grant execute on function api.area(api.cf_boxes) to anon;
            reset role;
        """, "/cf_pets");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_computed_field_is_selected_filtered_and_ordered_like_a_column()
    {
        using var response = await api.Anon().ReadAsync("/cf_people?select=id,full_name&full_name=like.*r*&order=full_name.desc");

        AssertJsonEqual("""[{"id":3,"full_name":"Grace Hopper"},{"id":2,"full_name":"Alan Turing"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task A_computed_field_takes_an_alias_a_cast_and_a_json_path()
    {
        using var response = await api.Anon().ReadAsync("/cf_people?select=name:full_name::varchar,initials:card->>initials&id=eq.1&card->>initials=eq.AL");

        AssertJsonEqual("""[{"name":"Ada Lovelace","initials":"AL"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Star_leaves_computed_fields_out_unless_named()
    {
        using var response = await api.Anon().ReadAsync("/cf_people?select=*,full_name&id=eq.2");

        AssertJsonEqual("""[{"id":2,"first_name":"Alan","last_name":"Turing","born":"1912-06-23","full_name":"Alan Turing"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task An_embedded_relation_has_its_computed_fields()
    {
        using var response = await api.Anon().ReadAsync("/cf_pets?select=name,owner:cf_people(full_name)&order=id");

        AssertJsonEqual("""[{"name":"Rex","owner":{"full_name": "Alan Turing"}},{"name":"Tom","owner":{"full_name": "Grace Hopper"}}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task The_rows_of_a_function_have_the_computed_fields_of_their_relation()
    {
        using var response = await api.Anon().ReadAsync("/rpc/people_born_after?year=1900&select=full_name&order=full_name");

        AssertJsonEqual("""[{"full_name":"Alan Turing"},{"full_name":"Grace Hopper"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task A_table_exposed_directly_has_computed_fields_too()
    {
        using var response = await api.Anon().ReadAsync("/cf_boxes?select=id,area&area=gt.10");

        AssertJsonEqual("""[{"id":2,"area":20}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task An_unknown_name_is_still_42703()
    {
        using var response = await api.Anon().ReadAsync("/cf_people?select=nick_name");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("42703", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_lists_a_computed_field_read_only()
    {
        using var response = await api.Anon().GetAsync("/");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var fullName = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("cf_people")
            .GetProperty("properties").GetProperty("full_name");

        Assert.True(fullName.GetProperty("readOnly").GetBoolean());
        Assert.Equal("First and last name.", fullName.GetProperty("description").GetString());
    }
}
