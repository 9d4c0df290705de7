using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Tests.Auth.TestAuth;

namespace Gateway.Tests.Auth;

/// <summary>
/// The JwtBearer registration inside a host of its own, as an app that adds middleware or endpoints would use it:
/// <c>HttpContext.User</c> is the caller, and <c>RequireAuthorization()</c> answers in PostgREST's shape.
/// </summary>
public sealed class JwtBearerHostTests
{
    [Fact]
    public async Task A_host_middleware_sees_the_caller_in_HttpContext_User()
    {
        await using var app = await StartAsync(host =>
        {
            host.UseAuthentication();
            host.Run(context =>
            {
                var user = context.User;
                return context.Response.WriteAsync(
                    $"{user.Identity?.IsAuthenticated} {user.Identity?.Name} {user.FindFirst("sub")?.Value} {user.FindFirst("token_use")?.Value} {user.IsInRole("authenticated")}");
            });
        });

        using var response = await SendAsync(app, "Bearer " + Hs256(AccessClaims()));

        Assert.Equal("True 42 42 access True", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_role_claim_of_the_user_is_the_role_the_request_runs_as()
    {
        await using var app = await StartAsync(
            host =>
            {
                host.UseAuthentication();
                host.Run(context => context.Response.WriteAsync(string.Join(',', context.User.FindAll("role").Select(role => role.Value))));
            },
            new() { ["Gateway:Jwt:RoleClaim"] = "app.role" });
        var claims = AccessClaims();
        claims["role"] = "postgres";
        claims["app"] = new System.Text.Json.Nodes.JsonObject { ["role"] = "authenticated" };

        using var response = await SendAsync(app, "Bearer " + Hs256(claims));

        Assert.Equal("authenticated", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_without_a_token_has_no_authenticated_user()
    {
        await using var app = await StartAsync(host =>
        {
            host.UseAuthentication();
            host.Run(context => context.Response.WriteAsync($"{context.User.Identity?.IsAuthenticated}"));
        });

        using var response = await SendAsync(app, authorization: null);

        Assert.Equal("False", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_endpoint_requiring_authorization_admits_a_valid_token()
    {
        await using var app = await StartAsync(WithSecuredEndpoint);

        using var response = await SendAsync(app, "Bearer " + Hs256(AccessClaims()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("42", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_endpoint_requiring_authorization_answers_a_refused_token_with_postgrests_401()
    {
        await using var app = await StartAsync(WithSecuredEndpoint);
        var claims = AccessClaims();
        claims["role"] = "postgres";

        using var response = await SendAsync(app, "Bearer " + Hs256(claims));

        await AssertErrorAsync(response, "PGRST303", "JWT role 'postgres' is not allowed");
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"JWT role 'postgres' is not allowed\"",
            Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task An_endpoint_requiring_authorization_answers_an_empty_token_with_401_pgrst301()
    {
        await using var app = await StartAsync(WithSecuredEndpoint);

        using var response = await SendAsync(app, "Bearer ");

        await AssertErrorAsync(response, "PGRST301", "Empty JWT is sent in Authorization header");
    }

    [Fact]
    public async Task An_endpoint_requiring_authorization_answers_no_token_with_401_pgrst302()
    {
        await using var app = await StartAsync(WithSecuredEndpoint);

        using var response = await SendAsync(app, authorization: null);

        await AssertErrorAsync(response, "PGRST302", "Anonymous access is disabled");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task An_endpoint_whose_policy_refuses_a_valid_token_answers_403_in_postgrests_shape()
    {
        await using var app = await StartAsync(host =>
        {
            host.UseAuthentication();
            host.UseAuthorization();
            host.MapGet("/", () => "admitted").RequireAuthorization(policy => policy.RequireClaim("scope", "admin"));
        });

        using var response = await SendAsync(app, "Bearer " + Hs256(AccessClaims()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(("42501", "Permission denied"), (body.RootElement.GetProperty("code").GetString(), body.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_token_seen_before_authenticates_to_the_same_user_and_ticket_as_the_first_time()
    {
        await using var app = await StartAsync(host =>
        {
            host.UseAuthentication();
            host.Run(context => context.Response.WriteAsync(Describe(context)));
        });
        var token = "Bearer " + Hs256(AccessClaims());

        // The first request verifies the token the whole way and caches it; the second is answered from the cache.
        using var first = await SendAsync(app, token);
        using var second = await SendAsync(app, token);

        var described = await first.Content.ReadAsStringAsync();
        Assert.StartsWith("True GatewayIdentity ", described, StringComparison.Ordinal);
        Assert.Contains(
            $" 42 True Bearer expires {DateTimeOffset.FromUnixTimeSeconds(NowSeconds + 3600):O} issued {DateTimeOffset.FromUnixTimeSeconds(NowSeconds):O} claims sub=42;",
            described,
            StringComparison.Ordinal);
        Assert.Equal(described, await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_hosts_own_bearer_events_see_every_request_even_with_a_token_seen_before()
    {
        await using var app = await StartAsync(
            host =>
            {
                host.UseAuthentication();
                host.Run(context => context.Response.WriteAsync(string.Join(',', context.User.FindAll("seen_by_host").Select(claim => claim.Value))));
            },
            services: services => services.AddSingleton<CountingEvents>().PostConfigure<JwtBearerOptions>(
                JwtBearerDefaults.AuthenticationScheme, bearer => bearer.EventsType = typeof(CountingEvents)));
        var token = "Bearer " + Hs256(AccessClaims());

        using var first = await SendAsync(app, token);
        using var second = await SendAsync(app, token);

        Assert.Equal("1", await first.Content.ReadAsStringAsync());
        Assert.Equal("2", await second.Content.ReadAsStringAsync());
    }

    // The user, its identity and the ticket's times, as a host would see them after UseAuthentication.
    private static string Describe(HttpContext context)
    {
        var user = context.User;
        var identity = user.Identity as System.Security.Claims.ClaimsIdentity;
        var result = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        var claims = string.Join(';', user.Claims.Select(claim => $"{claim.Type}={claim.Value}"));
        return $"{identity?.IsAuthenticated} {identity?.GetType().Name} {identity?.AuthenticationType} {identity?.Name} {user.IsInRole("authenticated")} "
            + $"{result?.Ticket?.AuthenticationScheme} expires {result?.Properties?.ExpiresUtc:O} issued {result?.Properties?.IssuedUtc:O} claims {claims}";
    }

    /// <summary>A host's own events in place of the gateway's: each validated token gets a claim counting the validations.</summary>
    private sealed class CountingEvents : JwtBearerEvents
    {
        private int validated;

        public override Task TokenValidated(TokenValidatedContext context)
        {
            var count = Interlocked.Increment(ref validated);
            ((System.Security.Claims.ClaimsIdentity)context.Principal!.Identity!).AddClaim(new("seen_by_host", count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_rewritten_authorization_header_is_authenticated_again()
    {
        var refreshed = Hs256(AccessClaims());
        await using var app = await StartAsync(host =>
        {
            // As the rate limiter and token refresh do: authenticate, then replace the token.
            host.Use(async (context, next) =>
            {
                await context.AuthenticateAsync();
                context.Request.Headers.Authorization = "Bearer " + refreshed;
                await next(context);
            });
            host.UseAuthentication();
            host.Run(context => context.Response.WriteAsync($"{context.User.FindFirst("sub")?.Value}"));
        });
        var expired = AccessClaims();
        expired["exp"] = NowSeconds - 3600;

        using var response = await SendAsync(app, "Bearer " + Hs256(expired));

        Assert.Equal("42", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_whose_kid_is_unknown_is_accepted_once_the_keys_are_refreshed()
    {
        const string jwksUrl = "https://keys.example/jwks.json";
        using var current = TestKey.Rsa("k1");
        using var rotated = TestKey.Rsa("k-new");
        var documents = new StubDocuments { [jwksUrl] = TestKey.Jwks(current) };
        await using var app = await StartAsync(
            WithSecuredEndpoint,
            new() { ["Gateway:Jwt:Secret"] = null, ["Gateway:Jwt:JwksUrl"] = jwksUrl },
            services => services.AddSingleton<IDocumentRetriever>(documents));
        using (var known = await SendAsync(app, "Bearer " + Sign(AccessClaims(), current.Credentials)))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }

        documents[jwksUrl] = TestKey.Jwks(current, rotated);
        var token = Sign(AccessClaims(), rotated.Credentials);
        var response = await SendAsync(app, "Bearer " + token);
        for (var attempt = 0; response.StatusCode != HttpStatusCode.OK && attempt < 200; attempt++)
        {
            response.Dispose();
            await Task.Delay(50);
            response = await SendAsync(app, "Bearer " + token);
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, documents.Fetches);
    }

    [Fact]
    public async Task An_authority_s_keys_come_through_jwtbearer_s_own_discovery_with_the_gateway_s_client()
    {
        const string authority = "https://issuer.example/tenant";
        using var key = TestKey.Rsa("k1");
        await using var issuer = await StartKeyServerAsync(authority, key);
        await using var app = await StartAsync(
            WithSecuredEndpoint,
            new() { ["Gateway:Jwt:Secret"] = null, ["Gateway:Jwt:Authority"] = authority },
            services => services.AddHttpClient("Gateway.Auth.Jwks").ConfigurePrimaryHttpMessageHandler(() => issuer.GetTestServer().CreateHandler()));
        var claims = AccessClaims();

        claims["iss"] = authority;
        using var trusted = await SendAsync(app, "Bearer " + Sign(claims, key.Credentials));
        claims["iss"] = "https://evil.example/";
        using var untrusted = await SendAsync(app, "Bearer " + Sign(claims, key.Credentials));

        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        await AssertErrorAsync(untrusted, "PGRST303", "JWT issuer is not trusted");
    }

    [Fact]
    public async Task A_fault_in_token_validation_is_a_401_and_an_error_in_the_log()
    {
        var log = new ListLogger();
        await using var app = await StartAsync(
            WithSecuredEndpoint,
            services: services =>
            {
                services.AddSingleton<ILoggerProvider>(log);
                services.PostConfigure<JwtBearerOptions>(Authenticator.Scheme, bearer =>
                {
                    bearer.TokenHandlers.Clear();
                    bearer.TokenHandlers.Add(new FaultyTokenHandler());
                });
            });

        using var response = await SendAsync(app, "Bearer " + Hs256(AccessClaims()));

        await AssertErrorAsync(response, "PGRST301", "JWT cryptographic operation failed");
        Assert.Contains((LogLevel.Error, 1103), log.Entries);
    }

    private sealed class FaultyTokenHandler : TokenHandler
    {
        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters) =>
            throw new InvalidOperationException("a bug");
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentBag<(LogLevel, int)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId.Id));

        public void Dispose()
        {
        }
    }

    /// <summary>An OpenID Connect issuer serving its discovery document and its keys.</summary>
    private static async Task<WebApplication> StartKeyServerAsync(string authority, TestKey key)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var keys = builder.Build();
        var path = new Uri(authority).AbsolutePath;
        keys.MapGet(path + "/.well-known/openid-configuration", () => Results.Text(
            $$"""{"issuer": "{{authority}}", "jwks_uri": "{{authority}}/keys"}""", "application/json"));
        keys.MapGet(path + "/keys", () => Results.Text(TestKey.Jwks(key), "application/json"));
        await keys.StartAsync();
        return keys;
    }

    private static void WithSecuredEndpoint(WebApplication host)
    {
        host.UseAuthentication();
        host.UseAuthorization();
        host.MapGet("/", (HttpContext context) => context.User.FindFirst("sub")?.Value).RequireAuthorization();
    }

    private static async Task<WebApplication> StartAsync(
        Action<WebApplication> pipeline, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = "Host=db",
            ["Gateway:Jwt:Secret"] = Secret,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton<TimeProvider>(new TestClock(Now));
        builder.AddGatewayOptions();
        builder.AddGatewayAuth();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        pipeline(app);
        await app.StartAsync();
        return app;
    }

    private static Task<HttpResponseMessage> SendAsync(WebApplication app, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return app.GetTestClient().SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string code, string message)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((code, message), (body.RootElement.GetProperty("code").GetString(), body.RootElement.GetProperty("message").GetString()));
        Assert.True(body.RootElement.TryGetProperty("details", out _) && body.RootElement.TryGetProperty("hint", out _));
    }
}
