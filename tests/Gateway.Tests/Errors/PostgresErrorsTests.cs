using Gateway.Errors;
using Npgsql;

namespace Gateway.Tests.Errors;

public sealed class PostgresErrorsTests
{
    [Theory]
    [InlineData("08006", true, 503)]
    [InlineData("09000", true, 500)]
    [InlineData("0L000", true, 403)]
    [InlineData("0P000", true, 403)]
    [InlineData("23503", true, 409)]
    [InlineData("23505", true, 409)]
    [InlineData("25006", true, 405)]
    [InlineData("25001", true, 500)]
    [InlineData("28P01", true, 403)]
    [InlineData("2D000", true, 500)]
    [InlineData("38000", true, 500)]
    [InlineData("40001", true, 500)]
    [InlineData("53400", true, 500)]
    [InlineData("53300", true, 503)]
    [InlineData("54000", true, 500)]
    [InlineData("55P03", true, 500)]
    [InlineData("57P01", true, 503)]
    [InlineData("57P02", true, 503)]
    [InlineData("57P03", true, 503)]
    [InlineData("57P04", true, 500)]
    [InlineData("57014", true, 504)]
    [InlineData("58030", true, 500)]
    [InlineData("P0001", true, 400)]
    [InlineData("P0002", true, 500)]
    [InlineData("XX000", true, 500)]
    [InlineData("42P01", true, 404)]
    [InlineData("42P17", true, 500)]
    [InlineData("42501", true, 403)]
    [InlineData("42501", false, 401)]
    [InlineData("22P02", true, 400)]
    [InlineData("23502", true, 400)]
    [InlineData("42703", true, 400)]
    public void Sqlstates_map_to_postgrests_http_statuses(string sqlState, bool authenticated, int status)
    {
        Assert.Equal(status, PostgresErrors.Map(Error(sqlState, "m"), authenticated).Status);
    }

    [Fact]
    public void A_42883_is_404_unless_it_is_about_xmlagg()
    {
        Assert.Equal(404, PostgresErrors.Map(Error("42883", "function api.x() does not exist"), true).Status);
        Assert.Equal(406, PostgresErrors.Map(Error("42883", "function xmlagg(integer) does not exist"), true).Status);
    }

    [Fact]
    public void A_missing_role_is_401_and_another_22023_is_400()
    {
        Assert.Equal(401, PostgresErrors.Map(Error("22023", "role \"x\" does not exist"), true).Status);
        Assert.Equal(400, PostgresErrors.Map(Error("22023", "invalid value for parameter \"TimeZone\""), true).Status);
    }

    [Fact]
    public void A_401_for_anon_challenges_with_bearer()
    {
        var error = PostgresErrors.Map(Error("42501", "permission denied"), authenticated: false);

        Assert.Equal("Bearer", error.Headers!["WWW-Authenticate"]);
    }

    [Theory]
    [InlineData("PT402", 402)]
    [InlineData("PT418", 418)]
    [InlineData("PT40A", 500)]
    [InlineData("PT999", 500)]
    public void Ptnnn_sets_the_status(string sqlState, int status)
    {
        Assert.Equal(status, PostgresErrors.Map(Error(sqlState, "m"), true).Status);
    }

    [Fact]
    public void Client_errors_pass_the_database_message_detail_and_hint_through()
    {
        var error = PostgresErrors.Map(Error("P0001", "Login Failed", detail: "d", hint: "bad_password"), false);

        Assert.Equal(("P0001", "Login Failed", "d", "bad_password"), (error.Code, error.Message, error.Details, error.Hint));
    }

    [Fact]
    public void Server_errors_hide_the_database_message_but_keep_it_for_the_log()
    {
        var error = PostgresErrors.Map(Error("XX000", "secret internal detail", detail: "more", hint: "h"), true);

        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Null(error.Details);
        Assert.Null(error.Hint);
        Assert.Contains("secret internal detail", error.LogDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Raise_pgrst_takes_code_message_status_and_headers_from_json()
    {
        var error = PostgresErrors.Map(Error("PGRST",
            "{\"code\":\"123\",\"message\":\"ABC\",\"details\":\"DEF\",\"hint\":\"XYZ\"}",
            detail: "{\"status\":332,\"status_text\":\"Custom\",\"headers\":{\"X-Header\":\"str\"}}"), true);

        Assert.Equal((332, "123", "ABC", "DEF", "XYZ", "Custom"), (error.Status, error.Code, error.Message, error.Details, error.Hint, error.ReasonPhrase));
        Assert.Equal("str", error.Headers!["X-Header"]);
    }

    [Theory]
    [InlineData("INVALID", "{\"status\":400,\"headers\":{}}", "Invalid JSON value for MESSAGE: 'INVALID'")]
    [InlineData("{\"code\":\"1\",\"message\":\"m\"}", null, "DETAIL is missing in the RAISE statement")]
    [InlineData("{\"code\":\"1\",\"message\":\"m\"}", "nope", "Invalid JSON value for DETAIL: 'nope'")]
    public void A_malformed_raise_pgrst_is_500_PGRST121(string message, string? detail, string details)
    {
        var error = PostgresErrors.Map(Error("PGRST", message, detail), true);

        Assert.Equal((500, "PGRST121", details), (error.Status, error.Code, error.Details));
    }

    private static PostgresException Error(string sqlState, string message, string? detail = null, string? hint = null) =>
        new(message, "ERROR", "ERROR", sqlState, detail, hint);
}
