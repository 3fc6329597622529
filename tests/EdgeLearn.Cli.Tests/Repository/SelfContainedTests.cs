namespace EdgeLearn.Cli.Tests.Repository;

/// <summary>The repository stands alone: a user who clones it has no shared folder beside it, so nothing outside CI's own
/// scripts may point there, and the documents everything points to exist.</summary>
public sealed class SelfContainedTests
{
    /// <summary>The references that must not appear, built so that this file does not contain them itself.</summary>
    private static readonly string[] Forbidden = [".." + "/shared", "shared" + "/spec"];

    private static readonly string[] TextExtensions = [".cs", ".md", ".csproj", ".props", ".targets", ".json", ".slnx", ".py", ".sh", ".editorconfig", ".txt", ".yml"];

    internal static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EdgeLearn.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The tests run outside the repository (no EdgeLearn.slnx above them).");
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => TextExtensions.Contains(Path.GetExtension(f)) || Path.GetFileName(f) == "run")
            .Where(f =>
            {
                string relative = Path.GetRelativePath(root, f).Replace('\\', '/');
                string[] parts = relative.Split('/');
                return !parts.Any(p => p is "bin" or "obj" or ".git" or "node_modules" or "runs" or "BenchmarkDotNet.Artifacts")
                    && !relative.StartsWith(".ci/", StringComparison.Ordinal);
            });

    [Fact]
    public void NoFileOutsideCi_PointsToTheSharedFolder()
    {
        string root = Root();

        var offenders = SourceFiles(root)
            .Where(f => File.ReadAllText(f) is var text && Forbidden.Any(word => text.Contains(word, StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(root, f))
            .ToArray();

        Assert.True(SourceFiles(root).Count() > 100, "the scan found too few files to be looking at the repository");
        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("docs/model.md")]
    [InlineData("docs/formats.md")]
    [InlineData("docs/fidelity.md")]
    [InlineData("README.md")]
    [InlineData("LICENSE")]
    public void DocumentsThatEverythingPointsTo_Exist(string path) =>
        Assert.True(File.Exists(Path.Combine(Root(), path)), $"{path} is missing");

    [Fact]
    public void ReadmeLibraryExample_IsTheExampleProjectVerbatim()
    {
        string root = Root();
        string program = File.ReadAllText(Path.Combine(root, "examples/PlanFromCode/Program.cs")).ReplaceLineEndings("\n");
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + program + "```", readme, StringComparison.Ordinal);
    }
}
