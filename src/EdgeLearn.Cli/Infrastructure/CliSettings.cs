using System.ComponentModel;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>The settings every command shares: the global options, so that each command's help lists them.</summary>
public class CliSettings : CommandSettings
{
    /// <summary>
    /// <c>--quiet</c>: listed here for the help screens only. <see cref="EdgeLearnApp"/> takes it off the command line
    /// before parsing (<see cref="QuietOption"/>, so it may stand before the command too) and hands it to
    /// <see cref="CliOutput.Quiet"/>; this property therefore stays false.
    /// </summary>
    [CommandOption("-q|--quiet")]
    [Description("Results only: no progress bars and no status lines (\"Wrote …\"); warnings and errors still go to stderr. May stand anywhere on the command line.")]
    public bool Quiet { get; init; }
}
