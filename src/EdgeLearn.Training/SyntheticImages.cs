using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Training;

/// <summary>Options of <see cref="SyntheticImages"/>.</summary>
public sealed record SyntheticImagesOptions
{
    /// <summary>Image width and height in pixels; default 8, at least 2.</summary>
    public int Size { get; init; } = 8;

    /// <summary>Number of classes; default 10, 2–256.</summary>
    public int ClassCount { get; init; } = 10;

    /// <summary>Images of the training part; default 8000, at least 1.</summary>
    public int TrainCount { get; init; } = 8000;

    /// <summary>Images of the test part; default 2000, at least 1.</summary>
    public int TestCount { get; init; } = 2000;

    /// <summary>Standard deviation of the Gaussian pixel noise around each class prototype; default 0.5, at least 0.</summary>
    public double NoiseStd { get; init; } = 0.5;

    /// <summary>Seed of the prototypes, labels and noise; default 0.</summary>
    public int Seed { get; init; }
}

/// <summary>
/// A small, learnable image dataset made on the spot: every class has a random prototype image (pixels uniform in
/// [0.2, 0.8]) and each image is its class's prototype plus Gaussian noise, clipped to [0, 1]. Used where no real
/// dataset may be fetched (tests, <c>edgelearn train --dataset synthetic</c>).
/// </summary>
public static class SyntheticImages
{
    /// <summary>The dataset name, <c>synthetic</c>.</summary>
    public const string Name = "synthetic";

    /// <summary>Creates the train and test parts (same prototypes, independent images, labels uniform over classes).</summary>
    /// <param name="options">Size, classes, counts, noise and seed.</param>
    /// <returns>The split.</returns>
    public static DatasetSplit Create(SyntheticImagesOptions? options = null)
    {
        options ??= new SyntheticImagesOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Size, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ClassCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.ClassCount, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TrainCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TestCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.NoiseStd);
        var random = new Random(options.Seed);
        int pixels = options.Size * options.Size;
        var prototypes = new float[options.ClassCount * pixels];
        for (int i = 0; i < prototypes.Length; i++)
        {
            prototypes[i] = (float)(0.2 + (0.6 * random.NextDouble()));
        }

        return new DatasetSplit(
            Images(options, prototypes, options.TrainCount, random, Name + "/train"),
            Images(options, prototypes, options.TestCount, random, Name + "/test"));
    }

    private static ImageDataset Images(SyntheticImagesOptions options, float[] prototypes, int count, Random random, string name)
    {
        int pixels = options.Size * options.Size;
        var data = new float[(long)count * pixels];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % options.ClassCount;
            labels[i] = (byte)label;
            for (int p = 0; p < pixels; p++)
            {
                double value = prototypes[(label * pixels) + p] + (options.NoiseStd * Gaussian(random));
                data[((long)i * pixels) + p] = (float)Math.Clamp(value, 0, 1);
            }
        }

        return new ImageDataset(name, options.Size, options.Size, 1, options.ClassCount, data, labels);
    }

    private static double Gaussian(Random random)
    {
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
