using EdgeLearn.Data.Datasets;
using EdgeLearn.Learning;
using EdgeLearn.Training.Internal;

namespace EdgeLearn.Training;

/// <summary>Options of <see cref="FeatureSpace.Pretrain"/>: a small network trained on the general data only, whose last
/// hidden layer is the space in which datasets are compared.</summary>
public sealed record FeatureSpaceOptions
{
    /// <summary>Hidden widths of the MLP; default [128].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128];

    /// <summary>SGD steps on the general data; default 1000, at least 1.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Minibatch; default 128, at least 1 (clipped to the data).</summary>
    public int Batch { get; init; } = 128;

    /// <summary>SGD step size; default 0.1, positive.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Seed of the initialisation and the minibatches; default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Threads; default 2, 1 to 64.</summary>
    public int Parallelism { get; init; } = 2;
}

/// <summary>
/// The learned feature space of a network pre-trained on the general data: distances between datasets measured there
/// follow what the model distinguishes rather than raw pixels, in the spirit of the optimal-transport dataset distance
/// of Alvarez-Melis and Fusi, "Geometric Dataset Distances via Optimal Transport" (NeurIPS 2020).
/// </summary>
public static class FeatureSpace
{
    /// <summary>Trains an MLP on <paramref name="general"/> alone (the task data is never seen).</summary>
    /// <param name="general">The general data P0; at least one image.</param>
    /// <param name="options">Widths, steps, batch, step size, seed and threads.</param>
    /// <returns>The trained network.</returns>
    public static Network Pretrain(ImageDataset general, FeatureSpaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(general);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(general.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        var network = Mlp.Create(options.Seed, new MlpOptions { InputSize = general.ImageSize, HiddenSizes = options.HiddenSizes, ClassCount = general.ClassCount },
            new EngineOptions { ThreadCount = options.Parallelism });
        var sampler = new MinibatchSampler(LabelledSet.From(general), Math.Min(options.Batch, general.Count), Seeds.Derive(options.Seed, Seeds.Server));
        for (int step = 0; step < options.Steps; step++)
        {
            sampler.Draw();
            Sgd.TrainStep(network, sampler.Features, sampler.Labels, (float)options.LearningRate);
        }

        return network;
    }

    /// <summary>The images as points of the network's last hidden layer: one 1-row "image" of
    /// <see cref="Network.FeatureSize"/> values per sample, labels kept (so the label term of W1 still applies).</summary>
    /// <param name="network">A network whose input is these images.</param>
    /// <param name="images">The images.</param>
    /// <returns>The embedded set.</returns>
    public static ImageDataset Embed(Network network, ImageDataset images)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        int size = network.FeatureSize;
        var features = new float[(long)images.Count * size];
        network.Embed(images.Pixels, features);
        return new ImageDataset(images.Name + "/features", size, 1, 1, images.ClassCount, features, images.Labels.ToArray());
    }
}
