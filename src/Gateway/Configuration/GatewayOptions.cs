using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>
/// The gateway's settings (section <c>Gateway</c>, environment <c>Gateway__...</c>) and its database login
/// (<c>ConnectionStrings:Gateway</c>, the <c>authenticator</c> role). Validated at start-up: a bad or missing
/// value stops the process with one message naming every key to fix.
/// </summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";
    public const string ConnectionStringName = "Gateway";

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinimumJwtSecretBytes = 32;

    public string? ConnectionString { get; set; }

    public JwtOptions Jwt { get; set; } = new();

    internal sealed class JwtOptions
    {
        public string? Secret { get; set; }
    }
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("ConnectionStrings__Gateway is missing: the connection string of the authenticator login.");
        }

        if (string.IsNullOrEmpty(options.Jwt.Secret))
        {
            problems.Add("Gateway__Jwt__Secret is missing: the HS256 secret that signs and verifies JWTs.");
        }
        else if (Encoding.UTF8.GetByteCount(options.Jwt.Secret) < GatewayOptions.MinimumJwtSecretBytes)
        {
            problems.Add($"Gateway__Jwt__Secret is shorter than {GatewayOptions.MinimumJwtSecretBytes} bytes; HS256 needs at least 256 bits.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

internal static class GatewayOptionsExtensions
{
    public static WebApplicationBuilder AddGatewayOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .Bind(builder.Configuration.GetSection(GatewayOptions.Section))
            .PostConfigure<IConfiguration>((options, configuration) =>
                options.ConnectionString ??= configuration.GetConnectionString(GatewayOptions.ConnectionStringName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        return builder;
    }
}
