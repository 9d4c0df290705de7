using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Which relationship an embed means (contract §1.3.1, PostgREST's EmbedDisambiguationSpec): two keys from messages
/// to users need a hint (the key's name or its column), a junction may be named, an ambiguous embed is 300
/// PGRST201 listing every candidate, and an embed with no relationship is 400 PGRST200.
/// </summary>
public sealed class EmbedDisambiguationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string SenderKey = "messages_sender_id_fkey";
    private const string RecipientKey = "messages_recipient_id_fkey";

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_two_keys_to_the_embedded_view_returns_300_PGRST201_with_both_candidates()
    {
        using var response = await anon.ReadAsync("/messages?select=id,users(name)");

        AssertAmbiguous(await AssertBodyAsync(response, 300), "messages", "users",
            ("many-to-one", $"{SenderKey} using messages(sender_id) and users(id)", SenderKey),
            ("many-to-one", $"{RecipientKey} using messages(recipient_id) and users(id)", RecipientKey));
    }

    [Fact]
    public async Task Get_with_two_keys_from_the_embedded_view_returns_300_PGRST201_one_to_many()
    {
        using var response = await anon.ReadAsync("/users?select=name,messages(body)");

        AssertAmbiguous(await AssertBodyAsync(response, 300), "users", "messages",
            ("one-to-many", $"{SenderKey} using users(id) and messages(sender_id)", SenderKey),
            ("one-to-many", $"{RecipientKey} using users(id) and messages(recipient_id)", RecipientKey));
    }

    [Theory]
    [InlineData($"sender:users!{SenderKey}(name),recipient:users!{RecipientKey}(name)")]
    [InlineData("sender:users!sender_id(name),recipient:users!recipient_id(name)")]
    public async Task Get_with_constraint_or_column_hints_embeds_each_key_under_its_alias(string embeds)
    {
        using var response = await anon.ReadAsync($"/messages?select=id,{embeds}&order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"sender":{"name":"Angela Martin"},"recipient":{"name":"Michael Scott"}},
             {"id":2,"sender":{"name":"Michael Scott"},"recipient":{"name":"Angela Martin"}},
             {"id":3,"sender":{"name":"Dwight Schrute"},"recipient":{"name":"Michael Scott"}},
             {"id":4,"sender":{"name":"Dwight Schrute"},"recipient":{"name":"Dwight Schrute"}}]
            """);
    }

    [Fact]
    public async Task Get_with_column_hint_on_a_one_to_many_embed_picks_that_key()
    {
        using var response = await anon.ReadAsync("/users?select=name,sent:messages!sender_id(body)&order=id&sent.order=id");

        await AssertJsonAsync(response, """
            [{"name":"Angela Martin","sent":[{"body":"Hello Michael"}]},
             {"name":"Michael Scott","sent":[{"body":"Hello Angela"}]},
             {"name":"Dwight Schrute","sent":[{"body":"Beets are ready"},{"body":"Note to self"}]}]
            """);
    }

    [Fact]
    public async Task Get_with_junction_hint_embeds_many_to_many_through_it()
    {
        using var response = await anon.ReadAsync("/users?select=name,tasks!users_tasks(id)&id=eq.2&tasks.order=id");

        await AssertJsonAsync(response, """[{"name":"Michael Scott","tasks":[{"id":5},{"id":6},{"id":7}]}]""");
    }

    [Fact]
    public async Task Get_with_hint_matching_no_key_returns_400_PGRST200_naming_the_hint()
    {
        using var response = await anon.ReadAsync("/messages?select=id,users!nosuchkey(name)");

        AssertJsonEqual("""
            {"code":"PGRST200",
             "details":"Searched for a foreign key relationship between 'messages' and 'users' using the hint 'nosuchkey' in the schema 'api', but no matches were found.",
             "hint":null,
             "message":"Could not find a relationship between 'messages' and 'users' in the schema cache"}
            """, await AssertBodyAsync(response, 400));
    }

    [Fact]
    public async Task Get_with_misspelled_embed_returns_400_PGRST200_suggesting_the_closest_relation()
    {
        using var response = await anon.ReadAsync("/clients?select=id,projetcs(name)");

        AssertJsonEqual("""
            {"code":"PGRST200",
             "details":"Searched for a foreign key relationship between 'clients' and 'projetcs' in the schema 'api', but no matches were found.",
             "hint":"Perhaps you meant 'projects' instead of 'projetcs'.",
             "message":"Could not find a relationship between 'clients' and 'projetcs' in the schema cache"}
            """, await AssertBodyAsync(response, 400));
    }

    [Fact]
    public async Task Get_with_embed_of_an_unrelated_view_returns_400_PGRST200()
    {
        using var response = await anon.ReadAsync("/clients?select=id,employees(name)");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "PGRST200");
        Assert.Equal("Could not find a relationship between 'clients' and 'employees' in the schema cache", error.Message);
        Assert.Equal(
            "Searched for a foreign key relationship between 'clients' and 'employees' in the schema 'api', but no matches were found.",
            error.Details);
    }

    /// <summary>
    /// Asserts PostgREST's PGRST201 body: the candidates (in any order) in <c>details</c>, and a hint naming each as
    /// <c>child!constraint</c> in the order of <c>details</c>.
    /// </summary>
    private static void AssertAmbiguous(string body, string parent, string child, params (string Cardinality, string Relationship, string Hint)[] candidates)
    {
        var error = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(["code", "details", "hint", "message"], error.Select(property => property.Key));
        Assert.Equal("PGRST201", (string?)error["code"]);
        Assert.Equal($"Could not embed because more than one relationship was found for '{parent}' and '{child}'", (string?)error["message"]);

        var details = error["details"]!.AsArray();
        var expected = candidates
            .Select(c => new JsonObject { ["cardinality"] = c.Cardinality, ["embedding"] = $"{parent} with {child}", ["relationship"] = c.Relationship })
            .ToList();
        Assert.Equal(expected.Count, details.Count);
        Assert.All(expected, candidate => Assert.Contains(details, detail => JsonNode.DeepEquals(candidate, detail)));

        var hints = details.Select(detail => candidates.Single(c => c.Relationship == (string?)detail!["relationship"]).Hint);
        Assert.Equal(
            $"Try changing '{child}' to one of the following: {string.Join(", ", hints.Select(h => $"'{child}!{h}'"))}. Find the desired relationship in the 'details' key.",
            (string?)error["hint"]);
    }
}
