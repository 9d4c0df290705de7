using System.Text;

namespace Gateway.Errors;

/// <summary>
/// Client-sent text quoted back in an answer: cut to a bound so a huge input never makes a huge answer, and made safe
/// to put in a header.
/// </summary>
internal static class ClientText
{
    public static string Shorten(string text, int limit = 200) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit), "…");

    /// <summary>
    /// The text as the inside of an RFC 9110 quoted-string: quotes and backslashes escaped, anything that is not
    /// printable ASCII replaced, so client text can never break or inject a header.
    /// </summary>
    public static string QuotedStringContent(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else
            {
                builder.Append(c is >= ' ' and <= '~' ? c : '?');
            }
        }

        return builder.ToString();
    }
}
