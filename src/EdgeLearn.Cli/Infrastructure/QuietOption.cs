namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// The global <c>--quiet</c> (<c>-q</c>) option: results only, no progress bars or status lines; warnings and errors
/// still go to stderr. It is taken off the command line before the command is parsed, so it may stand anywhere
/// (<c>edgelearn --quiet plan</c> or <c>edgelearn plan --quiet</c>); <see cref="CliSettings"/> lists it in every help.
/// </summary>
internal static class QuietOption
{
    /// <summary>The long name.</summary>
    public const string Long = "--quiet";

    /// <summary>The short name.</summary>
    public const string Short = "-q";

    /// <summary>The arguments without <c>--quiet</c>/<c>-q</c> (up to a <c>--</c> separator), and whether it was there.</summary>
    /// <param name="args">The command line.</param>
    public static (IReadOnlyList<string> Arguments, bool Quiet) Strip(IReadOnlyList<string> args)
    {
        var rest = new List<string>(args.Count);
        bool quiet = false, separator = false;
        foreach (var arg in args)
        {
            separator |= arg == "--";
            if (!separator && arg is Long or Short)
            {
                quiet = true;
                continue;
            }

            rest.Add(arg);
        }

        return (rest, quiet);
    }
}
