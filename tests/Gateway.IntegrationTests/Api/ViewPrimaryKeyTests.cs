using Gateway.Catalog;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// A view's primary key is found through its column dependencies, as PostgREST does: a writable view that shows its
/// table's key under another name, or that joins a second table, still has a key, so PUT, upserts' conflict target,
/// <c>Location</c> and OPTIONS work on it under the view's own names. The views are created by the test (as the
/// owner, like migrations) over a table of their own; rows use ids in the 7000s.
/// </summary>
public sealed class ViewPrimaryKeyTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private readonly HttpClient anon = api.Anon();

    public Task InitializeAsync() => api.EnsureObjectsAsync("api.pk_shelved", """
            set role gateway_owner;
            create table demo.pk_shelves (shelf_no integer primary key, label text not null);
            create table demo.pk_books (book_no integer primary key, title text not null,
                                        shelf_no integer references demo.pk_shelves (shelf_no));
            insert into demo.pk_shelves values (7000, 'top');
            create view api.pk_books as select book_no as "bookId", title, shelf_no as "shelfId" from demo.pk_books;
            grant select, insert, update, delete on api.pk_books to anon, authenticated;
            create view api.pk_shelved as
              select b.book_no, b.title, s.shelf_no, s.label
              from demo.pk_books b join demo.pk_shelves s using (shelf_no);
            grant select on api.pk_shelved to anon, authenticated;
            reset role;
        """, "/pk_shelved");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Put_addresses_a_view_by_its_renamed_key()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Put, "/pk_books?bookId=eq.7001",
            """{"bookId": 7001, "title": "put", "shelfId": 7000}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 201, """[{"bookId": 7001, "title": "put", "shelfId": 7000}]""");
    }

    [Fact]
    public async Task A_created_row_is_located_by_the_renamed_key()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/pk_books",
            """{"bookId": 7002, "title": "located", "shelfId": 7000}""", ("Prefer", "return=headers-only"));

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("/pk_books?bookId=eq.7002", Header(response, "Location"));
    }

    [Fact]
    public async Task An_upsert_conflicts_on_the_renamed_key_without_on_conflict()
    {
        using (var first = await anon.SendJsonAsync(HttpMethod.Post, "/pk_books", """{"bookId": 7003, "title": "first", "shelfId": 7000}"""))
        {
            Assert.Equal(201, (int)first.StatusCode);
        }

        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/pk_books",
            """{"bookId": 7003, "title": "merged", "shelfId": 7000}""",
            ("Prefer", "resolution=merge-duplicates, return=representation"));

        // 200: every row was an update (PostgREST answers 201 only when one was inserted).
        await AssertRowsAsync(response, 200, """[{"bookId": 7003, "title": "merged", "shelfId": 7000}]""");
    }

    [Fact]
    public async Task Options_on_a_view_with_a_renamed_key_allows_put()
    {
        using var response = await anon.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/pk_books"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("PUT", Header(response, "Allow"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_view_joining_two_tables_has_both_keys()
    {
        var catalog = api.Factory.Services.GetRequiredService<CatalogStore>().Current!;

        Assert.Equal(["book_no", "shelf_no"], catalog.FindRelation("pk_shelved")!.PrimaryKey);
    }
}
