namespace EdgeLearn.Data.Datasets;

/// <summary>A dataset divided into a training part and a held-out test part.</summary>
/// <param name="Train">Images for training (the general and task data are drawn from here).</param>
/// <param name="Test">Held-out images (task test sets are drawn from here).</param>
public sealed record DatasetSplit(ImageDataset Train, ImageDataset Test)
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into train and test parts, stratified by class and seeded, so the same
    /// seed always gives the same split.
    /// </summary>
    /// <param name="dataset">The whole dataset.</param>
    /// <param name="testFraction">Fraction of every class that goes to the test part; in (0, 1).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <returns>A split whose train part is ordered before the test part in <see cref="Ordered"/>.</returns>
    public static DatasetSplit Stratified(ImageDataset dataset, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in (0, 1).");
        }

        var random = new Random(seed);
        var train = new List<int>(dataset.Count);
        var test = new List<int>(dataset.Count);
        foreach (int[] members in Internal.Sampling.IndicesByClass(dataset.Labels, dataset.ClassCount))
        {
            Internal.Sampling.Shuffle(members, random);
            int testCount = (int)Math.Round(members.Length * testFraction);
            test.AddRange(members.AsSpan(0, testCount));
            train.AddRange(members.AsSpan(testCount));
        }

        // Interleave classes so that a prefix of either part is class-balanced.
        int[] trainOrder = train.ToArray();
        int[] testOrder = test.ToArray();
        Internal.Sampling.Shuffle(trainOrder, random);
        Internal.Sampling.Shuffle(testOrder, random);
        return new DatasetSplit(
            dataset.Select(trainOrder, dataset.Name + "/train"),
            dataset.Select(testOrder, dataset.Name + "/test"));
    }

    /// <summary>Train images followed by test images, as one dataset (the layout of the binary cache).</summary>
    /// <param name="name">Name of the combined dataset.</param>
    public ImageDataset Ordered(string name)
    {
        var pixels = new float[Train.Pixels.Length + Test.Pixels.Length];
        var labels = new byte[Train.Count + Test.Count];
        Train.Pixels.CopyTo(pixels);
        Test.Pixels.CopyTo(pixels.AsSpan(Train.Pixels.Length));
        Train.Labels.CopyTo(labels);
        Test.Labels.CopyTo(labels.AsSpan(Train.Count));
        return Train.WithData(name, pixels, labels);
    }
}
