namespace Gateway.Observability;

/// <summary>
/// Every event id the gateway logs with (1000-4999), in one place so none is used twice and each stage keeps to its
/// range. The worker's are 5000-5999 (<c>Gateway.Worker.EventIds</c>), so an id alone tells which program logged it.
/// </summary>
internal static class EventIds
{
    // Catalog: 1000-1099.
    public const int CatalogLoaded = 1001;
    public const int CatalogListenerLost = 1002;
    public const int CatalogListenerBack = 1003;

    // Auth: 1100-1199.
    public const int TokenRefused = 1100;
    public const int UnknownKeyId = 1101;
    public const int KeysUnavailable = 1102;
    public const int TokenValidationFailed = 1103;

    // Database availability: 1200-1299.
    public const int DatabaseUnavailable = 1200;
    public const int DatabaseAvailable = 1201;
    public const int SpillUnavailable = 1210;

    // Readiness: 1300-1399.
    public const int ReadinessChanged = 1300;
    public const int ReadinessLost = 1301;
    public const int ReadinessProbed = 1302;

    // Errors: 2000-2099.
    public const int RequestRefused = 2001;
    public const int RequestFailed = 2002;
    public const int RequestFailedKnown = 2003;

    // Request log, token refresh and rate limits: 3000-3099.
    public const int RequestAnswered = 3001;
    public const int TokenRefreshed = 3010;
    public const int TokenRefreshFailed = 3011;

    // Rate limits: 3020-3029.
    public const int RateLimitsShared = 3020;
    public const int RateLimitsLocal = 3021;
    public const int RateLimitsSharedAgain = 3022;
}
