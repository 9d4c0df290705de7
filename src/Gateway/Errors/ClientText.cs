namespace Gateway.Errors;

/// <summary>Client-sent text quoted back in an error: cut to a bound so a huge input never makes a huge answer.</summary>
internal static class ClientText
{
    public static string Shorten(string text, int limit = 200) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit), "…");
}
