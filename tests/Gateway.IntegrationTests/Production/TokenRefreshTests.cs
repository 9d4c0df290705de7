using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Auth;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// Token refresh as the seed system's gateway did it: a refresh token header beside an access token close to its
/// expiry (or past it) gets a new pair from api.refresh_tokens, in X-New-Access-Token / X-New-Refresh-Token, and the
/// request runs with the new access token. Off by default; any failure lets the request go on as it was.
/// </summary>
public sealed class TokenRefreshTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Dictionary<string, string?> AlwaysDue = new()
    {
        ["Gateway:TokenRefresh:Enabled"] = "true",
        // The seed's example: two days, more than the one-hour access tokens, so every such request refreshes.
        ["Gateway:TokenRefresh:Threshold"] = "2.00:00:00",
    };

    [Fact]
    public async Task An_access_token_within_the_threshold_is_refreshed_and_the_new_pair_returned()
    {
        await using var gateway = Gateways.With(api, AlwaysDue);
        var client = await Gateways.ReadyClientAsync(gateway);
        var pair = await AuthApi.SignUpAsync(api, AuthApi.NewEmail());

        using var response = await WhoAmIAsync(client, pair.AccessToken, pair.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newAccess = Assert.Single(response.Headers.GetValues("X-New-Access-Token"));
        var newRefresh = Assert.Single(response.Headers.GetValues("X-New-Refresh-Token"));
        using var withNewAccess = await WhoAmIAsync(client, newAccess, refreshToken: null);
        Assert.Equal(HttpStatusCode.OK, withNewAccess.StatusCode);
        Assert.Equal("access", new JsonWebToken(newAccess).GetPayloadValue<string>("token_use"));
        Assert.Equal("refresh", new JsonWebToken(newRefresh).GetPayloadValue<string>("token_use"));
    }

    [Fact]
    public async Task An_expired_access_token_with_a_valid_refresh_token_is_replaced_and_the_request_succeeds()
    {
        await using var gateway = Gateways.With(api, AlwaysDue);
        var client = await Gateways.ReadyClientAsync(gateway);
        var email = AuthApi.NewEmail();
        var pair = await AuthApi.SignUpAsync(api, email);
        var expired = ExpiredAccessToken(await AuthApi.AccountIdOfAsync(api, email));

        using var refreshed = await WhoAmIAsync(client, expired, pair.RefreshToken);
        using var notRefreshed = await WhoAmIAsync(client, expired, refreshToken: null);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var body = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        Assert.Equal("authenticated", body.RootElement.GetProperty("role").GetString());
        Assert.True(refreshed.Headers.Contains("X-New-Access-Token"));
        Assert.Equal(HttpStatusCode.Unauthorized, notRefreshed.StatusCode);
    }

    [Fact]
    public async Task With_rate_limits_on_the_request_runs_with_the_refreshed_token_the_limiter_did_not_see()
    {
        // The limiter authenticates first, with the expired token; the request must then be judged by the new one.
        var settings = new Dictionary<string, string?>(AlwaysDue);
        foreach (var (key, value) in RateLimitTests.Limit("anon", 100).Concat(RateLimitTests.Limit("authenticated", 100)))
        {
            settings[key] = value;
        }

        await using var gateway = Gateways.With(api, settings);
        var client = await Gateways.ReadyClientAsync(gateway);
        var email = AuthApi.NewEmail();
        var pair = await AuthApi.SignUpAsync(api, email);
        var accountId = await AuthApi.AccountIdOfAsync(api, email);

        using var response = await WhoAmIAsync(client, ExpiredAccessToken(accountId), pair.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("authenticated", body.RootElement.GetProperty("role").GetString());
        Assert.True(response.Headers.Contains("X-New-Access-Token"));
    }

    [Fact]
    public async Task A_refused_refresh_token_falls_through_silently_to_the_401_of_the_expired_token()
    {
        await using var gateway = Gateways.With(api, AlwaysDue);
        var client = await Gateways.ReadyClientAsync(gateway);
        var email = AuthApi.NewEmail();
        var pair = await AuthApi.SignUpAsync(api, email);
        var expired = ExpiredAccessToken(await AuthApi.AccountIdOfAsync(api, email));

        // An access token is no refresh token: api.refresh_tokens refuses it (wrong_token_use).
        using var response = await WhoAmIAsync(client, expired, pair.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("X-New-Access-Token"));
        Assert.False(response.Headers.Contains("X-New-Refresh-Token"));
    }

    [Fact]
    public async Task An_access_token_far_from_expiry_is_not_refreshed()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:TokenRefresh:Enabled"] = "true" });
        var client = await Gateways.ReadyClientAsync(gateway);
        var pair = await AuthApi.SignUpAsync(api, AuthApi.NewEmail());

        using var response = await WhoAmIAsync(client, pair.AccessToken, pair.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-New-Access-Token"));
    }

    [Fact]
    public async Task Token_refresh_is_off_by_default()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:TokenRefresh:Threshold"] = "2.00:00:00" });
        var client = await Gateways.ReadyClientAsync(gateway);
        var pair = await AuthApi.SignUpAsync(api, AuthApi.NewEmail());

        using var response = await WhoAmIAsync(client, pair.AccessToken, pair.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-New-Access-Token"));
    }

    [Fact]
    public async Task The_header_names_are_configurable()
    {
        var settings = new Dictionary<string, string?>(AlwaysDue)
        {
            ["Gateway:TokenRefresh:RefreshTokenHeader"] = "X-Renew",
            ["Gateway:TokenRefresh:NewAccessTokenHeader"] = "X-Access",
            ["Gateway:TokenRefresh:NewRefreshTokenHeader"] = "X-Refresh",
        };
        await using var gateway = Gateways.With(api, settings);
        var client = await Gateways.ReadyClientAsync(gateway);
        var pair = await AuthApi.SignUpAsync(api, AuthApi.NewEmail());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rpc/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pair.AccessToken);
        request.Headers.Add("X-Renew", pair.RefreshToken);

        using var response = await client.SendAsync(request);

        Assert.True(response.Headers.Contains("X-Access"));
        Assert.True(response.Headers.Contains("X-Refresh"));
    }

    private static Task<HttpResponseMessage> WhoAmIAsync(HttpClient client, string accessToken, string? refreshToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/rpc/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (refreshToken is not null)
        {
            request.Headers.Add("X-Refresh-Token", refreshToken);
        }

        return client.SendAsync(request);
    }

    /// <summary>An access token as the SQL functions mint them, expired an hour ago (well past the 30 s of clock skew).</summary>
    private string ExpiredAccessToken(long accountId) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object>
        {
            ["sub"] = accountId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["role"] = "authenticated",
            ["token_use"] = "access",
        },
        IssuedAt = DateTime.UtcNow.AddHours(-2),
        NotBefore = DateTime.UtcNow.AddHours(-2),
        Expires = DateTime.UtcNow.AddHours(-1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(api.JwtSecret)), SecurityAlgorithms.HmacSha256),
    });
}
