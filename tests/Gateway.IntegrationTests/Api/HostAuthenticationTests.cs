using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// An api request without a bearer token skips ASP.NET Core's authentication middleware and the scheme's handler while
/// the gateway's scheme is the only way in (<c>ApiEndpoint.UseGatewayAuthentication</c>,
/// <c>Authenticator.OwnsScheme</c>). A host that adds its own way keeps it: events of its own that find a token
/// elsewhere, or a scheme that answers requests of its own (a sign-in callback). These guard that shortcut.
/// </summary>
public sealed class HostAuthenticationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_hosts_own_bearer_events_authenticate_an_api_call_whose_token_is_not_in_the_authorization_header()
    {
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services
            .AddSingleton<TokenInCookieEvents>()
            .PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer => bearer.EventsType = typeof(TokenInCookieEvents))));
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);
        client.DefaultRequestHeaders.Add("Cookie", "session=" + api.Token(7));

        using var withCookie = await client.GetAsync("/rpc/whoami");
        using var without = await factory.CreateClient().GetAsync("/rpc/whoami");

        var me = JsonNode.Parse(await withCookie.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Equal("authenticated", (string?)me["role"]);
        Assert.Equal("7", (string?)me["claims"]!["sub"]);
        Assert.Equal("anon", (string?)JsonNode.Parse(await without.Content.ReadAsStringAsync())!["role"]);
    }

    [Fact]
    public async Task A_hosts_scheme_that_handles_its_own_callback_path_still_answers_it()
    {
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services
            .AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, CallbackHandler>(CallbackHandler.Name, null)));
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);

        using var callback = await client.GetAsync(CallbackHandler.Path);
        using var call = await client.GetAsync("/rpc/whoami");

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal("signed in", await callback.Content.ReadAsStringAsync());
        Assert.Equal("anon", (string?)JsonNode.Parse(await call.Content.ReadAsStringAsync())!["role"]);
    }

    /// <summary>A host's events that take the token from a <c>session</c> cookie, as apps behind a browser often do.</summary>
    private sealed class TokenInCookieEvents : JwtBearerEvents
    {
        public override Task MessageReceived(MessageReceivedContext context)
        {
            context.Token = context.Request.Cookies["session"];
            return Task.CompletedTask;
        }
    }

    /// <summary>A remote sign-in's shape: a scheme that answers its callback path itself, before any endpoint.</summary>
    private sealed class CallbackHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder), IAuthenticationRequestHandler
    {
        public const string Name = "callback";
        public const string Path = "/signin-callback";

        public async Task<bool> HandleRequestAsync()
        {
            if (Request.Path != Path)
            {
                return false;
            }

            await Response.WriteAsync("signed in");
            return true;
        }

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
