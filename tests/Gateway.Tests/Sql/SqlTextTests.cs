using Gateway.Sql;
using NpgsqlTypes;

namespace Gateway.Tests.Sql;

public sealed class SqlTextTests
{
    [Theory]
    [InlineData("items", "\"items\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("x\"; drop table t; --", "\"x\"\"; drop table t; --\"")]
    public void Identifiers_are_always_quoted_with_inner_quotes_doubled(string name, string sql)
    {
        Assert.Equal(sql, new SqlText().Identifier(name).ToString());
    }

    [Fact]
    public void Client_values_become_numbered_unknown_typed_parameters_never_text()
    {
        var sql = new SqlText().Append("a = ").Parameter("1'; drop table t; --").Append(" and b = ").Parameter("2");

        Assert.Equal("a = $1 and b = $2", sql.ToString());
        Assert.Equal(NpgsqlDbType.Unknown, sql.Parameters[0].NpgsqlDbType);
        Assert.Equal("1'; drop table t; --", sql.Parameters[0].Value);
    }

    [Theory]
    [InlineData(new string[0], "{}")]
    [InlineData(new[] { "a", "b" }, "{\"a\",\"b\"}")]
    [InlineData(new[] { "a,b", "c\"d", "e\\f" }, "{\"a,b\",\"c\\\"d\",\"e\\\\f\"}")]
    public void Array_literals_quote_and_escape_every_element(string[] elements, string literal)
    {
        Assert.Equal(literal, SqlText.ArrayLiteral(elements));
    }
}
