using Gateway.Observability;
using Gateway.Shared;

namespace Gateway.Health;

/// <summary>
/// The gateway's readiness lines. Once the catalog is loaded it stays loaded, so readiness is lost only when the
/// database stops answering: an Error, as <see cref="Execution.DatabaseAvailability"/> logs an unreachable database.
/// </summary>
internal sealed partial class GatewayReadinessLog(ILogger<LoggedHealthChecks> logger) : IReadinessLog
{
    public void Changed(string status, string phase, string checks) => LogChanged(logger, status, phase, checks);

    public void Lost(string checks) => LogLost(logger, checks);

    public void Probed(string status) => LogProbed(logger, status);

    [LoggerMessage(EventId = EventIds.ReadinessChanged, Level = LogLevel.Information, Message = "Readiness is {Status} while {Phase}: {Checks}")]
    private static partial void LogChanged(ILogger logger, string status, string phase, string checks);

    [LoggerMessage(EventId = EventIds.ReadinessLost, Level = LogLevel.Error, Message = "Not ready any more (503): {Checks}")]
    private static partial void LogLost(ILogger logger, string checks);

    [LoggerMessage(EventId = EventIds.ReadinessProbed, Level = LogLevel.Debug, Message = "Readiness probe answered {Status}")]
    private static partial void LogProbed(ILogger logger, string status);
}
