using Npgsql;

namespace Gateway.IntegrationTests.Security;

/// <summary>Assertions shared by the security tests.</summary>
public static class SecurityAssert
{
    /// <summary>
    /// Two sets of lines are equal; on failure the message lists what is missing and what is unexpected,
    /// so a new grant or a new function reads as one line to decide about.
    /// </summary>
    public static void SameLines(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var expectedSet = expected.ToHashSet(StringComparer.Ordinal);
        var actualSet = actual.ToHashSet(StringComparer.Ordinal);
        var missing = expectedSet.Except(actualSet, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unexpected = actualSet.Except(expectedSet, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 0 && unexpected.Count == 0)
        {
            return;
        }

        throw new Xunit.Sdk.XunitException(
            $"{what} differ from the expected list.\n"
            + $"Expected but missing ({missing.Count}):\n  {string.Join("\n  ", missing)}\n"
            + $"Present but not expected ({unexpected.Count}):\n  {string.Join("\n  ", unexpected)}");
    }

    /// <summary>The error is PostgreSQL's "insufficient privilege" (42501).</summary>
    public static void InsufficientPrivilege(PostgresException error) =>
        Assert.True(
            string.Equals(error.SqlState, PostgresErrorCodes.InsufficientPrivilege, StringComparison.Ordinal),
            $"Expected SQLSTATE 42501, got {error.SqlState}: {error.MessageText}");
}
