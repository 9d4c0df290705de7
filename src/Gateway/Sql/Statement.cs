using Gateway.Planning;

namespace Gateway.Sql;

/// <summary>
/// The SQL of one plan: the main statement, which returns one row (body, total, page or affected count, response
/// GUCs), and for <c>Prefer: count=planned</c> an <c>explain</c> whose row estimate is the total.
/// </summary>
internal sealed record Statement(SqlText Main, SqlText? PlannedCount = null)
{
    /// <summary>
    /// The SQL stage: turns a plan into text and parameters. It cannot fail for a valid plan: every name in a plan
    /// is a resolved catalog object, written quoted, and every client value becomes a parameter.
    /// </summary>
    public static Statement For(ApiPlan plan) => plan switch
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
