using Gateway.Execution;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Gateway.Health;

/// <summary>
/// Healthy when a pooled connection runs <c>select 1</c>. When the pool has no connection free within a second, the
/// question is asked again on a connection of its own, outside the pool: if the database answers, the replica is
/// <c>Degraded</c> (200, with the reason) — busy, not dead, so a load balancer keeps it, and every replica, in rotation —
/// and only a database that does not answer at all makes readiness 503. Descriptions never carry the connection string.
/// </summary>
internal sealed class DatabaseReadinessCheck(
    NpgsqlDataSource pool,
    [FromKeyedServices(DatabaseExtensions.Unpooled)] NpgsqlDataSource unpooled) : IHealthCheck
{
    /// <summary>How long readiness waits for a pooled connection before asking outside the pool.</summary>
    public static readonly TimeSpan PoolWait = TimeSpan.FromSeconds(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(PoolWait);
        try
        {
            await using var connection = await pool.OpenConnectionAsync(wait.Token);
            await SelectOneAsync(connection, cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No pooled connection within the wait: saturated (or slow to connect); ask outside the pool.
        }
        catch (NpgsqlException error) when (DatabaseAvailability.ReasonOf(error, opening: true) != DatabaseAvailability.Unreachable)
        {
            // The pool's own Timeout was shorter than the wait, or the server has no connection slot left.
        }
        catch (NpgsqlException error)
        {
            return NotAnswering(error);
        }

        try
        {
            await using var own = await unpooled.OpenConnectionAsync(cancellationToken);
            await SelectOneAsync(own, cancellationToken);
            var settings = new NpgsqlConnectionStringBuilder(pool.ConnectionString);
            return HealthCheckResult.Degraded(
                $"The database answers, but none of the pool's {settings.MaxPoolSize} connections came free within {PoolWait.TotalSeconds:0} s; " +
                $"requests wait up to {settings.Timeout} s for one, then answer 503 PGRST003.");
        }
        catch (PostgresException error) when (error.SqlState == "53300")
        {
            return HealthCheckResult.Degraded("The database answers, but refuses new connections (53300, too many connections).");
        }
        catch (NpgsqlException error)
        {
            return NotAnswering(error);
        }
    }

    private static async Task SelectOneAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    // The SQLSTATE tells an operator "starting up" (57P03) from "wrong password" (28P01) without any secret.
    private static HealthCheckResult NotAnswering(NpgsqlException error) => HealthCheckResult.Unhealthy(
        error is PostgresException refused ? $"The database does not answer ({refused.SqlState})." : "The database does not answer.");
}
