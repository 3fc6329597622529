namespace EdgeLearn.Cli.Infrastructure;

/// <summary>Process exit codes of <c>edgelearn</c>; scripts rely on them.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected internal error (a bug); the message says what failed.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: unknown command or option, bad option value, invalid scenario or plan file, unwritable output.</summary>
    public const int BadInput = 2;

    /// <summary>The input is valid but no plan fits the budgets.</summary>
    public const int Infeasible = 3;

    /// <summary>A device agent could not reach its federation's server within --retry-for seconds.</summary>
    public const int Unreachable = 4;

    /// <summary>Interrupted by SIGINT (Ctrl-C) at a round boundary: 128 + 2, the shell's convention.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM at a round boundary: 128 + 15.</summary>
    public const int Terminated = 143;
}
