using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Gateway.Testing;

/// <summary>
/// The secrets the kit's migrations set on a test server: the passwords of the <c>authenticator</c> and
/// <c>worker_service_user</c> logins and the HS256 JWT secret. Roles are cluster-wide, so every test process using one
/// server must set the same passwords, or one process's migration would lock the others' logins out; they are
/// therefore derived (HMAC-SHA256) from the admin connection's host, port, user and password, never stored. Point the
/// kit only at a server whose <c>authenticator</c> serves tests: the kit resets its password.
/// </summary>
/// (A class, not a record: a record's ToString would print the secrets into test output.)
public sealed class GatewayTestSecrets
{
    private GatewayTestSecrets(string authenticatorPassword, string workerPassword, string jwtSecret)
    {
        AuthenticatorPassword = authenticatorPassword;
        WorkerPassword = workerPassword;
        JwtSecret = jwtSecret;
    }

    /// <summary>The password of the gateway's login, <c>authenticator</c>.</summary>
    public string AuthenticatorPassword { get; }

    /// <summary>The password of the queue worker's login, <c>worker_service_user</c>.</summary>
    public string WorkerPassword { get; }

    /// <summary>The HS256 secret the gateway verifies tokens with and the SQL auth functions sign with.</summary>
    public string JwtSecret { get; }

    /// <summary>The secrets for the server that <paramref name="adminConnectionString"/> names.</summary>
    public static GatewayTestSecrets For(string adminConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(adminConnectionString);
        var server = new NpgsqlConnectionStringBuilder(adminConnectionString);
        var key = Encoding.UTF8.GetBytes(string.Join('\n', server.Host, server.Port, server.Username, server.Password));
        // A quote in each password, so every run exercises the migrator's quoting of secrets.
        return new GatewayTestSecrets(
            "auth'" + Derive(key, "authenticator")[..24],
            "work\"" + Derive(key, "worker_service_user")[..24],
            Derive(key, "jwt"));
    }

    private static string Derive(byte[] key, string purpose) =>
        Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("gateway-testing:" + purpose))).ToLowerInvariant();
}
