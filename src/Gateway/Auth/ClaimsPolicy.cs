using System.Buffers;
using System.Collections.Frozen;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gateway.Auth;

/// <summary>
/// What a verified token's claims must say before a request may run: audience, issuer, required claims and an
/// allowed role; and what the request then runs as, its claims as JSON for PostgreSQL and as .NET claims for
/// <c>HttpContext.User</c>. It never sees signatures or the clock (see <see cref="VerifiedToken"/>).
/// </summary>
internal sealed class ClaimsPolicy
{
    private const string RoleClaimName = "role";

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    // The claims go to PostgreSQL, not to HTML; escaping non-ASCII would only make them longer.
    private static readonly JsonWriterOptions ClaimsWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly string _anonRole;
    private readonly bool _allowAnonymous;
    private readonly RoleClaimPath _rolePath;
    private readonly FrozenSet<string> _allowedRoles;
    private readonly KeyValuePair<string, string>[] _requiredClaims;
    private readonly string? _audience;

    public ClaimsPolicy(GatewayOptions options)
    {
        _anonRole = options.AnonRole;
        _allowAnonymous = options.AllowAnonymous;
        _rolePath = RoleClaimPath.TryParse(options.Jwt.RoleClaim, out var path, out var problem)
            ? path
            : throw new ArgumentException($"Gateway:Jwt:RoleClaim is invalid: {problem}", nameof(options));
        _allowedRoles = options.Jwt.EffectiveAllowedRoles.ToFrozenSet(StringComparer.Ordinal);
        _requiredClaims = [.. options.Jwt.RequiredClaims.Where(claim => !string.IsNullOrEmpty(claim.Value))];
        _audience = string.IsNullOrEmpty(options.Jwt.Audience) ? null : options.Jwt.Audience;
        Anonymous = _allowAnonymous
            ? new AuthContext(_anonRole, ClaimsOf(_anonRole), IsAnonymous: true)
            : AuthErrors.AnonymousDisabled;
    }

    /// <summary>What a request without a token runs as, or 401 PGRST302 when anonymous access is off.</summary>
    public Result<AuthContext> Anonymous { get; }

    /// <summary>Judges a verified token's payload; <paramref name="trustedIssuer"/>, when given, must equal its <c>iss</c>.</summary>
    public VerifiedToken Inspect(byte[] payloadUtf8, string? trustedIssuer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payloadUtf8, StrictJson);
        }
        catch (JsonException)
        {
            return Refused(AuthErrors.ClaimsNotObject);
        }

        using (document)
        {
            var claims = document.RootElement;
            if (claims.ValueKind != JsonValueKind.Object)
            {
                return Refused(AuthErrors.ClaimsNotObject);
            }

            var verdict = Judge(claims, trustedIssuer);
            var issuer = StringClaimOf(claims, "iss");
            return new VerifiedToken(
                TimeClaimOf(claims, "exp"),
                TimeClaimOf(claims, "nbf"),
                TimeClaimOf(claims, "iat"),
                verdict,
                verdict.IsOk ? ClaimsOf(claims, verdict.Value.Role, issuer ?? ClaimsIdentity.DefaultIssuer) : null,
                issuer,
                StringClaimOf(claims, "jti"));
        }
    }

    private Result<AuthContext> Judge(JsonElement claims, string? trustedIssuer)
    {
        if (AudienceError(claims) is { } audienceError)
        {
            return audienceError;
        }

        if (trustedIssuer is not null
            && !(claims.TryGetProperty("iss", out var issuer) && issuer.ValueKind == JsonValueKind.String && issuer.ValueEquals(trustedIssuer)))
        {
            return AuthErrors.IssuerNotTrusted;
        }

        foreach (var (name, value) in _requiredClaims)
        {
            if (!claims.TryGetProperty(name, out var claim))
            {
                return AuthErrors.RequiredClaimMissing(name);
            }

            if (!HasValue(claim, value))
            {
                return AuthErrors.RequiredClaimMismatch(name, value);
            }
        }

        string role;
        if (_rolePath.TryFind(claims, out var roleClaim))
        {
            // PostgREST uses a string as-is and JSON-encodes anything else, which no allow-list will contain.
            role = roleClaim.ValueKind == JsonValueKind.String ? roleClaim.GetString()! : roleClaim.GetRawText();
            if (!_allowedRoles.Contains(role))
            {
                return AuthErrors.RoleNotAllowed(role);
            }
        }
        else if (_allowAnonymous)
        {
            role = _anonRole;
        }
        else
        {
            return AuthErrors.AnonymousDisabled;
        }

        return new AuthContext(role, WithRole(claims, role), IsAnonymous: role == _anonRole);
    }

    /// <summary>PostgREST's rule: a missing, null or empty <c>aud</c> passes; otherwise it must contain the configured audience.</summary>
    private GatewayError? AudienceError(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var audience))
        {
            return null;
        }

        switch (audience.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return _audience is null || audience.ValueEquals(_audience) ? null : AuthErrors.NotInAudience;
            case JsonValueKind.Array:
                var found = _audience is null || audience.GetArrayLength() == 0;
                foreach (var item in audience.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return AuthErrors.AudienceNotStringOrArray;
                    }

                    found |= _audience is not null && item.ValueEquals(_audience);
                }

                return found ? null : AuthErrors.NotInAudience;
            default:
                return AuthErrors.AudienceNotStringOrArray;
        }
    }

    private static bool HasValue(JsonElement claim, string value) => claim.ValueKind switch
    {
        JsonValueKind.String => claim.ValueEquals(value),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => claim.GetRawText() == value,
        _ => false,
    };

    private static TimeClaim TimeClaimOf(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var claim) || claim.ValueKind == JsonValueKind.Null)
        {
            return TimeClaim.Absent;
        }

        if (claim.ValueKind != JsonValueKind.Number)
        {
            return new TimeClaim(TimeClaimKind.NotNumber, 0);
        }

        if (claim.TryGetInt64(out var seconds))
        {
            return new TimeClaim(TimeClaimKind.Number, seconds);
        }

        // Fractions and numbers beyond long: floor, then saturate.
        var value = Math.Floor(claim.GetDouble());
        return new TimeClaim(TimeClaimKind.Number, value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value);
    }

    private static string? StringClaimOf(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var claim) && claim.ValueKind == JsonValueKind.String ? claim.GetString() : null;

    /// <summary>
    /// The claims as .NET claims with their names as the token has them (no inbound mapping), one per item of an array,
    /// as Microsoft.IdentityModel makes them; <c>role</c> is the role the request runs as.
    /// </summary>
    private static Claim[] ClaimsOf(JsonElement claims, string role, string issuer)
    {
        var list = new List<Claim>();
        foreach (var claim in claims.EnumerateObject())
        {
            if (claim.NameEquals(RoleClaimName))
            {
                continue;
            }

            if (claim.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in claim.Value.EnumerateArray())
                {
                    AddClaim(list, claim.Name, item, issuer);
                }
            }
            else
            {
                AddClaim(list, claim.Name, claim.Value, issuer);
            }
        }

        list.Add(new Claim(RoleClaimName, role, ClaimValueTypes.String, issuer));
        return [.. list];
    }

    private static void AddClaim(List<Claim> claims, string name, JsonElement value, string issuer)
    {
        var (text, type) = value.ValueKind switch
        {
            JsonValueKind.String => (value.GetString()!, ClaimValueTypes.String),
            JsonValueKind.Number => (value.GetRawText(), value.TryGetInt64(out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double),
            JsonValueKind.True or JsonValueKind.False => (value.GetRawText(), ClaimValueTypes.Boolean),
            JsonValueKind.Object => (value.GetRawText(), JsonClaimValueTypes.Json),
            JsonValueKind.Array => (value.GetRawText(), JsonClaimValueTypes.JsonArray),
            _ => ((string?)null, (string?)null),
        };
        if (text is not null)
        {
            claims.Add(new Claim(name, text, type, issuer));
        }
    }

    /// <summary>The claims as the token carries them, with <c>role</c> set to the role the request runs as (PostgREST does the same).</summary>
    private static string WithRole(JsonElement claims, string role)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ClaimsWriter))
        {
            writer.WriteStartObject();
            foreach (var claim in claims.EnumerateObject())
            {
                if (!claim.NameEquals(RoleClaimName))
                {
                    claim.WriteTo(writer);
                }
            }

            writer.WriteString(RoleClaimName, role);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ClaimsOf(string role)
    {
        using var document = JsonDocument.Parse("{}");
        return WithRole(document.RootElement, role);
    }

    private static VerifiedToken Refused(GatewayError error) =>
        new(TimeClaim.Absent, TimeClaim.Absent, TimeClaim.Absent, error);
}
