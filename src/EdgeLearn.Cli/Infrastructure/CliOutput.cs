using Spectre.Console;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Where a command writes: rich output (tables) and raw text (JSON) to stdout, one-line messages to stderr.
/// Injected into command constructors so tests can capture both streams.
/// </summary>
/// <param name="Console">The Spectre console for stdout.</param>
/// <param name="Error">The writer for stderr messages.</param>
public sealed record CliOutput(IAnsiConsole Console, TextWriter Error)
{
    /// <summary>Writes text to stdout exactly as given (no markup, no wrapping): for JSON and other machine-read output.</summary>
    /// <param name="text">The text; written without an added newline.</param>
    public void WriteRaw(string text)
    {
        var writer = Console.Profile.Out.Writer;
        writer.Write(text);
        writer.Flush();
    }
}
