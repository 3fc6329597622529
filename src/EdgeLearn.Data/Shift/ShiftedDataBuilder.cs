using EdgeLearn.Data.Datasets;
using EdgeLearn.Data.Internal;
using EdgeLearn.Data.Shift.Internal;

namespace EdgeLearn.Data.Shift;

/// <summary>Builds the general dataset (P0), the devices' task datasets (P) and a task test set from one base dataset.</summary>
/// <remarks>
/// Steps, all driven by <see cref="DataConfig.Seed"/>: (1) draw the task images from the base training part with the
/// task class proportions (largest-remainder counts); (2) draw the general images uniformly from the remaining
/// training images, so general and task samples are disjoint; (3) transform the task images (rotation, inversion of a
/// fraction, noise); (4) split them among devices, IID or with Dirichlet(alpha) label proportions per device, giving
/// device k exactly D_k images; (5) draw the task test set from the base test part with the same proportions and
/// transforms.
/// </remarks>
public static class ShiftedDataBuilder
{
    /// <summary>The largest task test set the source's test part can hold with the task's class proportions (the whole
    /// test part when its proportions match).</summary>
    /// <param name="source">Base dataset with its train/test parts.</param>
    /// <param name="shift">The shift (its class weights set the proportions; default: the training part's).</param>
    /// <returns>The size, at most the test part's.</returns>
    public static int LargestTaskTestSize(DatasetSplit source, ShiftConfig? shift = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ImageDataset train = source.Train, test = source.Test;
        double[] weights = (shift?.TaskClassWeights ?? train.ClassCounts().Select(c => (double)c).ToArray()).ToArray();
        int[] available = test.ClassCounts();
        for (int size = test.Count; size > 0; size--)
        {
            int[] counts = Sampling.Apportion(weights, size);
            if (counts.Zip(available).All(pair => pair.First <= pair.Second))
            {
                return size;
            }
        }

        return 0;
    }

    /// <summary>"2 of 10 classes (class 1: 1575 needed, 900 held; class 7: …)", or null when every class has enough.</summary>
    private static string? Shortfall(int[] needed, int[] held)
    {
        var lacking = Enumerable.Range(0, needed.Length).Where(c => needed[c] > held[c]).ToArray();
        return lacking.Length == 0
            ? null
            : $"{lacking.Length} of {needed.Length} classes ({string.Join("; ", lacking.Select(c => $"class {c}: {needed[c]} needed, {held[c]} held"))})";
    }

    /// <summary>Builds the data, or reports why it cannot.</summary>
    /// <param name="source">Base dataset with its train/test parts.</param>
    /// <param name="config">Sizes, shift, device split and seed.</param>
    /// <param name="data">The built data when the configuration fits the source.</param>
    /// <param name="errors">One line per problem (invalid field, or more images requested than the source holds).</param>
    /// <returns>Whether the data was built.</returns>
    public static bool TryBuild(DatasetSplit source, DataConfig config, out ShiftedData? data, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        data = null;
        ImageDataset train = source.Train, test = source.Test;
        var problems = new List<string>(config.Validate(train.ClassCount));
        if (problems.Count > 0)
        {
            errors = problems;
            return false;
        }

        ShiftConfig shift = config.Shift ?? new ShiftConfig();
        IReadOnlyList<double> weights = shift.TaskClassWeights ?? train.ClassCounts().Select(c => (double)c).ToArray();
        int[] taskCounts = Sampling.Apportion(weights.ToArray(), config.TaskSize);
        int[] testCounts = Sampling.Apportion(weights.ToArray(), config.TaskTestSize);
        int[] trainAvailable = train.ClassCounts(), testAvailable = test.ClassCounts();
        if (Shortfall(taskCounts, trainAvailable) is { } trainShort)
        {
            problems.Add($"deviceSizes sum to {config.TaskSize}, which needs more images than the training part holds in {trainShort}.");
        }

        if (Shortfall(testCounts, testAvailable) is { } testShort)
        {
            problems.Add($"taskTestSize is {config.TaskTestSize}, which needs more images than the test part holds in {testShort}.");
        }

        int remaining = train.Count - config.TaskSize;
        if (problems.Count == 0 && config.GeneralSize > remaining)
        {
            problems.Add($"generalSize is {config.GeneralSize}; only {remaining} training images remain after the {config.TaskSize} task images (they must be disjoint).");
        }

        if (problems.Count > 0)
        {
            errors = problems;
            return false;
        }

        var random = new Random(Sampling.DeriveSeed(config.Seed, 0));
        int[][] byClass = Sampling.IndicesByClass(train.Labels, train.ClassCount);
        var taskIndices = new List<int>(config.TaskSize);
        var rest = new List<int>(remaining);
        for (int c = 0; c < byClass.Length; c++)
        {
            Sampling.Shuffle(byClass[c].AsSpan(), random);
            taskIndices.AddRange(byClass[c].AsSpan(0, taskCounts[c]));
            rest.AddRange(byClass[c].AsSpan(taskCounts[c]));
        }

        int[] restArray = rest.ToArray();
        Sampling.Shuffle(restArray.AsSpan(), random);
        ImageDataset general = train.Select(restArray.AsSpan(0, config.GeneralSize), train.Name.Split('/')[0] + "/general");

        int[] taskArray = taskIndices.ToArray();
        Sampling.Shuffle(taskArray.AsSpan(), random);
        ImageDataset taskPool = Transform(train.Select(taskArray), shift, new Random(Sampling.DeriveSeed(config.Seed, 1)));
        int[][] deviceIndices = config.DeviceSplit == DeviceSplit.Iid
            ? SplitIid(config.DeviceSizes, taskPool.Count)
            : SplitDirichlet(taskPool.Labels, taskPool.ClassCount, config.DeviceSizes, config.DirichletAlpha, new Random(Sampling.DeriveSeed(config.Seed, 3)));
        string baseName = train.Name.Split('/')[0];
        var devices = new ImageDataset[deviceIndices.Length];
        for (int k = 0; k < devices.Length; k++)
        {
            devices[k] = taskPool.Select(deviceIndices[k], $"{baseName}/device{k}");
        }

        ImageDataset task = taskPool.Select(deviceIndices.SelectMany(d => d).ToArray(), baseName + "/task");

        var testRandom = new Random(Sampling.DeriveSeed(config.Seed, 2));
        int[][] testByClass = Sampling.IndicesByClass(test.Labels, test.ClassCount);
        var testIndices = new List<int>(config.TaskTestSize);
        for (int c = 0; c < testByClass.Length; c++)
        {
            Sampling.Shuffle(testByClass[c].AsSpan(), testRandom);
            testIndices.AddRange(testByClass[c].AsSpan(0, testCounts[c]));
        }

        int[] testArray = testIndices.ToArray();
        Sampling.Shuffle(testArray.AsSpan(), testRandom);
        ImageDataset taskTest = Transform(test.Select(testArray, baseName + "/task-test"), shift, testRandom);

        data = new ShiftedData(config, general, task, devices, taskTest);
        errors = [];
        return true;
    }

    /// <summary>Applies the shift's pixel transforms (rotation, inversion of a fraction, noise) to a copy of <paramref name="set"/>.</summary>
    /// <param name="set">Images to transform.</param>
    /// <param name="shift">The shift; class weights are ignored here.</param>
    /// <param name="random">Source of the inverted subset and the noise.</param>
    /// <returns>A new dataset with the same labels.</returns>
    public static ImageDataset Transform(ImageDataset set, ShiftConfig shift, Random random)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentNullException.ThrowIfNull(random);
        float[] pixels = set.Pixels.ToArray();
        int size = set.ImageSize;
        if (shift.RotationDegrees != 0)
        {
            var buffer = new float[size];
            for (int i = 0; i < set.Count; i++)
            {
                Span<float> image = pixels.AsSpan(i * size, size);
                ImageTransforms.Rotate(image, buffer, set.Width, set.Height, set.Channels, shift.RotationDegrees);
                buffer.CopyTo(image);
            }
        }

        int inverted = (int)Math.Round(shift.InvertFraction * set.Count);
        if (inverted > 0)
        {
            int[] order = Sampling.Permutation(set.Count, random);
            for (int k = 0; k < inverted; k++)
            {
                ImageTransforms.Invert(pixels.AsSpan(order[k] * size, size));
            }
        }

        if (shift.NoiseStd > 0)
        {
            ImageTransforms.AddNoise(pixels, shift.NoiseStd, random);
        }

        return set.WithData(set.Name, pixels, set.Labels.ToArray());
    }

    private static int[][] SplitIid(IReadOnlyList<int> sizes, int count)
    {
        // The pool is already shuffled: consecutive blocks are uniformly random shares.
        var result = new int[sizes.Count][];
        int offset = 0;
        for (int k = 0; k < sizes.Count; k++)
        {
            result[k] = Enumerable.Range(offset, sizes[k]).ToArray();
            offset += sizes[k];
        }

        return result;
    }

    private static int[][] SplitDirichlet(ReadOnlySpan<byte> labels, int classCount, IReadOnlyList<int> sizes, double alpha, Random random)
    {
        int[][] byClass = Sampling.IndicesByClass(labels, classCount);
        var next = new int[classCount];
        var result = new int[sizes.Count][];
        var weights = new double[classCount];
        for (int k = 0; k < sizes.Count; k++)
        {
            double[] q = Sampling.SymmetricDirichlet(classCount, alpha, random);
            result[k] = new int[sizes[k]];
            for (int s = 0; s < sizes[k]; s++)
            {
                // Classes already used up drop out; the remaining proportions renormalize. The pool holds exactly
                // sum D_k images, so some class always remains.
                for (int c = 0; c < classCount; c++)
                {
                    weights[c] = next[c] < byClass[c].Length ? q[c] : 0;
                }

                int chosen = Sampling.Categorical(weights, random);
                if (chosen < 0)
                {
                    for (int c = 0; c < classCount; c++)
                    {
                        weights[c] = next[c] < byClass[c].Length ? 1 : 0;
                    }

                    chosen = Sampling.Categorical(weights, random);
                }

                result[k][s] = byClass[chosen][next[chosen]++];
            }
        }

        return result;
    }
}
