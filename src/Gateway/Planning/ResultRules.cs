using Gateway.Errors;

namespace Gateway.Planning;

/// <summary>
/// The one place that decides whether a statement's result may stand: a singular response needs exactly one row
/// (406 PGRST116), <c>Prefer: max-affected</c> with <c>handling=strict</c> caps the rows (400 PGRST124) and needs a
/// set-returning function on a call (400 PGRST128), and <c>Prefer: tx=rollback</c>, where allowed, always rolls
/// back. Execution applies it before it commits; a read-only plan is checked the same way, with nothing to undo.
/// </summary>
internal sealed record ResultRules(bool Singular, long? MaxAffected, bool MaxAffectedNeedsSet, bool AlwaysRollBack)
{
    public static ResultRules None { get; } = new(false, null, false, false);

    /// <summary>The result must be seen before the transaction ends: it runs as an explicit transaction.</summary>
    public bool DecidesCommit => Singular || MaxAffected is not null || AlwaysRollBack;

    /// <summary>Why a result of <paramref name="rows"/> rows must not stand, or null when it may.</summary>
    public GatewayError? Refusal(long rows)
    {
        if (MaxAffected is not null && MaxAffectedNeedsSet)
        {
            return new GatewayError(400, "PGRST128", "Function must return SETOF or TABLE when max-affected preference is used with handling=strict");
        }

        if (Singular && rows != 1)
        {
            return GatewayError.NotSingular(rows);
        }

        return MaxAffected is { } max && rows > max
            ? new GatewayError(400, "PGRST124", "Query result exceeds max-affected preference constraint", $"The query affects {rows} rows")
            : null;
    }
}
