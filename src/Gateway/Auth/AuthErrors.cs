using System.Globalization;
using Gateway.Errors;

namespace Gateway.Auth;

/// <summary>
/// The errors Auth returns, with PostgREST's codes and messages (Error.hs): 301 the token cannot be decoded or
/// verified, 302 anonymous access is disabled, 303 the claims are refused, 300 the server cannot verify tokens.
/// Every 401 names the <c>WWW-Authenticate</c> challenge RFC 6750 asks for.
/// </summary>
internal static class AuthErrors
{
    public const string DecodeCode = "PGRST301";
    public const string AnonymousDisabledCode = "PGRST302";
    public const string ClaimsCode = "PGRST303";
    public const string NoKeysCode = "PGRST300";

    public const string WwwAuthenticate = "WWW-Authenticate";

    private const string NoKeyDecodes = "None of the keys was able to decode the JWT";

    public static readonly GatewayError EmptyToken = Decode("Empty JWT is sent in Authorization header");

    public static readonly GatewayError SignatureInvalid = Decode("No suitable key or wrong key type", NoKeyDecodes);

    public static readonly GatewayError AlgorithmNotAccepted =
        Decode("No suitable key or wrong key type", "No configured key accepts the JWT's 'alg'");

    public static readonly GatewayError Unsecured =
        Decode("Wrong or unsupported encoding algorithm", "JWT is unsecured but expected 'alg' was not 'none'");

    public static readonly GatewayError UnsupportedAlgorithm =
        Decode("Wrong or unsupported encoding algorithm", "The JWT's 'alg' is not a supported signing algorithm");

    public static readonly GatewayError Malformed =
        Decode("JWT cryptographic operation failed", "The JWT's header or claims could not be decoded");

    public static readonly GatewayError CryptographyFailed = Decode("JWT cryptographic operation failed");

    public static readonly GatewayError Expired = Claims("JWT expired");

    public static readonly GatewayError NotYetValid = Claims("JWT not yet valid");

    public static readonly GatewayError IssuedInFuture = Claims("JWT issued at future");

    public static readonly GatewayError NotInAudience = Claims("JWT not in audience");

    public static readonly GatewayError AudienceNotStringOrArray = Claims("The JWT 'aud' claim must be a string or an array of strings");

    public static readonly GatewayError IssuerNotTrusted = Claims("JWT issuer is not trusted");

    public static readonly GatewayError ClaimsNotObject = Claims("Parsing claims failed");

    public static readonly GatewayError ExpNotNumber = Claims("The JWT 'exp' claim must be a number");

    public static readonly GatewayError NbfNotNumber = Claims("The JWT 'nbf' claim must be a number");

    public static readonly GatewayError IatNotNumber = Claims("The JWT 'iat' claim must be a number");

    public static readonly GatewayError AnonymousDisabled = new(
        StatusCodes.Status401Unauthorized,
        AnonymousDisabledCode,
        "Anonymous access is disabled",
        Headers: new Dictionary<string, string> { [WwwAuthenticate] = "Bearer" });

    /// <summary>A host endpoint's authorization policy refused a caller whose token is valid.</summary>
    public static readonly GatewayError PolicyRefused = new(
        StatusCodes.Status403Forbidden,
        "42501",
        "Permission denied",
        "The endpoint's authorization policy does not admit this caller",
        "Ask for a token whose claims the endpoint's policy requires");

    /// <summary>Keys from a JWKS could not be fetched; details stay generic, the log has the reason.</summary>
    public static readonly GatewayError KeysUnavailable = new(
        StatusCodes.Status500InternalServerError,
        NoKeysCode,
        "Server lacks JWT secret",
        "The signing keys could not be fetched");

    public static GatewayError RoleNotAllowed(string role) => Claims($"JWT role '{Shorten(role)}' is not allowed");

    public static GatewayError RequiredClaimMissing(string claim) => Claims($"JWT lacks the required claim '{claim}'");

    public static GatewayError RequiredClaimMismatch(string claim, string value) => Claims($"JWT claim '{claim}' must be '{value}'");

    public static GatewayError PartsCount(int parts) =>
        Decode(string.Create(CultureInfo.InvariantCulture, $"Expected 3 parts in JWT; got {parts}"));

    private static GatewayError Decode(string message, string? details = null) =>
        new(StatusCodes.Status401Unauthorized, DecodeCode, message, details, Headers: InvalidToken(message));

    private static GatewayError Claims(string message) =>
        new(StatusCodes.Status401Unauthorized, ClaimsCode, message, Headers: InvalidToken(message));

    private static Dictionary<string, string> InvalidToken(string message) =>
        new() { [WwwAuthenticate] = $"Bearer error=\"invalid_token\", error_description=\"{ClientText.QuotedStringContent(message)}\"" };

    /// <summary>Role names are at most 63 bytes in PostgreSQL; anything longer is cut so messages stay short.</summary>
    private static string Shorten(string role) => ClientText.Shorten(role, 64);
}
