using EdgeLearn.Learning;

namespace EdgeLearn.Training.Internal;

/// <summary>The classifier a run trains, built from the data's shape and the options (one place for pilot and run).</summary>
internal static class Models
{
    /// <summary>Builds the model of <paramref name="options"/> for the data's images, initialised from <paramref name="seed"/>.</summary>
    public static Network Create(TrainingData data, TrainingOptions options, int seed, EngineOptions engine) => options.Model switch
    {
        ModelKind.Mlp => Mlp.Create(seed, new MlpOptions { InputSize = data.InputSize, HiddenSizes = options.HiddenSizes, ClassCount = data.ClassCount }, engine),
        ModelKind.LeNet => LeNet.Create(seed, new LeNetOptions { Channels = data.Channels, ImageSize = data.Width, ClassCount = data.ClassCount }, engine),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    /// <summary>The architecture <see cref="Create"/> builds for these data and options (what a weights file must match).</summary>
    public static ModelArchitecture Architecture(TrainingData data, TrainingOptions options) => options.Model switch
    {
        ModelKind.Mlp => ModelArchitecture.Of(new MlpOptions { InputSize = data.InputSize, HiddenSizes = options.HiddenSizes, ClassCount = data.ClassCount }),
        ModelKind.LeNet => ModelArchitecture.Of(new LeNetOptions { Channels = data.Channels, ImageSize = data.Width, ClassCount = data.ClassCount }),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    /// <summary>A short description such as <c>mlp 784-128-10</c> or <c>lenet 28x28x1-10</c>.</summary>
    public static string Describe(TrainingData data, TrainingOptions options) => options.Model == ModelKind.Mlp
        ? $"mlp {string.Join("-", new[] { data.InputSize }.Concat(options.HiddenSizes).Append(data.ClassCount))}"
        : $"lenet {data.Width}x{data.Height}x{data.Channels}-{data.ClassCount}";

    /// <summary>S for this model: parameters × 32 bits (one float per parameter uploaded per round).</summary>
    public static double UploadBits(int parameterCount) => parameterCount * 32.0;
}
