using System.Security.Cryptography;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// The secrets of this test run. Roles are cluster-wide, so every database migrated in one run must set
/// the same passwords, or one fixture's migration would lock the others' logins out. Each run makes new ones;
/// the authenticator's contains a quote so the migrator's quoting is exercised on every run.
/// </summary>
internal static class TestSecrets
{
    public static readonly string AuthenticatorPassword = "auth'" + Token(12);
    public static readonly string WorkerPassword = "work\"" + Token(12);
    public static readonly string JwtSecret = Token(48);

    private static string Token(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();
}
