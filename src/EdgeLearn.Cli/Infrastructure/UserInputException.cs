namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Ends a command with an exit code and one or more one-line messages on stderr, without a stack trace.
/// Throw it from a command or settings class when the input is at fault (or, with
/// <see cref="ExitCodes.Infeasible"/>, when no plan fits); <see cref="EdgeLearnApp"/> prints it.
/// </summary>
public sealed class UserInputException : Exception
{
    /// <summary>Bad input (exit code <see cref="ExitCodes.BadInput"/>) described by one or more lines.</summary>
    /// <param name="lines">One line per problem: what failed, the value and the rule (no trailing newline).</param>
    public UserInputException(params string[] lines)
        : this(ExitCodes.BadInput, lines)
    {
    }

    /// <summary>A failure with an explicit exit code.</summary>
    /// <param name="exitCode">One of <see cref="ExitCodes"/>, not <see cref="ExitCodes.Ok"/>.</param>
    /// <param name="lines">One line per problem (at least one).</param>
    public UserInputException(int exitCode, IReadOnlyList<string> lines)
        : base(lines is { Count: > 0 } ? string.Join(Environment.NewLine, lines) : throw new ArgumentException("At least one line is needed.", nameof(lines)))
    {
        ArgumentOutOfRangeException.ThrowIfEqual(exitCode, ExitCodes.Ok);
        ExitCode = exitCode;
        Lines = lines;
    }

    /// <summary>The process exit code to return.</summary>
    public int ExitCode { get; }

    /// <summary>The messages, one line each, printed to stderr in order.</summary>
    public IReadOnlyList<string> Lines { get; }
}
