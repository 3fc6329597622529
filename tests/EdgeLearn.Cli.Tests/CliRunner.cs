using Spectre.Console.Testing;

namespace EdgeLearn.Cli.Tests;

/// <summary>Runs the app in-process on a captured console.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var console = new TestConsole().Width(160);
        var error = new StringWriter();

        var exitCode = EdgeLearnApp.Create(console, error).Run(args);

        var errorLines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new CliResult(exitCode, console.Output, errorLines);
    }
}

internal sealed record CliResult(int ExitCode, string Output, string[] ErrorLines)
{
    /// <summary>The single stderr line, asserting there is exactly one and no stack trace.</summary>
    public string SingleErrorLine()
    {
        var line = Assert.Single(ErrorLines);
        Assert.DoesNotContain("   at ", line);
        Assert.DoesNotContain("Exception", line);
        return line;
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgelearn-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string contents)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, contents);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
