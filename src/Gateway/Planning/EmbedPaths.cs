using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// The embedded parameters of a request (<c>tasks.order=</c>, <c>projects.tasks.name=</c>) with each path naming the
/// select's embeds by their output names: a path names an embed by its alias when it has one, else by its relation.
/// As PostgREST does by default (<c>url-use-legacy-target-names</c>), an aliased embed may still be named by its
/// relation, and the answer carries a <c>Warning</c> saying so; a name that is neither is 400 PGRST108. Parameters that
/// come to name the same embed this way are merged.
/// </summary>
internal sealed record EmbedPaths(IReadOnlyList<EmbedQuery> Queries, string? Warning)
{
    public static Result<EmbedPaths> Resolve(IReadOnlyList<SelectItem> select, IReadOnlyList<EmbedQuery> queries)
    {
        var resolved = new List<EmbedQuery>(queries.Count);
        var legacy = new List<string>();
        foreach (var query in queries)
        {
            var level = select;
            var path = new List<string>(query.Path.Count);
            foreach (var name in query.Path)
            {
                var embeds = level.OfType<SelectEmbed>().ToList();
                var embed = embeds.FirstOrDefault(e => e.OutputName == name);
                if (embed is null && embeds.FirstOrDefault(e => e.Alias is not null && e.Relation == name) is { } byRelation)
                {
                    embed = byRelation;
                    var replacement = $"`{name}` to `{embed.Alias}`";
                    if (!legacy.Contains(replacement))
                    {
                        legacy.Add(replacement);
                    }
                }

                if (embed is null)
                {
                    return PlanErrors.NotEmbedded(name);
                }

                path.Add(embed.OutputName);
                level = embed.Select;
            }

            Merge(resolved, query with { Path = path });
        }

        return new EmbedPaths(resolved, legacy.Count == 0 ? null : LegacyWarning(legacy));
    }

    /// <summary>The parameters addressed to the embed at <paramref name="path"/>, if any.</summary>
    public EmbedQuery? For(IReadOnlyList<string> path) => Queries.FirstOrDefault(q => q.Path.SequenceEqual(path, StringComparer.Ordinal));

    // PostgREST's Warning header (its agent is the gateway here), e.g. for tasks.order with select=the_tasks:tasks(*).
    private static string LegacyWarning(IReadOnlyList<string> replacements) =>
        "299 Gateway \"" + ClientText.QuotedStringContent(
            "Embedded resource was referenced by relation name even though it has an alias. This is deprecated and will stop "
            + $"working in a future release. Update {string.Join(", ", replacements)} in query string filters, orders or limits.") + "\"";

    // Filters and logic add up; of order, limit and offset the first given counts, as for a path given twice.
    private static void Merge(List<EmbedQuery> resolved, EmbedQuery query)
    {
        var index = resolved.FindIndex(q => q.Path.SequenceEqual(query.Path, StringComparer.Ordinal));
        if (index < 0)
        {
            resolved.Add(query);
            return;
        }

        var first = resolved[index];
        resolved[index] = first with
        {
            Filters = [.. first.Filters, .. query.Filters],
            Logic = [.. first.Logic, .. query.Logic],
            Order = first.Order.Count > 0 ? first.Order : query.Order,
            Limit = first.Limit ?? query.Limit,
            Offset = first.Offset != 0 ? first.Offset : query.Offset,
        };
    }
}
