using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class AcceptTests
{
    [Fact]
    public void Missing_accept_is_json()
    {
        Assert.Equal(MediaType.Json, Get("").MediaType);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    public void Blank_accept_is_json(string accept)
    {
        Assert.Equal(MediaType.Json, Ok("GET", "/todos", "", $"Accept: {accept}").MediaType);
    }

    [Fact]
    public void Missing_accept_on_the_root_is_openapi()
    {
        Assert.Equal(MediaType.OpenApi, Get("", "/").MediaType);
    }

    [Theory]
    [InlineData("application/json", "Json", false)]
    [InlineData("application/json; charset=utf-8", "Json", false)]
    [InlineData("*/*", "Json", false)]
    [InlineData("application/*", "Json", false)]
    [InlineData("text/csv", "Csv", false)]
    [InlineData("application/vnd.pgrst.object+json", "SingleObject", false)]
    [InlineData("application/vnd.pgrst.object", "SingleObject", false)]
    [InlineData("application/vnd.pgrst.object+json;nulls=stripped", "SingleObject", true)]
    [InlineData("application/vnd.pgrst.object; nulls=stripped", "SingleObject", true)]
    [InlineData("application/vnd.pgrst.array+json;nulls=stripped", "Json", true)]
    [InlineData("application/vnd.pgrst.array+json", "Json", false)]
    [InlineData("Application/JSON", "Json", false)]
    [InlineData("application/geo+json", "GeoJson", false)]
    public void Supported_media_types_are_recognised(string accept, string kind, bool nullsStripped)
    {
        var mediaType = Ok("GET", "/todos", "", $"Accept: {accept}").MediaType;

        Assert.Equal(new MediaType(Enum.Parse<MediaTypeKind>(kind), nullsStripped), mediaType);
    }

    [Theory]
    [InlineData("text/csv;q=0.5, application/json", "Json")]
    [InlineData("application/json;q=0.1, text/csv", "Csv")]
    [InlineData("application/xml, text/csv, application/json", "Csv")]
    [InlineData("text/csv;q=0, application/json;q=0.1", "Json")]
    [InlineData("*/*, text/csv", "Csv")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Json")]
    public void Q_values_rank_and_the_first_acceptable_wins(string accept, string kind)
    {
        Assert.Equal(Enum.Parse<MediaTypeKind>(kind), Ok("GET", "/todos", "", $"Accept: {accept}").MediaType.Kind);
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("application/openapi+json")]
    [InlineData("text/csv;q=0")]
    public void No_acceptable_type_is_406_PGRST107(string accept)
    {
        var error = Error("GET", "/todos", "", $"Accept: {accept}");

        Assert.Equal(406, error.Status);
        Assert.Equal("PGRST107", error.Code);
        Assert.Equal($"None of these media types are available: {accept}", error.Message);
    }

    [Theory]
    [InlineData("application/openapi+json")]
    [InlineData("application/json")]
    [InlineData("*/*")]
    public void The_root_serves_openapi(string accept)
    {
        Assert.Equal(MediaType.OpenApi, Ok("GET", "/", "", $"Accept: {accept}").MediaType);
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/vnd.pgrst.object+json")]
    public void The_root_serves_nothing_else(string accept)
    {
        Assert.Equal("PGRST107", Error("GET", "/", "", $"Accept: {accept}").Code);
    }

    [Fact]
    public void Functions_negotiate_like_relations()
    {
        Assert.Equal(MediaType.Csv, Ok("POST", "/rpc/f", "", "Accept: text/csv").MediaType);
    }

    [Fact]
    public void Options_does_not_negotiate()
    {
        Assert.Equal(MediaType.Json, Ok("OPTIONS", "/todos", "", "Accept: application/xml").MediaType);
    }

    [Fact]
    public void Accept_header_name_is_case_insensitive()
    {
        Assert.Equal(MediaType.Csv, Ok("GET", "/todos", "", "accept: text/csv").MediaType);
    }

    [Theory]
    [InlineData("Json", false, "application/json; charset=utf-8")]
    [InlineData("Json", true, "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8")]
    [InlineData("Csv", false, "text/csv; charset=utf-8")]
    [InlineData("SingleObject", false, "application/vnd.pgrst.object+json; charset=utf-8")]
    [InlineData("SingleObject", true, "application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8")]
    [InlineData("OpenApi", false, "application/openapi+json; charset=utf-8")]
    public void Each_media_type_names_its_content_type(string kind, bool nullsStripped, string contentType)
    {
        Assert.Equal(contentType, new MediaType(Enum.Parse<MediaTypeKind>(kind), nullsStripped).ContentType);
    }

    [Theory]
    [InlineData("application/vnd.pgrst.plan", "application/vnd.pgrst.plan+text; for=\"application/json\"; charset=utf-8")]
    [InlineData("application/vnd.pgrst.plan+text", "application/vnd.pgrst.plan+text; for=\"application/json\"; charset=utf-8")]
    [InlineData("application/vnd.pgrst.plan+json", "application/vnd.pgrst.plan+json; for=\"application/json\"; charset=utf-8")]
    [InlineData("application/vnd.pgrst.plan+json; for=\"text/csv\"", "application/vnd.pgrst.plan+json; for=\"text/csv\"; charset=utf-8")]
    [InlineData("application/vnd.pgrst.plan; for=\"application/vnd.pgrst.object\"; options=wal|analyze|bogus",
        "application/vnd.pgrst.plan+text; for=\"application/vnd.pgrst.object+json\"; options=analyze|wal; charset=utf-8")]
    [InlineData("application/vnd.pgrst.plan+json;options=ANALYZE|Verbose|settings|buffers|wal",
        "application/vnd.pgrst.plan+json; for=\"application/json\"; options=analyze|verbose|settings|buffers|wal; charset=utf-8")]
    public void Plan_types_name_the_type_they_are_for_and_their_options(string accept, string contentType)
    {
        var mediaType = Ok("GET", "/todos", "", $"Accept: {accept}").MediaType;

        Assert.NotNull(mediaType.Plan);
        Assert.Equal(contentType, mediaType.ContentType);
    }

    [Theory]
    [InlineData("application/vnd.pgrst.plan; for=\"text/xml\"")]
    [InlineData("application/vnd.pgrst.plan; for=\"*/*\"")]
    public void A_plan_for_a_type_the_gateway_cannot_produce_is_not_acceptable(string accept)
    {
        Assert.Equal("PGRST107", Error("GET", "/todos", "", $"Accept: {accept}").Code);
    }

    [Fact]
    public void The_root_has_no_plan()
    {
        Assert.Equal("PGRST107", Error("GET", "/", "", "Accept: application/vnd.pgrst.plan").Code);
    }
}
