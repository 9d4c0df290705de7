using System.Reflection;
using Microsoft.Extensions.Logging;
using GatewayIds = Gateway.Observability.EventIds;
using WorkerIds = Gateway.Worker.EventIds;

namespace Gateway.Tests.Observability;

/// <summary>
/// The gateway's and the worker's log messages take their ids from their program's <c>EventIds</c>, each id once, in
/// ranges that cannot meet: an id alone says which program and which message logged a line.
/// </summary>
public sealed class EventIdsTests
{
    [Fact]
    public void Every_log_message_of_the_gateway_and_the_worker_has_an_id_of_its_own()
    {
        var messages = Messages(typeof(GatewayIds).Assembly).Concat(Messages(typeof(WorkerIds).Assembly)).ToList();

        Assert.NotEmpty(messages);
        var shared = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}");
        Assert.Empty(shared);
    }

    [Theory]
    [InlineData(typeof(GatewayIds))]
    [InlineData(typeof(WorkerIds))]
    public void Each_program_logs_with_exactly_the_ids_of_its_EventIds_each_once(Type eventIds)
    {
        var constants = Constants(eventIds);

        Assert.Equal(constants.Distinct().Order(), constants.Order());
        Assert.Equal(constants.Order(), Messages(eventIds.Assembly).Select(m => m.Id).Order());
    }

    [Fact]
    public void The_gateway_keeps_to_1000_4999_and_the_worker_to_5000_5999()
    {
        Assert.All(Constants(typeof(GatewayIds)), id => Assert.InRange(id, 1000, 4999));
        Assert.All(Constants(typeof(WorkerIds)), id => Assert.InRange(id, 5000, 5999));
    }

    private static List<int> Constants(Type eventIds) =>
        eventIds.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => (int)field.GetRawConstantValue()!)
            .ToList();

    private static IEnumerable<(string Name, int Id)> Messages(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let message = method.GetCustomAttribute<LoggerMessageAttribute>()
        where message is not null
        select ($"{type.Name}.{method.Name}", message.EventId);
}
