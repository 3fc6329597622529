using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Shift;
using EdgeLearn.Training;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// The rules of the data and shift option group (<c>--dataset</c>, <c>--cache</c>, <c>--rotate</c>, <c>--invert</c>,
/// <c>--noise</c>), shared by <c>data shift</c>, <c>calibrate</c> and <c>train</c>. The shift's rules are
/// <see cref="ShiftConfig.Validate"/>'s, worded with the option names.
/// </summary>
internal static class DataOptionRules
{
    /// <summary>Name of the made-up dataset that needs no download.</summary>
    public const string Synthetic = SyntheticImages.Name;

    /// <summary>Checks a dataset name: a known dataset, <c>idx:PREFIX</c> with its files present, or (when allowed) synthetic.</summary>
    /// <param name="dataset">The name.</param>
    /// <param name="allowSynthetic">Whether <see cref="Synthetic"/> is accepted.</param>
    /// <param name="errors">Receives one line per problem.</param>
    public static void Dataset(string dataset, bool allowSynthetic, List<string> errors)
    {
        if (UserIdxDataset.IsUserDataset(dataset))
        {
            if (!UserIdxDataset.TryCheck(dataset, out string? idxError))
            {
                errors.Add(idxError!);
            }
        }
        else if (!(allowSynthetic && IsSynthetic(dataset)) && !KnownDataset.TryFind(dataset, out _))
        {
            string known = string.Join(", ", KnownDataset.All.Select(d => d.Name));
            errors.Add($"--dataset is '{dataset}'; it must be one of: {known}, {(allowSynthetic ? Synthetic + ", " : "")}or idx:PREFIX.");
        }
    }

    /// <summary>Whether the name is the synthetic dataset's.</summary>
    public static bool IsSynthetic(string dataset) => string.Equals(dataset, Synthetic, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the cache folder option (absent is fine; empty is not).</summary>
    public static void Cache(string? cache, List<string> errors)
    {
        if (cache is { Length: 0 })
        {
            errors.Add("--cache is empty; it must be a folder path.");
        }
        else if (cache is not null && File.Exists(cache))
        {
            errors.Add($"--cache is '{cache}', a file; it must be a folder path (the dataset cache).");
        }
    }

    /// <summary>Checks the shift options with <see cref="ShiftConfig.Validate"/> and returns the shift they describe.</summary>
    /// <param name="rotate">--rotate, degrees.</param>
    /// <param name="invert">--invert, fraction.</param>
    /// <param name="noise">--noise, standard deviation.</param>
    /// <param name="errors">Receives one line per problem, with the option names.</param>
    public static ShiftConfig Shift(double rotate, double invert, double noise, List<string> errors)
    {
        var shift = new ShiftConfig { RotationDegrees = rotate, InvertFraction = invert, NoiseStd = noise };
        foreach (string problem in shift.Validate(classCount: 0))
        {
            errors.Add(problem
                .Replace("shift.rotationDegrees", "--rotate", StringComparison.Ordinal)
                .Replace("shift.invertFraction", "--invert", StringComparison.Ordinal)
                .Replace("shift.noiseStd", "--noise", StringComparison.Ordinal));
        }

        return shift;
    }
}
