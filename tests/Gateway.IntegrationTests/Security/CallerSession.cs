using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Security;

/// <summary>The roles whose privileges the security tests pin, by the names PostgreSQL knows them by.</summary>
public static class Callers
{
    public const string Anon = "anon";
    public const string Authenticated = "authenticated";
    public const string Authenticator = "authenticator";
    public const string Worker = "worker_service_user";

    public static readonly IReadOnlyList<string> All = [Anon, Authenticated, Authenticator, Worker];

    /// <summary>The account id in the <c>sub</c> claim of an <see cref="Authenticated"/> caller that needs no real account.</summary>
    public const long SomeAccountId = 1;
}

/// <summary>
/// A transaction as one caller, reached the way production reaches it: anon and authenticated through the real
/// <c>authenticator</c> login switched role as the gateway does, authenticator logged in without switching, and
/// the worker through its own login. Disposing it rolls back.
/// </summary>
public static class CallerSession
{
    public static async Task<RequestSession> BeginAsync(MigratedDatabase database, string caller) => caller switch
    {
        Callers.Anon => await RequestSession.AnonAsync(database),
        Callers.Authenticated => await RequestSession.AuthenticatedAsync(database, Callers.SomeAccountId),
        Callers.Authenticator => await RequestSession.WithoutSwitchingAsync(await database.OpenAuthenticatorAsync()),
        Callers.Worker => await RequestSession.WithoutSwitchingAsync(await database.OpenWorkerAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "not one of the callers the security tests know"),
    };
}
