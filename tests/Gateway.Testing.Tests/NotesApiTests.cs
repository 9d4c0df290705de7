using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Gateway.Testing.Tests;

/// <summary>The notes api end to end, through the kit's public API only: tokens, row-level security, a function, reset.</summary>
public sealed class NotesApiTests(NotesApi api) : IClassFixture<NotesApi>, IAsyncLifetime
{
    private sealed record Note([property: JsonPropertyName("note_id")] long NoteId, string Body);

    // Every test starts from the fixture, whatever the tests before it wrote.
    public Task InitializeAsync() => api.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Anonymous_callers_are_refused_the_notes_with_401_42501()
    {
        using var response = await api.CreateClient(Caller.Anonymous).GetAsync("/notes?select=body");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"42501\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_caller_reads_its_own_notes()
    {
        var notes = await api.CreateClient(Caller.Authenticated(sub: "alice")).GetFromJsonAsync<Note[]>("/notes?select=note_id,body");

        Assert.Equal([NotesApi.AliceNote], notes!.Select(note => note.Body));
    }

    [Fact]
    public async Task Row_level_security_keeps_each_sub_to_its_own_notes()
    {
        var bob = api.CreateClient(Caller.Authenticated(sub: "bob"));
        using (var created = await bob.PostAsJsonAsync("/notes", new { body = "Bob's note" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var bobs = await bob.GetFromJsonAsync<Note[]>("/notes");
        var alices = await api.CreateClient(Caller.Authenticated(sub: "alice")).GetFromJsonAsync<Note[]>("/notes");

        Assert.Equal(["Bob's note"], bobs!.Select(note => note.Body));
        Assert.Equal([NotesApi.AliceNote], alices!.Select(note => note.Body));
    }

    [Fact]
    public async Task A_caller_cannot_change_another_subs_note()
    {
        using var response = await api.CreateClient(Caller.Authenticated(sub: "bob"))
            .PatchAsJsonAsync("/notes?body=eq." + Uri.EscapeDataString(NotesApi.AliceNote), new { body = "changed by bob" });
        var alices = await api.CreateClient(Caller.Authenticated(sub: "alice")).GetFromJsonAsync<Note[]>("/notes");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([NotesApi.AliceNote], alices!.Select(note => note.Body));
    }

    [Fact]
    public async Task The_add_note_function_adds_a_note_for_the_caller_and_returns_its_id()
    {
        var carol = api.CreateClient(Caller.Authenticated(sub: "carol"));

        using var response = await carol.PostAsJsonAsync("/rpc/add_note", new { body = "Carol's note" });
        var id = await response.Content.ReadFromJsonAsync<long>();
        var notes = await carol.GetFromJsonAsync<Note[]>("/notes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([new Note(id, "Carol's note")], notes!);
    }

    [Fact]
    public async Task The_add_note_function_refuses_anonymous_callers()
    {
        using var response = await api.CreateClient(Caller.Anonymous).PostAsJsonAsync("/rpc/add_note", new { body = "from nobody" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("first")]
    [InlineData("second")]
    public async Task Every_test_starts_from_the_fixture_because_of_ResetAsync(string run)
    {
        var dave = api.CreateClient(Caller.Authenticated(sub: "dave"));
        Assert.Empty((await dave.GetFromJsonAsync<Note[]>("/notes"))!);

        // Whichever case runs second would see this note if the reset did not remove it.
        using var response = await dave.PostAsJsonAsync("/notes", new { body = "written by the " + run + " case" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ResetAsync_restores_the_fixture_rows_and_the_sequences()
    {
        var alice = api.CreateClient(Caller.Authenticated(sub: "alice"));
        var fixtureNote = Assert.Single((await alice.GetFromJsonAsync<Note[]>("/notes"))!);
        using (var deleted = await alice.DeleteAsync("/notes"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (await alice.PostAsJsonAsync("/rpc/add_note", new { body = "after the fixture" }))
        {
        }

        await api.ResetAsync();
        using var again = await alice.PostAsJsonAsync("/rpc/add_note", new { body = "after the reset" });

        Assert.Equal([fixtureNote, new Note(fixtureNote.NoteId + 1, "after the reset")], (await alice.GetFromJsonAsync<Note[]>("/notes?order=note_id"))!);
    }
}
