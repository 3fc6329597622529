using Spectre.Console.Testing;

namespace EdgeLearn.Cli.Tests;

/// <summary>Runs the app in-process on a captured console.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => Run(new TestConsole().Width(160), args);

    /// <summary>Runs on a stdout console of the given width (e.g. 80, to check that tables fit).</summary>
    public static CliResult RunAtWidth(int width, params string[] args) => Run(new TestConsole().Width(width), args);

    /// <summary>Runs with stderr on an interactive terminal (where progress bars are drawn); returns what that terminal showed.</summary>
    public static (CliResult Result, string Terminal) RunWithErrorTerminal(params string[] args)
    {
        var console = new TestConsole().Width(160);
        var error = new StringWriter();
        var terminal = new TestConsole().Width(160).Interactive();

        var exitCode = EdgeLearnApp.Create(console, error, terminal).Run(args);

        return (Result(exitCode, console, error), terminal.Output);
    }

    private static CliResult Run(TestConsole console, string[] args)
    {
        var error = new StringWriter();

        var exitCode = EdgeLearnApp.Create(console, error).Run(args);

        return Result(exitCode, console, error);
    }

    private static CliResult Result(int exitCode, TestConsole console, StringWriter error)
    {
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
