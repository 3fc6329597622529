using System.Text.RegularExpressions;

namespace EdgeLearn.Cli.Tests.Repository;

/// <summary>Every C# file of the libraries, the CLI and the tests declares the namespace of its folder: the project's
/// root namespace followed by the folder path, so a reader finds a type where its namespace says.</summary>
public sealed partial class NamespaceTests
{
    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    [GeneratedRegex(@"<RootNamespace>([\w.]+)</RootNamespace>")]
    private static partial Regex RootNamespace();

    [Fact]
    public void EveryFile_DeclaresTheNamespaceOfItsFolder()
    {
        string root = SelfContainedTests.Root();
        var projects = new[] { "src", "tests" }
            .SelectMany(top => Directory.EnumerateFiles(Path.Combine(root, top), "*.csproj", SearchOption.AllDirectories))
            .ToArray();
        var offenders = new List<string>();
        int files = 0;
        foreach (string project in projects)
        {
            string folder = Path.GetDirectoryName(project)!;
            var declared = RootNamespace().Match(File.ReadAllText(project));
            string rootNamespace = declared.Success ? declared.Groups[1].Value : Path.GetFileNameWithoutExtension(project);
            foreach (string file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(folder, Path.GetDirectoryName(file)!).Replace('\\', '/');
                if (relative.Split('/').Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                var match = FileScopedNamespace().Match(File.ReadAllText(file));
                if (!match.Success)
                {
                    continue;
                }

                files++;
                string expected = relative == "." ? rootNamespace : $"{rootNamespace}.{relative.Replace('/', '.')}";
                if (match.Groups[1].Value != expected)
                {
                    offenders.Add($"{Path.GetRelativePath(root, file)}: namespace {match.Groups[1].Value}, folder says {expected}");
                }
            }
        }

        Assert.True(projects.Length >= 10, $"found {projects.Length} projects under src/ and tests/");
        Assert.True(files > 150, $"found only {files} files with a namespace");
        Assert.Empty(offenders);
    }
}
