using Gateway.Planning;

namespace Gateway.Sql;

/// <summary>
/// The SQL of one plan: the main statement, which returns one row (body, total, page or affected count, response
/// GUCs), and for <c>Prefer: count=planned</c> an <c>explain</c> whose row estimate is the total. When
/// <see cref="Explains"/>, the main statement is that statement under <c>EXPLAIN</c>, whose rows are the plan.
/// </summary>
internal sealed record Statement(SqlText Main, SqlText? PlannedCount = null, bool Explains = false)
{
    /// <summary>
    /// The SQL stage: turns a plan into text and parameters. It cannot fail for a valid plan: every name in a plan
    /// is a resolved catalog object, written quoted, and every client value becomes a parameter.
    /// </summary>
    public static Statement For(ApiPlan plan) => plan.Answer.Media.Plan is { } explain
        ? new Statement(Explain(explain, Of(plan).Main), Explains: true)
        : Of(plan);

    // EXPLAIN (FORMAT JSON|TEXT, ANALYZE, ...) of the statement the same request would run; options come from a
    // fixed list (PlanMedia.Known), never from client text.
    private static SqlText Explain(Requests.PlanMedia explain, SqlText main) => main.Prepend(
        $"explain (format {(explain.Json ? "json" : "text")}{string.Concat(explain.Options.Select(option => ", " + option))}) ");

    private static Statement Of(ApiPlan plan) => plan switch
    {
        ReadPlan read => new(
            ReadQuery.Build(read.Root, read.Count, BodyShape.Rows, read.Answer.Media, evaluateSourceOnce: false),
            read.Count == CountMode.Planned ? ReadQuery.BuildPlannedCount(read.Root) : null),
        CallPlan call => new(
            ReadQuery.Build(call.Result, call.Count, call.Shape, call.Answer.Media, evaluateSourceOnce: true),
            call.Count == CountMode.Planned ? ReadQuery.BuildPlannedCount(call.Result) : null),
        MutatePlan mutate => new(WriteQuery.Build(mutate)),
        _ => throw new ArgumentException($"A {plan.GetType().Name} runs no statement.", nameof(plan)),
    };
}
