using System.Globalization;

namespace Gateway.Requests;

internal enum ReturnPreference
{
    Minimal,
    Representation,
    HeadersOnly,
}

internal enum CountPreference
{
    Exact,
    Planned,
    Estimated,
}

internal enum ResolutionPreference
{
    MergeDuplicates,
    IgnoreDuplicates,
}

internal enum MissingPreference
{
    Default,
    Null,
}

internal enum HandlingPreference
{
    Strict,
    Lenient,
}

internal enum TransactionPreference
{
    Commit,
    Rollback,
}

/// <summary>Which preferences a response reports as applied in <c>Preference-Applied</c>.</summary>
[Flags]
internal enum PreferenceKinds
{
    None = 0,
    Resolution = 1,
    Missing = 2,
    Return = 4,
    Count = 8,
    Transaction = 16,
    Handling = 32,
    Timezone = 64,
    MaxAffected = 128,
    All = Resolution | Missing | Return | Count | Transaction | Handling | Timezone | MaxAffected,
}

/// <summary>
/// The <c>Prefer</c> header (RFC 7240 as PostgREST reads it): comma-separated, several headers merged, the first
/// occurrence of each preference wins. Anything unrecognised lands in <see cref="Invalid"/>, in order.
/// The timezone is kept as given; the database validates it.
/// </summary>
internal sealed record Preferences
{
    public static Preferences None { get; } = new();

    public ReturnPreference? Return { get; init; }

    public CountPreference? Count { get; init; }

    public ResolutionPreference? Resolution { get; init; }

    public MissingPreference? Missing { get; init; }

    public HandlingPreference? Handling { get; init; }

    public TransactionPreference? Transaction { get; init; }

    public string? Timezone { get; init; }

    public long? MaxAffected { get; init; }

    public IReadOnlyList<string> Invalid { get; init; } = [];

    /// <summary>
    /// The <c>Preference-Applied</c> value for the given kinds, in PostgREST's order (resolution, missing, return,
    /// count, tx, handling, timezone, max-affected), e.g. <c>return=representation, count=exact</c>;
    /// max-affected only with handling=strict. Null when nothing applies.
    /// </summary>
    public string? FormatApplied(PreferenceKinds applied)
    {
        var values = new List<string>();
        Add(PreferenceKinds.Resolution, Resolution switch
        {
            ResolutionPreference.MergeDuplicates => "resolution=merge-duplicates",
            ResolutionPreference.IgnoreDuplicates => "resolution=ignore-duplicates",
            _ => null,
        });
        Add(PreferenceKinds.Missing, Missing switch
        {
            MissingPreference.Default => "missing=default",
            MissingPreference.Null => "missing=null",
            _ => null,
        });
        Add(PreferenceKinds.Return, Return switch
        {
            ReturnPreference.Minimal => "return=minimal",
            ReturnPreference.Representation => "return=representation",
            ReturnPreference.HeadersOnly => "return=headers-only",
            _ => null,
        });
        Add(PreferenceKinds.Count, Count switch
        {
            CountPreference.Exact => "count=exact",
            CountPreference.Planned => "count=planned",
            CountPreference.Estimated => "count=estimated",
            _ => null,
        });
        Add(PreferenceKinds.Transaction, Transaction switch
        {
            TransactionPreference.Commit => "tx=commit",
            TransactionPreference.Rollback => "tx=rollback",
            _ => null,
        });
        Add(PreferenceKinds.Handling, Handling switch
        {
            HandlingPreference.Strict => "handling=strict",
            HandlingPreference.Lenient => "handling=lenient",
            _ => null,
        });
        Add(PreferenceKinds.Timezone, Timezone is null ? null : "timezone=" + Timezone);
        if (Handling == HandlingPreference.Strict)
        {
            Add(PreferenceKinds.MaxAffected, MaxAffected?.ToString(CultureInfo.InvariantCulture) is { } n ? "max-affected=" + n : null);
        }

        return values.Count == 0 ? null : string.Join(", ", values);

        void Add(PreferenceKinds kind, string? value)
        {
            if (value is not null && applied.HasFlag(kind))
            {
                values.Add(value);
            }
        }
    }

    /// <summary>Reads the (comma-joined) <c>Prefer</c> header value; null or empty gives <see cref="None"/>.</summary>
    public static Preferences Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return None;
        }

        ReturnPreference? @return = null;
        CountPreference? count = null;
        ResolutionPreference? resolution = null;
        MissingPreference? missing = null;
        HandlingPreference? handling = null;
        TransactionPreference? transaction = null;
        string? timezone = null;
        long? maxAffected = null;
        var invalid = new List<string>();

        foreach (var raw in header.Split(','))
        {
            var item = raw.Trim(' ', '\t');
            if (item.Length == 0)
            {
                continue;
            }

            // A recognised preference repeated later is ignored (first wins), not reported as invalid.
            var recognised = item switch
            {
                "return=minimal" => Set(ref @return, ReturnPreference.Minimal),
                "return=representation" => Set(ref @return, ReturnPreference.Representation),
                "return=headers-only" => Set(ref @return, ReturnPreference.HeadersOnly),
                "count=exact" => Set(ref count, CountPreference.Exact),
                "count=planned" => Set(ref count, CountPreference.Planned),
                "count=estimated" => Set(ref count, CountPreference.Estimated),
                "resolution=merge-duplicates" => Set(ref resolution, ResolutionPreference.MergeDuplicates),
                "resolution=ignore-duplicates" => Set(ref resolution, ResolutionPreference.IgnoreDuplicates),
                "missing=default" => Set(ref missing, MissingPreference.Default),
                "missing=null" => Set(ref missing, MissingPreference.Null),
                "handling=strict" => Set(ref handling, HandlingPreference.Strict),
                "handling=lenient" => Set(ref handling, HandlingPreference.Lenient),
                "tx=commit" => Set(ref transaction, TransactionPreference.Commit),
                "tx=rollback" => Set(ref transaction, TransactionPreference.Rollback),
                _ => false,
            };
            if (recognised)
            {
                continue;
            }

            if (item.StartsWith("timezone=", StringComparison.Ordinal) && item.Length > "timezone=".Length)
            {
                timezone ??= item["timezone=".Length..];
            }
            else if (item.StartsWith("max-affected=", StringComparison.Ordinal)
                && long.TryParse(item.AsSpan("max-affected=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                maxAffected ??= n;
            }
            else
            {
                invalid.Add(item);
            }
        }

        return new Preferences
        {
            Return = @return,
            Count = count,
            Resolution = resolution,
            Missing = missing,
            Handling = handling,
            Transaction = transaction,
            Timezone = timezone,
            MaxAffected = maxAffected,
            Invalid = invalid,
        };

        static bool Set<T>(ref T? slot, T value)
            where T : struct
        {
            slot ??= value;
            return true;
        }
    }
}
