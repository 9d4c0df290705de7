using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Floor;

/// <summary>The caller of a request with a valid token: its <c>role</c> claim and the token's payload, as sent.</summary>
internal sealed record Caller(string Role, string ClaimsJson);

internal static class FloorAuth
{
    /// <summary>
    /// ASP.NET Core's JwtBearer scheme with the gateway's HS256 rules (the shared secret, 30 s of leeway, no issuer or
    /// audience, <c>exp</c> optional). A valid token leaves a <see cref="Caller"/> on the request.
    /// </summary>
    public static WebApplicationBuilder AddFloorAuth(this WebApplicationBuilder builder, string secret)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
        {
            bearer.MapInboundClaims = false;
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateIssuer = false,
                ValidateAudience = false,
                ClockSkew = TimeSpan.FromSeconds(30),
                RequireExpirationTime = false,
            };
            bearer.Events = new JwtBearerEvents { OnTokenValidated = KeepCaller };
        });
        return builder;
    }

    private static Task KeepCaller(TokenValidatedContext context)
    {
        if (context.SecurityToken is JsonWebToken token && token.TryGetPayloadValue<string>("role", out var role))
        {
            context.HttpContext.Features.Set(new Caller(role, Base64UrlEncoder.Decode(token.EncodedPayload)));
        }
        else
        {
            context.Fail("The token has no role claim.");
        }

        return Task.CompletedTask;
    }
}
