using System.Net;
using System.Net.Http.Headers;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// ASP.NET Core's authorization runs for the api endpoint too: a host's fallback policy applies to it as to every
/// other endpoint (a guard for any change that would skip the middleware there to save its per-request work).
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
    public async Task Without_a_fallback_policy_an_anonymous_caller_reaches_the_api()
    {
        using var response = await api.Anon().GetAsync("/items?id=eq.1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("[", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
