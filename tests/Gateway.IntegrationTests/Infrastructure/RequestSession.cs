using System.Text.Json;
using Dapper;
using Npgsql;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A transaction on the real <c>authenticator</c> login that has switched role and exposed JWT claims exactly
/// as the gateway does for one request (<c>set_config('role', ..., true)</c>, <c>request.jwt.claims</c>).
/// Disposing it rolls back, so tests leave nothing behind unless they <see cref="CommitAsync"/>.
/// </summary>
public sealed class RequestSession : IAsyncDisposable
{
    private RequestSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>Acts as <c>anon</c>, with no claims.</summary>
    public static Task<RequestSession> AnonAsync(MigratedDatabase database) => BeginAsync(database, "anon", claims: null);

    /// <summary>Acts as <c>authenticated</c> for the account <paramref name="accountId"/> (claim <c>sub</c>).</summary>
    public static Task<RequestSession> AuthenticatedAsync(MigratedDatabase database, long accountId) =>
        BeginAsync(database, "authenticated", new { sub = accountId.ToString(System.Globalization.CultureInfo.InvariantCulture), role = "authenticated" });

    /// <summary>A transaction on an already open login, without switching role (e.g. the worker's own login).</summary>
    public static async Task<RequestSession> WithoutSwitchingAsync(NpgsqlConnection connection) =>
        new(connection, await connection.BeginTransactionAsync());

    public static async Task<RequestSession> BeginAsync(MigratedDatabase database, string role, object? claims)
    {
        var connection = await database.OpenAuthenticatorAsync();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "select set_config('role', @role, true), set_config('request.jwt.claims', @claims, true)",
            new { role, claims = claims is null ? "" : JsonSerializer.Serialize(claims) },
            transaction);
        return new RequestSession(connection, transaction);
    }

    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) =>
        Connection.ExecuteScalarAsync<T>(sql, parameters, Transaction);

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        Connection.QueryAsync<T>(sql, parameters, Transaction);

    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        Connection.ExecuteAsync(sql, parameters, Transaction);

    /// <summary>Runs <paramref name="sql"/> expecting PostgreSQL to refuse it; the session stays usable afterwards.</summary>
    public async Task<PostgresException> RefusedAsync(string sql, object? parameters = null)
    {
        await Connection.ExecuteAsync("savepoint refused", transaction: Transaction);
        try
        {
            await Connection.ExecuteAsync(sql, parameters, Transaction);
        }
        catch (PostgresException error)
        {
            await Connection.ExecuteAsync("rollback to savepoint refused", transaction: Transaction);
            return error;
        }

        throw new Xunit.Sdk.XunitException($"Expected PostgreSQL to refuse: {sql}");
    }

    public Task CommitAsync() => Transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
