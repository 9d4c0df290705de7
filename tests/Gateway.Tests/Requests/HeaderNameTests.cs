using Gateway.Pipeline;
using Gateway.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Requests;

/// <summary>
/// The parser reads headers from the request's own collection (<see cref="RequestFacts.Headers"/>), which matches names
/// in any case, as HTTP does: it never walks the headers itself.
/// </summary>
public sealed class HeaderNameTests
{
    [Fact]
    public void Headers_are_found_whatever_the_case_of_their_names()
    {
        var http = new DefaultHttpContext().Request;
        http.Headers["prefer"] = "count=exact";
        http.Headers["RANGE"] = "0-4";
        http.Headers["aCCEPT"] = "text/csv";
        http.Headers["accept-profile"] = "other";

        var request = ApiRequestParser.Parse("GET", "/items", "", RequestFacts.Headers(http)).Value!;

        Assert.Equal(CountPreference.Exact, request.Preferences.Count);
        Assert.Equal(new RangeHeader(0, 4), request.Range);
        Assert.Equal(MediaType.Csv, request.MediaType);
        Assert.Equal("other", request.Profile);
    }

    [Fact]
    public void A_header_the_request_did_not_send_is_absent()
    {
        var http = new DefaultHttpContext().Request;
        http.Headers["Accept-Ranges"] = "bytes";

        var request = ApiRequestParser.Parse("GET", "/items", "", RequestFacts.Headers(http)).Value!;

        Assert.Null(request.Range);
        Assert.Null(request.Preferences.Count);
        Assert.Null(request.Profile);
    }
}
