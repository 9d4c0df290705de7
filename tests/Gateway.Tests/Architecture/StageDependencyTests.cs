using System.Text.RegularExpressions;

namespace Gateway.Tests.Architecture;

/// <summary>
/// The pipeline's stages hand values forward only: Auth → Requests → Planning → Sql → Execution → Responses. A stage's
/// folder may use the stages before it, never one after it, read from the gateway's own source.
/// </summary>
public sealed partial class StageDependencyTests
{
    private static readonly string[] Stages = ["Auth", "Requests", "Planning", "Sql", "Execution", "Responses"];

    public static TheoryData<string> StageFolders => new(Stages);

    [Theory]
    [MemberData(nameof(StageFolders))]
    public void A_stage_never_uses_a_later_stage(string stage)
    {
        var later = Stages.SkipWhile(s => s != stage).Skip(1).ToHashSet(StringComparer.Ordinal);

        var offending = NamespacesUsedBy(stage).Where(later.Contains).ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Requests_never_see_the_catalog()
    {
        Assert.DoesNotContain("Catalog", NamespacesUsedBy("Requests"));
    }

    [Fact]
    public void Planning_never_opens_a_connection()
    {
        Assert.DoesNotContain(SourceOf("Planning"), file => file.Text.Contains("Npgsql", StringComparison.Ordinal));
    }

    [Fact]
    public void Sql_never_sees_the_parsed_request()
    {
        Assert.DoesNotContain(SourceOf("Sql"), file => ApiRequestWord().IsMatch(file.Text));
    }

    [Fact]
    public void The_checks_read_real_source()
    {
        Assert.Contains("Catalog", NamespacesUsedBy("Planning"));
        Assert.Contains(SourceOf("Requests"), file => ApiRequestWord().IsMatch(file.Text));
    }

    private static HashSet<string> NamespacesUsedBy(string stage) => SourceOf(stage)
        .SelectMany(file => GatewayNamespace().Matches(file.Text).Concat(StageQualifiedName().Matches(file.Text)).Select(match => match.Groups[1].Value))
        .Where(name => name != stage)
        .ToHashSet(StringComparer.Ordinal);

    private static List<(string Path, string Text)> SourceOf(string stage)
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "Gateway", stage);
        var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(path => (path, File.ReadAllText(path)))
            .ToList();
        Assert.NotEmpty(files);
        return files;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);
    }

    // `using Gateway.Sql;`, `Gateway.Sql.Statement`, `global::Gateway.Sql...`: the stage a name belongs to.
    [GeneratedRegex(@"\bGateway\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex GatewayNamespace();

    // `Requests.ResolutionPreference` inside another Gateway namespace.
    [GeneratedRegex(@"(?<![\w.])(Auth|Requests|Planning|Sql|Execution|Responses|Catalog)\.[A-Z]")]
    private static partial Regex StageQualifiedName();

    [GeneratedRegex(@"\bApiRequest\b")]
    private static partial Regex ApiRequestWord();
}
