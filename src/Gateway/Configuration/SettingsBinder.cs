using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace Gateway.Configuration;

/// <summary>
/// Binds the <c>Gateway</c> section onto <see cref="GatewayOptions"/> without stopping at the first value that has
/// the wrong type: the configuration binder throws on the first one, which would hide every other problem. Each
/// value is tried alone first; those that cannot be read become <see cref="GatewayOptions.BindingProblems"/> (named
/// by key, never quoting the value) and the rest is bound as usual.
/// </summary>
internal static class SettingsBinder
{
    public static void Bind(IConfiguration section, GatewayOptions options)
    {
        var values = section.AsEnumerable(makePathsRelative: true).Where(entry => entry.Value is not null).ToList();
        var unreadable = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in values)
        {
            // The binder skips a bad value inside a dictionary entry silently, so scalar types are checked here.
            var type = TypeAt(entry.Key);
            if (!Converts(entry.Value!, type) || !BindsAlone(entry))
            {
                unreadable.Add(entry.Key);
                options.BindingProblems.Add($"{GatewayOptions.Section}__{entry.Key.Replace(":", "__", StringComparison.Ordinal)} cannot be read as {Describe(type)}.");
            }
        }

        if (unreadable.Count == 0)
        {
            section.Bind(options);
            return;
        }

        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Where(entry => !unreadable.Contains(entry.Key)))
            .Build()
            .Bind(options);
    }

    private static bool BindsAlone(KeyValuePair<string, string?> entry)
    {
        try
        {
            new ConfigurationBuilder().AddInMemoryCollection([entry]).Build().Bind(new GatewayOptions());
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Converts(string value, Type? type)
    {
        var plain = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (plain is { IsEnum: true })
        {
            // The binder takes any number as an enum value, named or not.
            return Enum.TryParse(plain, value, ignoreCase: true, out var member) && Enum.IsDefined(plain, member);
        }

        if (plain is null || !(plain.IsPrimitive || plain == typeof(TimeSpan)))
        {
            return true;
        }

        try
        {
            TypeDescriptor.GetConverter(plain).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>The type a key binds to, following properties, dictionary values and list items; null when unknown.</summary>
    private static Type? TypeAt(string key)
    {
        Type? type = typeof(GatewayOptions);
        foreach (var segment in key.Split(':'))
        {
            if (type is null)
            {
                return null;
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
            }
            else if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string))
            {
                type = type.GetGenericArguments()[0];
            }
            else
            {
                type = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            }
        }

        return type;
    }

    private static string Describe(Type? type)
    {
        var plain = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return plain switch
        {
            _ when plain == typeof(int) || plain == typeof(long) => "a whole number",
            _ when plain == typeof(bool) => "true or false",
            _ when plain == typeof(TimeSpan) => "a duration (hh:mm:ss)",
            _ when plain == typeof(double) => "a number",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(plain)),
            _ => "the expected type",
        };
    }
}
