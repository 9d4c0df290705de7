using Gateway.Catalog;
using Gateway.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.Tests.OpenApi;

/// <summary>Embedding adds no paths, but a relation's <c>select</c> names what it can embed and the hint for each.</summary>
public sealed class SelectDescriptionTests
{
    [Fact]
    public void A_relation_with_relationships_documents_them_in_its_select()
    {
        var document = DocumentBuilder.Build(Catalog(), role: null);

        var select = document.Components!.Parameters!["select_projects"];
        Assert.Contains("`clients!projects_client_id_fkey` (many-to-one)", select.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relation_without_relationships_keeps_the_shared_select()
    {
        var document = DocumentBuilder.Build(Catalog(), role: null);

        var get = document.Paths["/notes"]!.Operations![HttpMethod.Get];
        Assert.Contains(get.Parameters!, p => p is OpenApiParameterReference { Reference.Id: "select" });
        Assert.DoesNotContain("select_notes", document.Components!.Parameters!.Keys);
    }

    private static CatalogSnapshot Catalog()
    {
        Relation View(string name, params string[] columns) =>
            new("api", name, 'v', [.. columns.Select(c => new Column(c, "integer", 'N', true, false, null))], null, false, false, false);

        var relations = new[] { View("clients", "id"), View("projects", "id", "client_id"), View("notes", "id") }
            .ToDictionary(r => r.Name, StringComparer.Ordinal);
        return new CatalogSnapshot("api", relations, new Dictionary<string, IReadOnlyList<Routine>>(), new Dictionary<string, IReadOnlyList<RoleSetting>>(), DateTimeOffset.UnixEpoch)
        {
            Relationships = new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal)
            {
                ["projects"] = [new KeyRelationship("projects", "clients", Cardinality.ManyToOne, "projects_client_id_fkey", ["client_id"], ["id"])],
            },
        };
    }
}
