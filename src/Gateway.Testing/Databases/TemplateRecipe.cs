using System.Security.Cryptography;
using System.Text;

namespace Gateway.Testing.Databases;

/// <summary>A fixture script: where it came from (for error messages) and its SQL.</summary>
internal sealed record FixtureScript(string Source, string Sql);

/// <summary>
/// What goes into a template after the gateway's migrations: migration folders and fixture scripts, read and checked
/// when a test asks for a database, so a wrong path fails there with its name. <see cref="Key"/> identifies the
/// content: two factories with the same folders and fixtures share one template.
/// </summary>
internal sealed record TemplateRecipe(IReadOnlyList<string> MigrationFolders, IReadOnlyList<FixtureScript> Fixtures, string Key)
{
    public static TemplateRecipe From(GatewayTestOptions options)
    {
        var folders = options.MigrationFolders.Select(folder => Locate(folder, Directory.Exists, "migration folder")).ToList();
        var fixtures = options.FixtureFiles
            .Select(file => Locate(file, File.Exists, "fixture file"))
            .Select(file => new FixtureScript(file, File.ReadAllText(file)))
            .Concat(options.FixtureSql.Select((sql, index) => new FixtureScript($"FixtureSql[{index}]", sql)))
            .ToList();

        var content = new StringBuilder();
        foreach (var folder in folders)
        {
            content.Append("folder\n").Append(folder).Append('\n');
            foreach (var file in MigrationFiles(folder))
            {
                content.Append(Path.GetFileName(file)).Append('\n').Append(File.ReadAllText(file)).Append('\n');
            }
        }

        foreach (var fixture in fixtures)
        {
            content.Append("fixture\n").Append(fixture.Sql).Append('\n');
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString()))).ToLowerInvariant();
        return new TemplateRecipe(folders, fixtures, key);
    }

    /// <summary>The files of a migration folder the migrator applies, in its order.</summary>
    public static IReadOnlyList<string> MigrationFiles(string folder) =>
        [.. Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal)];

    /// <summary>An absolute path as is; a relative one from the test's output folder or the first folder above it that has it.</summary>
    private static string Locate(string path, Func<string, bool> exists, string what)
    {
        if (Path.IsPathRooted(path))
        {
            return exists(path) ? path : throw NotFound(what, $"The {what} '{path}' does not exist.");
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, path);
            if (exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw NotFound(
            what,
            $"The {what} '{path}' was not found in {AppContext.BaseDirectory} or any folder above it; give an absolute path or one relative to a folder on that way.");
    }

    private static IOException NotFound(string what, string message) =>
        what.EndsWith("folder", StringComparison.Ordinal) ? new DirectoryNotFoundException(message) : new FileNotFoundException(message);
}
