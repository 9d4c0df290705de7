using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>The gateway's start-up in part: a valid login and secret, the given settings, and only the wiring a test asks for.</summary>
internal static class GatewayApps
{
    public static WebApplication Build(IEnumerable<(string Key, string Value)> settings, Action<WebApplicationBuilder> wire)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = "Host=db;Username=authenticator",
            ["Gateway:Jwt:Secret"] = new string('k', 32),
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)));
        wire(builder);
        return builder.Build();
    }
}
