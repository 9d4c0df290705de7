using System.Net;
using System.Net.Http.Headers;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// ASP.NET Core's authorization applies to the api endpoint too: a host's fallback policy, set in the options or made
/// up by its own policy provider, applies to it as to every other endpoint. Without one, api requests skip the
/// authorization middleware (<c>ApiEndpoint.UseGatewayAuthorization</c>); these guard that shortcut.
/// </summary>
public sealed class HostAuthorizationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_hosts_fallback_policy_applies_to_the_api_as_to_the_gateways_other_endpoints()
    {
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())));
        var signedIn = factory.CreateClient();
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(1));
        await ApiFixture.WaitUntilReadyAsync(signedIn);
        var anonymous = factory.CreateClient();

        using var refused = await anonymous.GetAsync("/items?id=eq.1");
        using var refusedCall = await anonymous.GetAsync("/rpc/add?a=1&b=2");
        using var refusedHealth = await anonymous.GetAsync("/health/ready");
        using var admitted = await signedIn.GetAsync("/items?id=eq.1");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("PGRST302", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedCall.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedHealth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task A_hosts_own_policy_providers_fallback_applies_to_the_api()
    {
        await using var factory = api.Factory.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<IAuthorizationPolicyProvider, SignedInByDefault>()));
        var signedIn = factory.CreateClient();
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(1));
        await ApiFixture.WaitUntilReadyAsync(signedIn);

        using var refused = await factory.CreateClient().GetAsync("/items?id=eq.1");
        using var admitted = await signedIn.GetAsync("/items?id=eq.1");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("PGRST302", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task Without_a_fallback_policy_an_anonymous_caller_reaches_the_api()
    {
        using var response = await api.Anon().GetAsync("/items?id=eq.1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("[", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A host's policy provider whose fallback, made up here rather than set in the options, wants a signed-in caller.</summary>
    private sealed class SignedInByDefault(IOptions<AuthorizationOptions> options) : IAuthorizationPolicyProvider
    {
        private readonly DefaultAuthorizationPolicyProvider named = new(options);

        public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName) => named.GetPolicyAsync(policyName);

        public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => named.GetDefaultPolicyAsync();

        public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() =>
            Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
