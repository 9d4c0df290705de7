using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.IntegrationTests.Auth;

/// <summary>
/// The other side of the tokens minted in SQL: checked, read and forged with Microsoft.IdentityModel, the library
/// a .NET consumer of these tokens would use, so the tests do not trust the database to check itself.
/// </summary>
internal static class Jwt
{
    /// <summary>A secret as strong as the configured one, but not it.</summary>
    public static string OtherSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(48)).ToLowerInvariant();

    /// <summary>Checks signature (HS256 only) and lifetime with no clock skew; no issuer or audience is issued.</summary>
    public static Task<TokenValidationResult> ValidateAsync(string token, string secret) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = KeyOf(secret),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuerSigningKey = true,
            ValidateLifetime = true,
            ValidateIssuer = false,
            ValidateAudience = false,
            ClockSkew = TimeSpan.Zero,
        });

    /// <summary>The decoded header, as the JSON the token carries (untrusted: no signature check).</summary>
    public static JsonElement HeaderOf(string token) => DecodePart(token.Split('.')[0]);

    /// <summary>The decoded claims, as the JSON the token carries (untrusted: no signature check).</summary>
    public static JsonElement PayloadOf(string token) => DecodePart(token.Split('.')[1]);

    /// <summary>An HS256 token with exactly these claims, signed with <paramref name="secret"/>.</summary>
    public static string Mint(string secret, IDictionary<string, object> claims) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(KeyOf(secret), SecurityAlgorithms.HmacSha256),
        });

    /// <summary>The claims api.signup puts in a refresh token, with <paramref name="lifetime"/> counted from now.</summary>
    public static Dictionary<string, object> RefreshClaims(long accountId, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["sub"] = accountId.ToString(CultureInfo.InvariantCulture),
            ["role"] = "authenticated",
            ["token_use"] = "refresh",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        };
    }

    /// <summary>The token with its claims edited but its header and signature kept, as an attacker would try.</summary>
    public static string WithEditedPayload(string token, Action<JsonObject> edit)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        edit(payload);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with these claims.</summary>
    public static string Unsigned(IDictionary<string, object> claims) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims))}.";

    private static SymmetricSecurityKey KeyOf(string secret) => new(Encoding.UTF8.GetBytes(secret));

    private static JsonElement DecodePart(string part)
    {
        using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(part));
        return document.RootElement.Clone();
    }
}
