using Spectre.Console;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Where a command writes. Results (tables, the lines that belong to them, JSON) go to stdout through
/// <see cref="Console"/>; everything about the run goes to stderr: status lines ("Wrote …") through <see cref="Status"/>,
/// warnings through <see cref="Warn"/> and progress bars on <see cref="ErrorConsole"/>. With <see cref="Quiet"/>
/// (<c>--quiet</c>) status lines and progress bars are left out; warnings and errors never are.
/// Injected into command constructors so tests can capture both streams.
/// </summary>
/// <param name="Console">The Spectre console for stdout (results).</param>
/// <param name="Error">The writer for stderr messages.</param>
/// <param name="ErrorConsole">A Spectre console on stderr, for progress bars.</param>
/// <param name="Quiet">Whether status lines and progress bars are left out (<c>--quiet</c>).</param>
public sealed record CliOutput(IAnsiConsole Console, TextWriter Error, IAnsiConsole ErrorConsole, bool Quiet)
{
    /// <summary>The command line as typed (without the program name), recorded in the provenance of what a command writes.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Whether progress bars are drawn: not with <c>--quiet</c>, and only when stderr is a terminal
    /// (a log file would otherwise receive a line per update).</summary>
    public bool ShowsProgress => !Quiet && ErrorConsole.Profile.Capabilities.Interactive;

    /// <summary>Writes text to stdout exactly as given (no markup, no wrapping): for JSON and other machine-read output.</summary>
    /// <param name="text">The text; written without an added newline.</param>
    public void WriteRaw(string text)
    {
        var writer = Console.Profile.Out.Writer;
        writer.Write(text);
        writer.Flush();
    }

    /// <summary>A status line on stderr ("Wrote … to plan.json."), left out with <c>--quiet</c>.</summary>
    /// <param name="line">One line, without a trailing newline.</param>
    public void Status(string line)
    {
        if (!Quiet)
        {
            Error.WriteLine(line);
            Error.Flush();
        }
    }

    /// <summary>Warning lines on stderr, also with <c>--quiet</c>.</summary>
    /// <param name="lines">One line each, without trailing newlines.</param>
    public void Warn(params IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Error.WriteLine(line);
        }

        Error.Flush();
    }
}
