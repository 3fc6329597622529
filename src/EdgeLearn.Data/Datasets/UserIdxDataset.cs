namespace EdgeLearn.Data.Datasets;

/// <summary>
/// A user's own labelled images in IDX files (the format of the original MNIST distribution), named on the command line
/// as <c>idx:PREFIX</c> (one set, split into train and test parts here) or <c>idx:TRAIN_PREFIX,TEST_PREFIX</c>.
/// </summary>
/// <remarks>PREFIX is a path and name prefix: <c>idx:data/train</c> reads <c>data/train-images-idx3-ubyte</c> and
/// <c>data/train-labels-idx1-ubyte</c> (<see cref="IdxFormat.TryFindFiles"/>; <c>.gz</c> accepted). Images must be
/// single-channel unsigned bytes; labels 0 … C − 1.</remarks>
public static class UserIdxDataset
{
    /// <summary>The prefix that marks a user dataset on the command line.</summary>
    public const string Prefix = "idx:";

    /// <summary>Fraction of every class held out as the test part when only one prefix is given.</summary>
    public const double TestFraction = 0.2;

    /// <summary>Seed of that split, fixed so that every run sees the same parts.</summary>
    public const int SplitSeed = 2026;

    /// <summary>Whether <paramref name="dataset"/> names a user dataset (starts with <c>idx:</c>).</summary>
    /// <param name="dataset">The --dataset value.</param>
    public static bool IsUserDataset(string dataset) =>
        dataset is not null && dataset.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks that the files of a user dataset exist, without reading them.</summary>
    /// <param name="dataset">The --dataset value, <c>idx:PREFIX</c> or <c>idx:TRAIN,TEST</c>.</param>
    /// <param name="error">A one-line reason when they do not.</param>
    /// <returns>Whether every file was found.</returns>
    public static bool TryCheck(string dataset, out string? error)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        error = null;
        string[] prefixes = dataset[Prefix.Length..].Split(',', StringSplitOptions.TrimEntries);
        if (prefixes.Length > 2 || prefixes.Any(p => p.Length == 0))
        {
            error = $"--dataset is '{dataset}'; it must be idx:PREFIX or idx:TRAIN_PREFIX,TEST_PREFIX with non-empty prefixes.";
            return false;
        }

        foreach (string prefix in prefixes)
        {
            if (!IdxFormat.TryFindFiles(prefix, out _, out _))
            {
                error = $"--dataset is '{dataset}'; no IDX files {prefix}-images-idx3-ubyte and {prefix}-labels-idx1-ubyte (optionally .gz, or '.' before idx) were found.";
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a user dataset into train and test parts.</summary>
    /// <param name="dataset">The --dataset value.</param>
    /// <param name="split">The parts when the files are valid: the test prefix's images, or a stratified
    /// <see cref="TestFraction"/> of the single set.</param>
    /// <param name="error">A one-line reason when they are not.</param>
    /// <returns>Whether the dataset was read.</returns>
    public static bool TryLoad(string dataset, out DatasetSplit? split, out string? error)
    {
        split = null;
        if (!TryCheck(dataset, out error))
        {
            return false;
        }

        string[] prefixes = dataset[Prefix.Length..].Split(',', StringSplitOptions.TrimEntries);
        var parts = new ImageDataset[prefixes.Length];
        for (int i = 0; i < prefixes.Length; i++)
        {
            IdxFormat.TryFindFiles(prefixes[i], out string images, out string labels);
            if (!IdxFormat.TryRead(images, labels, "idx", out ImageDataset? part, out error))
            {
                return false;
            }

            parts[i] = part!;
        }

        if (parts.Length == 2 && (parts[0].ImageSize != parts[1].ImageSize || parts[0].Width != parts[1].Width))
        {
            error = $"--dataset is '{dataset}'; its train images are {parts[0].Width}x{parts[0].Height} and its test images {parts[1].Width}x{parts[1].Height}; they must match.";
            return false;
        }

        if (parts.Length == 2)
        {
            int classes = Math.Max(parts[0].ClassCount, parts[1].ClassCount);
            split = new DatasetSplit(WithClasses(parts[0], classes, "idx/train"), WithClasses(parts[1], classes, "idx/test"));
        }
        else
        {
            split = DatasetSplit.Stratified(parts[0], TestFraction, SplitSeed);
        }

        return true;
    }

    private static ImageDataset WithClasses(ImageDataset set, int classes, string name) =>
        new(name, set.Width, set.Height, set.Channels, classes, set.PixelMemory, set.Labels.ToArray());
}
