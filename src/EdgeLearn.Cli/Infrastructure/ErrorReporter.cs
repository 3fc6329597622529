using System.Diagnostics;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>Turns any exception that reaches the top of the app into one-line stderr messages and an exit code.</summary>
internal static partial class ErrorReporter
{
    /// <summary>Prints <paramref name="exception"/> to <paramref name="error"/> and returns the exit code.</summary>
    /// <param name="exception">What ended the command.</param>
    /// <param name="args">The command line, to name the option whose value could not be converted.</param>
    /// <param name="error">The stderr writer.</param>
    public static int Report(Exception exception, IReadOnlyList<string> args, TextWriter error)
    {
        var (exitCode, lines) = Describe(exception, args);
        foreach (var line in lines)
        {
            error.WriteLine(line);
        }

        error.Flush();
        return exitCode;
    }

    private static (int ExitCode, IEnumerable<string> Lines) Describe(Exception exception, IReadOnlyList<string> args) => exception switch
    {
        UserInputException user => (user.ExitCode, user.Lines),
        CommandParseException parse => (ExitCodes.BadInput, [WithHelpHint(parse.Message)]),
        CommandRuntimeException runtime when IsOptionConversionFailure(runtime) => (ExitCodes.BadInput, [BadOptionValue(runtime, args)]),
        CommandRuntimeException runtime => (ExitCodes.BadInput, Lines(runtime.Message)),
        CommandConfigurationException config => (ExitCodes.InternalError, [$"Internal error: the command line is misconfigured ({OneLine(config.Message)})."]),
        _ when IsOptionConversionFailure(exception) => (ExitCodes.BadInput, [BadOptionValue(exception, args)]),
        IOException or UnauthorizedAccessException => (ExitCodes.BadInput, Lines(exception.Message)),
        _ => (ExitCodes.InternalError, [$"Internal error: {exception.GetType().Name}: {OneLine(exception.Message)}"]),
    };

    /// <summary>
    /// Spectre reports a type converter's failure while binding option values as "Failed to convert …"
    /// (wrapping the converter's exception) or, in some paths, lets the converter's exception escape.
    /// </summary>
    private static bool IsOptionConversionFailure(Exception exception) => exception switch
    {
        CommandRuntimeException runtime => runtime.Message.StartsWith("Failed to convert", StringComparison.Ordinal),
        ArgumentException or FormatException or OverflowException or InvalidCastException or NotSupportedException =>
            new StackTrace(exception).GetFrames().Any(f =>
                f.GetMethod()?.DeclaringType?.FullName?.StartsWith("Spectre.Console.Cli.CommandValue", StringComparison.Ordinal) == true),
        _ => false,
    };

    /// <summary>"--devices is abc; it must be a whole number." when the value can be traced back to its option.</summary>
    private static string BadOptionValue(Exception exception, IReadOnlyList<string> args)
    {
        var match = NotValidValue().Match(exception.InnerException?.Message ?? exception.Message);
        if (!match.Success)
        {
            match = FailedToConvert().Match(exception.Message);
        }

        if (!match.Success)
        {
            return $"An option value is invalid: {OneLine(exception.Message)}";
        }

        var value = match.Groups["value"].Value;
        var rule = match.Groups["type"].Value switch
        {
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" when Innermost(exception) is OverflowException => "a smaller whole number",
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" => "a whole number",
            "Single" or "Double" or "Decimal" => "a number",
            "Nullable" => "valid for the option (see --help)",
            var type => $"a valid {type}",
        };
        var option = FindOption(args, value);
        return option is null
            ? $"The option value '{value}' is invalid; it must be {rule}."
            : $"{option} is {value}; it must be {rule}.";
    }

    private static string? FindOption(IReadOnlyList<string> args, string value)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == value && i > 0 && args[i - 1].StartsWith('-'))
            {
                return args[i - 1];
            }

            var equals = arg.IndexOfAny(['=', ':']);
            if (arg.StartsWith('-') && equals > 0 && arg[(equals + 1)..] == value)
            {
                return arg[..equals];
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    private static string WithHelpHint(string message) => $"{OneLine(message).TrimEnd('.')}. Run 'edgelearn --help' for usage.";

    private static IEnumerable<string> Lines(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string OneLine(string message) => string.Join(" ", Lines(message));

    [GeneratedRegex(@"^(?<value>.*) is not a valid value for (?<type>\w+)\.", RegexOptions.Singleline)]
    private static partial Regex NotValidValue();

    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>\w+)", RegexOptions.Singleline)]
    private static partial Regex FailedToConvert();
}
