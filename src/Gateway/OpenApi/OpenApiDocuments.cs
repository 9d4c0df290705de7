using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Gateway.Catalog;
using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>Whose view of the schema the OpenAPI document shows (<c>Gateway:OpenApi:Mode</c>), as PostgREST's <c>openapi-mode</c>.</summary>
internal enum OpenApiMode
{
    /// <summary>The caller's: what its role may read, write or call.</summary>
    FollowPrivileges,

    /// <summary>Everything in the exposed schema, whoever asks.</summary>
    IgnorePrivileges,

    /// <summary>No document and no Swagger UI.</summary>
    Disabled,
}

/// <summary>
/// The serialized OpenAPI documents: generated once per catalog snapshot and role, on first request, and dropped
/// with the snapshot when a reload replaces it, so a reload is all it takes to refresh them.
/// </summary>
internal sealed class OpenApiDocuments(IOptions<GatewayOptions> options)
{
    public const string ContentType = "application/openapi+json; charset=utf-8";

    private readonly ConditionalWeakTable<CatalogSnapshot, ConcurrentDictionary<string, Lazy<byte[]>>> cache = new();

    public OpenApiMode Mode { get; } = options.Value.OpenApi.Mode;

    /// <summary>The document <paramref name="role"/> sees, as UTF-8 JSON.</summary>
    public byte[] Get(CatalogSnapshot catalog, string role)
    {
        // One document for every role when privileges are ignored.
        var key = Mode == OpenApiMode.IgnorePrivileges ? "" : role;
        return cache.GetValue(catalog, _ => new ConcurrentDictionary<string, Lazy<byte[]>>(StringComparer.Ordinal))
            .GetOrAdd(key, k => new Lazy<byte[]>(() => Serialize(DocumentBuilder.Build(catalog, k.Length == 0 ? null : k))))
            .Value;
    }

    /// <summary>OpenAPI 3.0 JSON: the version every client generator and Swagger UI reads.</summary>
    public static byte[] Serialize(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV3(new OpenApiJsonWriter(text));
        text.Write('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
