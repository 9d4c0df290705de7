namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A migrated database plus only <c>Api/embedding.sql</c> (views over private tables related in every way PostgREST
/// embeds: many-to-one, one-to-many, many-to-many, one-to-one, self-reference, two keys to one table, computed
/// relationships, a child under row-level security, invoices to aggregate), and the real gateway in memory. Its views
/// have the names of <c>Api/embedding-fixture.sql</c>'s, so the two never share a database. Use as an xUnit class fixture.
/// </summary>
public sealed class EmbedFixture() : ApiFixture(admin => ApplyScriptsAsync(admin, "embedding.sql"));
