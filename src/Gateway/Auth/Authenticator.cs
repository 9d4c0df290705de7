using System.Security.Claims;
using Gateway.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// The Auth stage: turns a request's <c>Authorization</c> header into the <see cref="AuthContext"/> it runs as, or
/// the 401 that stops it, before any SQL runs. Authentication is ASP.NET Core's JwtBearer scheme
/// (<see cref="Scheme"/>), with <see cref="GatewayTokenHandler"/> as its token handler (HS256 with
/// <c>Gateway:Jwt:Secret</c>, RS/ES/PS with keys from a JWKS; PostgREST's claim rules) and <see cref="BearerEvents"/>
/// for PostgREST's token rules and 401s; this class reads its verdict for the pipeline. It never touches the
/// database, and never logs a token.
/// </summary>
internal sealed class Authenticator(
    GatewayTokenHandler tokens, ClaimsPolicy policy, IOptionsMonitor<JwtBearerOptions> bearer, IServiceProvider services)
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    private TokenValidationParameters? _parameters;

    private bool? _ownsScheme;

    /// <summary>
    /// Authenticates <paramref name="request"/> through the JwtBearer scheme (which keeps its verdict for the request),
    /// sets <c>HttpContext.User</c> as <c>UseAuthentication</c> does, and keeps the verdict on the request as an
    /// <see cref="AuthenticationOutcome"/> for the request log and the metrics. Asked again with the same header, it
    /// answers from that outcome.
    /// </summary>
    public ValueTask<Result<AuthContext>> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var header = BearerToken.HeaderOf(request);
        var context = request.HttpContext;
        if (context.Features.Get<AuthenticationOutcome>() is { } known && string.Equals(known.Authorization, header, StringComparison.Ordinal))
        {
            return new(known.Result);
        }

        if (!BearerToken.TryFind(header, out _) && OwnsScheme)
        {
            // No token for the gateway's own scheme: its handler would answer what the claims policy says of an
            // anonymous caller (GatewayBearerHandler), with no principal; asking it would only build the handler.
            return new(Keep(context, header, policy.Anonymous, principal: null));
        }

        return AuthenticateAsync(context, header);
    }

    /// <summary>
    /// Whether the scheme is the gateway's own as <see cref="AuthExtensions"/> registers it: its handler, its events
    /// (not a host's, which may find a token elsewhere than the <c>Authorization</c> header), ASP.NET Core's
    /// authentication service and scheme provider, and a handler provider that hands out the scheme's handler. Then a
    /// request without a bearer token is anonymous without asking the handler. Decided on first use: hosts
    /// configure services before the app starts.
    /// </summary>
    public bool OwnsScheme => _ownsScheme ??= IsOwnScheme();

    private bool IsOwnScheme()
    {
        using var scope = services.CreateScope();
        var scoped = scope.ServiceProvider;
        var options = bearer.Get(Scheme);
        return options.EventsType is null && options.Events?.GetType() == typeof(BearerEvents)
            && scoped.GetRequiredService<IAuthenticationSchemeProvider>().GetType() == typeof(AuthenticationSchemeProvider)
            && scoped.GetRequiredService<IOptions<AuthenticationOptions>>().Value.SchemeMap.TryGetValue(Scheme, out var scheme)
            && scheme.HandlerType == typeof(GatewayBearerHandler)
            && scoped.GetRequiredService<IAuthenticationService>().GetType().Assembly == typeof(AuthenticationService).Assembly
            && scoped.GetRequiredService<IAuthenticationHandlerProvider>() is HeaderBoundHandlerProvider or AuthenticationHandlerProvider;
    }

    /// <summary>
    /// The context for an <c>Authorization</c> header value, judged by the scheme's own token handler and rules
    /// without a request (token refresh asks whether a token verifies or merely expired: <see cref="AuthErrors.Expired"/>).
    /// Completes synchronously, without allocating, for a cached HS256 token.
    /// </summary>
    public ValueTask<Result<AuthContext>> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (!BearerToken.TryFind(authorization, out var token))
        {
            return new(policy.Anonymous);
        }

        if (token.IsEmpty)
        {
            return new(tokens.Refuse(AuthErrors.EmptyToken));
        }

        var pending = tokens.VerifyAsync(token, Parameters, cancellationToken);
        return pending.IsCompletedSuccessfully ? new(pending.Result.Result) : ResultOfAsync(pending);
    }

    /// <summary>JwtBearer's parameters as its handler hands them to the token handler: with the key manager, when there is one.</summary>
    private TokenValidationParameters Parameters => _parameters ??= ParametersOf(bearer.Get(Scheme));

    private static TokenValidationParameters ParametersOf(JwtBearerOptions options)
    {
        var parameters = options.TokenValidationParameters.Clone();
        parameters.ConfigurationManager = options.ConfigurationManager as BaseConfigurationManager;
        return parameters;
    }

    private static async ValueTask<Result<AuthContext>> ResultOfAsync(ValueTask<Verification> pending) => (await pending.ConfigureAwait(false)).Result;

    private async ValueTask<Result<AuthContext>> AuthenticateAsync(HttpContext context, string? header)
    {
        var result = await context.AuthenticateAsync(Scheme).ConfigureAwait(false);
        return Keep(context, header, VerdictOf(result), result.Principal);
    }

    // The verdict becomes the request's: its user, as UseAuthentication sets it, and the outcome the pipeline, the
    // request log and the metrics read.
    private static Result<AuthContext> Keep(HttpContext context, string? header, Result<AuthContext> verdict, ClaimsPrincipal? principal)
    {
        if (principal is not null)
        {
            context.User = principal;
        }
        else if (context.Features.Get<AuthenticationOutcome>() is not null)
        {
            // The header changed since the last verdict (token refresh), and the new one has no caller.
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        context.Features.Set(new AuthenticationOutcome(header, verdict));
        return verdict;
    }

    private Result<AuthContext> VerdictOf(AuthenticateResult result)
    {
        if (result.Succeeded)
        {
            return CallerOf(result.Principal);
        }

        return TokenRefusedException.ErrorOf(result.Failure) is { } error ? error : policy.Anonymous;
    }

    private static AuthContext CallerOf(ClaimsPrincipal principal)
    {
        if (principal.Identity is GatewayIdentity identity)
        {
            return identity.Caller;
        }

        foreach (var other in principal.Identities)
        {
            if (other is GatewayIdentity found)
            {
                return found.Caller;
            }
        }

        throw new InvalidOperationException($"The {Scheme} scheme authenticated a principal without the gateway's identity; a claims transformation must keep it.");
    }
}

/// <summary>
/// The verdict on a request's <c>Authorization</c> header, kept as a request feature. A class, not a record: it holds
/// the header, and must never print it.
/// </summary>
internal sealed class AuthenticationOutcome(string? authorization, Result<AuthContext> result)
{
    public string? Authorization { get; } = authorization;

    public Result<AuthContext> Result { get; } = result;
}
