namespace Gateway.Testing.Tests;

/// <summary>
/// The gateway over the notes api of <c>db/migrations</c>, with one note of alice's as the fixture: what a team
/// building on the gateway writes. One per test class (an xUnit class fixture), each with a database of its own.
/// </summary>
public sealed class NotesApi() : GatewayApplicationFactory(Options())
{
    public const string AliceNote = "Alice's first note";

    public static GatewayTestOptions Options() => new()
    {
        MigrationFolders = { "db/migrations" },
        FixtureSql = { $"insert into notes_private.note (owner, body) values ('alice', '{AliceNote.Replace("'", "''", StringComparison.Ordinal)}')" },
    };
}
