namespace Gateway.Catalog;

/// <summary>Holds the current <see cref="CatalogSnapshot"/>; a reload swaps it whole, so a request sees one version.</summary>
internal sealed class CatalogStore
{
    private volatile CatalogSnapshot? current;

    /// <summary>The loaded snapshot, or null until the first load succeeds (requests then get 503 PGRST002).</summary>
    public CatalogSnapshot? Current => current;

    public void Replace(CatalogSnapshot snapshot) => current = snapshot;
}
