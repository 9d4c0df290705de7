using Gateway.Errors;

namespace Gateway.Requests;

/// <summary>
/// A position in the text of one query parameter, for <see cref="QueryGrammar"/>'s recursive descent. Parsers
/// return false on failure after calling <see cref="Fail(string)"/>; the failure that got farthest into the text is
/// the one reported (as Parsec does), so the message points at where the input stopped making sense.
/// </summary>
internal sealed class Cursor(string text)
{
    private readonly List<string> _expected = [];
    private string? _hardFailure;

    public string Text { get; } = text;

    public int Position { get; set; }

    public bool AtEnd => Position >= Text.Length;

    /// <summary>The character at <see cref="Position"/>; only when not <see cref="AtEnd"/>.</summary>
    public char Current => Text[Position];

    /// <summary>True once a failure that no alternative may recover from was recorded.</summary>
    public bool IsStopped => _hardFailure is not null;

    private int FailurePosition { get; set; } = -1;

    public bool Is(char ch) => Position < Text.Length && Text[Position] == ch;

    public bool IsAt(string token) => Text.AsSpan(Position).StartsWith(token, StringComparison.Ordinal);

    public bool Skip(char ch)
    {
        if (!Is(ch))
        {
            return false;
        }

        Position++;
        return true;
    }

    public bool Skip(string token)
    {
        if (!IsAt(token))
        {
            return false;
        }

        Position += token.Length;
        return true;
    }

    public void SkipSpaces()
    {
        while (Position < Text.Length && Text[Position] is ' ' or '\t')
        {
            Position++;
        }
    }

    /// <summary>Advances over the characters that satisfy <paramref name="accept"/> and returns them.</summary>
    public string ReadWhile(Func<char, bool> accept)
    {
        var start = Position;
        while (Position < Text.Length && accept(Text[Position]))
        {
            Position++;
        }

        return Text[start..Position];
    }

    /// <summary>Records that <paramref name="expected"/> was wanted at the current position. Always returns false.</summary>
    public bool Fail(string expected)
    {
        if (IsStopped || Position < FailurePosition)
        {
            return false;
        }

        if (Position > FailurePosition)
        {
            FailurePosition = Position;
            _expected.Clear();
        }

        if (!_expected.Contains(expected))
        {
            _expected.Add(expected);
        }

        return false;
    }

    /// <summary>A PGRST100 failure at the current position that no alternative recovers from, explained by <paramref name="details"/>.</summary>
    public bool Stop(string details)
    {
        if (!IsStopped)
        {
            FailurePosition = Position;
            _hardFailure = details;
        }

        return false;
    }

    /// <summary>
    /// The recorded failure as the client sees it: <c>"failed to parse {what} ({shown})" (line 1, column n)</c>,
    /// details <c>unexpected "x" expecting ...</c>. <paramref name="offset"/> is how many characters of
    /// <see cref="Text"/> precede <paramref name="shown"/>.
    /// </summary>
    public GatewayError ToError(string what, string shown, int offset = 0)
    {
        var position = Math.Max(FailurePosition, 0);
        var details = _hardFailure ?? $"unexpected {Unexpected(position)} expecting {Join(_expected)}";
        return RequestErrors.ParseFailure(what, shown, Math.Max(position - offset, 0) + 1, details);
    }

    private string Unexpected(int position)
    {
        if (position >= Text.Length)
        {
            return "end of input";
        }

        // A whole word reads better than its first letter ("noop", not "n").
        var end = position;
        while (end < Text.Length && end - position < 40 && (char.IsLetterOrDigit(Text[end]) || Text[end] == '_'))
        {
            end++;
        }

        return RequestErrors.Quote(Text[position..Math.Max(end, position + 1)]);
    }

    private static string Join(List<string> expected) => expected.Count switch
    {
        0 => "valid input",
        1 => expected[0],
        _ => string.Join(", ", expected.Take(expected.Count - 1)) + " or " + expected[^1],
    };
}
