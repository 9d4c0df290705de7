namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A migrated database plus <c>Api/embedding.sql</c> (views over private tables related in every way PostgREST
/// embeds: many-to-one, one-to-many, many-to-many, one-to-one, self-reference, two keys to one table, computed
/// relationships, a child under row-level security), and the real gateway in memory. Use as an xUnit class fixture.
/// </summary>
public sealed class EmbedFixture() : ApiFixture("embedding.sql");
