namespace Gateway.Planning;

/// <summary>
/// The matcher behind PostgREST's "Perhaps you meant" hints for tables and functions (the fuzzyset library it uses):
/// known names sharing letter bigrams or trigrams with the wanted one are ranked by the cosine of their gram counts, the
/// best 50 re-ranked by normalized Levenshtein similarity (case-insensitive), and the best returned when at least
/// <c>minimum</c> similar. Trigrams are tried first, bigrams only when no trigram match is similar enough; an exact
/// match, ignoring case, always wins.
/// </summary>
internal static class FuzzyNames
{
    private const int Candidates = 50;

    public static string? Closest(IEnumerable<string> names, string wanted, double minimum)
    {
        // The library adds the names last to first and keeps the first spelling of each (case-insensitive) name; its
        // ranking keeps that order among equals.
        var spelled = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<string>();
        foreach (var name in names.Reverse())
        {
            var key = name.ToLowerInvariant();
            if (spelled.TryAdd(key, name))
            {
                entries.Add(key);
            }
        }

        var query = wanted.ToLowerInvariant();
        if (spelled.TryGetValue(query, out var exact))
        {
            return exact;
        }

        // A name can be at most shorter/longer similar to one of another length: a far longer request (thousands of
        // body keys) can match nothing, and is not worth reading.
        if (entries.Count == 0 || query.Length * minimum > entries.Max(e => e.Length))
        {
            return null;
        }

        foreach (var size in (int[])[3, 2])
        {
            var queryGrams = Grams(query, size);
            var queryNorm = Norm(queryGrams);
            var best = entries
                .Select(entry => (Entry: entry, Grams: Grams(entry, size)))
                .Select(e => (e.Entry, Dot: Dot(queryGrams, e.Grams), Norm: Norm(e.Grams)))
                .Where(e => e.Dot > 0)
                .OrderByDescending(e => e.Dot / (queryNorm * e.Norm))
                .Take(Candidates)
                .Select(e => (e.Entry, Score: MayReach(query, e.Entry, minimum) ? Similarity(query, e.Entry) : 0))
                .OrderByDescending(e => e.Score)
                .FirstOrDefault(e => e.Score >= minimum);
            if (best.Entry is not null)
            {
                return spelled[best.Entry];
            }
        }

        return null;
    }

    // The grams of the name lower-cased, kept to letters, digits, spaces and commas, and framed by '-'.
    private static Dictionary<string, int> Grams(string name, int size)
    {
        var framed = "-" + string.Concat(name.Where(c => char.IsLetter(c) || char.IsNumber(c) || char.IsWhiteSpace(c) || c == ',')) + "-";
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + size <= framed.Length; i++)
        {
            var gram = framed.Substring(i, size);
            grams[gram] = grams.GetValueOrDefault(gram) + 1;
        }

        return grams;
    }

    private static int Dot(Dictionary<string, int> a, Dictionary<string, int> b) =>
        a.Sum(g => g.Value * b.GetValueOrDefault(g.Key));

    private static double Norm(Dictionary<string, int> grams) => Math.Sqrt(grams.Values.Sum(v => v * v));

    // The edit distance is at least the difference in length, so a pair too unequal to reach the minimum need not be measured.
    private static bool MayReach(string a, string b, double minimum) =>
        Math.Max(a.Length, b.Length) == 0 || (double)Math.Min(a.Length, b.Length) / Math.Max(a.Length, b.Length) >= minimum;

    /// <summary>Levenshtein similarity: 1 - edit distance / the longer length (1 for two empty strings).</summary>
    public static double Similarity(string a, string b)
    {
        var longest = Math.Max(a.Length, b.Length);
        if (longest == 0)
        {
            return 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return 1 - (double)previous[b.Length] / longest;
    }
}
