using System.Text.Json;
using Gateway.Auth;
using Gateway.Catalog;
using Gateway.Configuration;
using Gateway.Pipeline;
using Gateway.Requests;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gateway.TokenRefresh;

/// <summary>A new access token and refresh token, as the refresh function returned them.</summary>
internal sealed record TokenPair(string AccessToken, string RefreshToken)
{
    // Never print the tokens, wherever a pair ends up.
    public override string ToString() => nameof(TokenPair);
}

/// <summary>
/// Decides whether a request's access token is due for a refresh, and refreshes it by calling the configured
/// function of the exposed schema (<c>refresh_tokens</c>) as the anon role, through the same planner and
/// one pipeline as a <c>POST /rpc/refresh_tokens</c> would use. Only a token whose signature verifies
/// is considered, and the refresh token itself is judged by the function. Never throws for a refusal: the request
/// then goes on with the token it had.
/// </summary>
internal sealed class TokenRefresher(
    Authenticator authenticator,
    CatalogStore catalogStore,
    ApiPipeline pipeline,
    IOptions<GatewayOptions> options,
    TimeProvider time)
{
    private readonly TokenRefreshSettings settings = options.Value.TokenRefresh;
    // The refresh token authenticates the call, so it runs as the anon role even when anonymous requests are refused.
    private readonly AuthContext anon = new(options.Value.AnonRole, JsonSerializer.Serialize(new Dictionary<string, string> { ["role"] = options.Value.AnonRole }), IsAnonymous: true);

    /// <summary>The new pair; or null and why not (no secrets in the reason).</summary>
    public async Task<(TokenPair? Pair, string? Reason)> TryRefreshAsync(string authorization, string refreshToken, CancellationToken cancellationToken)
    {
        if (!BearerToken.TryFind(authorization, out var bearer) || bearer.IsEmpty)
        {
            return (null, null);
        }

        var token = bearer.ToString();
        var verdict = await authenticator.AuthenticateAsync(authorization, cancellationToken);
        var expired = !verdict.IsOk && ReferenceEquals(verdict.Error, AuthErrors.Expired);
        if (!verdict.IsOk && !expired)
        {
            return (null, null);
        }

        if (!expired && !IsDue(token))
        {
            return (null, null);
        }

        return await CallAsync(refreshToken, cancellationToken);
    }

    /// <summary>Due when the token expires within the threshold; a token without <c>exp</c> never is.</summary>
    private bool IsDue(string token)
    {
        var expires = new JsonWebToken(token).ValidTo;
        return expires != DateTime.MinValue && expires - time.GetUtcNow().UtcDateTime <= settings.Threshold;
    }

    private async Task<(TokenPair?, string?)> CallAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (catalogStore.Current is not { } catalog)
        {
            return (null, "the catalog is not loaded");
        }

        var path = "/rpc/" + settings.Function;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
        var parsed = ApiRequestParser.Parse("POST", path, null, headers);
        if (!parsed.IsOk)
        {
            return (null, parsed.Error.Code);
        }

        var body = new JsonPayload(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["refresh_token"] = refreshToken }));
        var caller = new Caller(anon, "POST", path, "{}", "{}");
        var ran = await pipeline.RunAsync(parsed.Value, body, catalog, caller, timing: null, cancellationToken);
        if (!ran.IsOk)
        {
            // The function's hint (token_invalid, wrong_token_use, ...) names the reason without quoting the token.
            return (null, ran.Error.Hint is { Length: > 0 } hint ? $"{ran.Error.Code} {hint}" : ran.Error.Code);
        }

        await using var executed = ran.Value.Executed;
        var text = executed.Result.Body is { } answer ? await answer.ReadTextAsync(cancellationToken) : null;
        return PairOf(text) is { } pair ? (pair, null) : (null, "the function returned no access_token and refresh_token");
    }

    private static TokenPair? PairOf(string? body)
    {
        if (body is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("access_token", out var access) && access.ValueKind == JsonValueKind.String
                && root.TryGetProperty("refresh_token", out var refresh) && refresh.ValueKind == JsonValueKind.String
                ? new TokenPair(access.GetString()!, refresh.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
