using System.Security.Cryptography;
using System.Text;

namespace Gateway.Migrator;

/// <summary>
/// A PostgreSQL SCRAM-SHA-256 password verifier (<c>SCRAM-SHA-256$4096:salt$StoredKey:ServerKey</c>), so the
/// migrator sets role passwords without the plaintext ever reaching the server, its logs or an error context.
/// </summary>
public static class ScramVerifier
{
    private const int Iterations = 4096;

    /// <summary>
    /// The verifier, or the password unchanged when it is not plain ASCII: PostgreSQL normalizes such passwords
    /// with SASLprep, which this does not reproduce, and then hashes them itself.
    /// </summary>
    public static string For(string password)
    {
        if (!Ascii.IsValid(password))
        {
            return password;
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
