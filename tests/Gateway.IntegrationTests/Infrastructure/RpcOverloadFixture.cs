namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A migrated database plus <c>Api/embedding-fixture.sql</c> and <c>Api/rpc-overload-fixture.sql</c>: PostgREST's spec
/// functions for unknown functions and arguments, overloads and single unnamed parameters, and the real gateway in
/// memory. It leaves out <c>Api/fixture.sql</c>, whose own <c>api.overloaded</c> would add overloads to PostgREST's.
/// Use as an xUnit class fixture.
/// </summary>
public sealed class RpcOverloadFixture() : ApiFixture("embedding-fixture.sql", "rpc-overload-fixture.sql");
