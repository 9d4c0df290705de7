using Gateway.Requests;

namespace Gateway.Tests.Requests;

public sealed class ContentTypeTests
{
    [Theory]
    [InlineData(null, "Json")]
    [InlineData("application/json", "Json")]
    [InlineData("application/json; charset=utf-8", "Json")]
    [InlineData("text/csv", "Csv")]
    [InlineData("application/x-www-form-urlencoded", "FormUrlEncoded")]
    [InlineData("text/plain; charset=utf-8", "TextPlain")]
    [InlineData("Text/XML", "TextXml")]
    [InlineData(" application/octet-stream ", "OctetStream")]
    [InlineData("application/vnd.unknown", "Json")]
    public void The_body_media_type_comes_from_content_type_and_defaults_to_json(string? contentType, string expected)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (contentType is not null)
        {
            headers["Content-Type"] = contentType;
        }

        Assert.Equal(expected, ApiRequestParser.Parse("POST", "/rpc/f", "", headers).Value!.ContentType.ToString());
    }
}
