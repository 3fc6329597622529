using System.Globalization;

namespace EdgeLearn.Learning;

/// <summary>The kinds of network <see cref="ModelArchitecture"/> describes.</summary>
public enum ModelFamily
{
    /// <summary>A multilayer perceptron (<see cref="Mlp"/>).</summary>
    Mlp = 1,

    /// <summary>The LeNet-style CNN (<see cref="LeNet"/>).</summary>
    LeNet = 2,
}

/// <summary>
/// What a parameter vector belongs to: the network family, the input shape and the layer sizes. Two architectures that
/// are equal lay their parameters out identically, so weights saved for one (<see cref="ModelFile"/>) load into the other.
/// </summary>
/// <remarks>
/// <see cref="LayerSizes"/> holds, for an MLP, the hidden widths and then the class count (784-128-10 is input 784, sizes
/// [128, 10]); for LeNet, the two convolutions' filters, the kernel side, the hidden units and the class count.
/// </remarks>
public sealed record ModelArchitecture
{
    private ModelArchitecture(ModelFamily family, TensorShape input, int[] layerSizes)
    {
        Family = family;
        Input = input;
        LayerSizes = layerSizes;
    }

    /// <summary>The network family.</summary>
    public ModelFamily Family { get; }

    /// <summary>Shape of one input sample (C, H, W); an MLP's is (n, 1, 1).</summary>
    public TensorShape Input { get; }

    /// <summary>The layer sizes (see the remarks); the last is the class count.</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Number of classes (the last layer size).</summary>
    public int ClassCount => LayerSizes[^1];

    /// <summary>The architecture of an MLP.</summary>
    /// <param name="options">Its options.</param>
    /// <returns>The architecture.</returns>
    public static ModelArchitecture Of(MlpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelArchitecture(ModelFamily.Mlp, TensorShape.Vector(options.InputSize), [.. options.HiddenSizes, options.ClassCount]);
    }

    /// <summary>The architecture of a LeNet.</summary>
    /// <param name="options">Its options.</param>
    /// <returns>The architecture.</returns>
    public static ModelArchitecture Of(LeNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelArchitecture(ModelFamily.LeNet, new TensorShape(options.Channels, options.ImageSize, options.ImageSize),
            [options.Conv1Filters, options.Conv2Filters, options.KernelSize, options.HiddenUnits, options.ClassCount]);
    }

    /// <summary>An architecture read back from a file, checked for its family's rules.</summary>
    /// <param name="family">The family.</param>
    /// <param name="input">The input shape.</param>
    /// <param name="layerSizes">The layer sizes.</param>
    /// <param name="architecture">The architecture, when valid.</param>
    /// <param name="error">Why not, one line, otherwise.</param>
    /// <returns>Whether the description is a valid architecture.</returns>
    public static bool TryCreate(ModelFamily family, TensorShape input, IReadOnlyList<int> layerSizes, out ModelArchitecture? architecture, out string? error)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        architecture = null;
        error = null;
        if (family is not (ModelFamily.Mlp or ModelFamily.LeNet))
        {
            error = $"the model kind is {(int)family}; it must be 1 (mlp) or 2 (lenet)";
        }
        else if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
        {
            error = $"the input shape is {Shape(input)}; every dimension must be at least 1";
        }
        else if (layerSizes.Any(s => s < 1))
        {
            error = $"the layer sizes are {string.Join(", ", layerSizes)}; each must be at least 1";
        }
        else if (family == ModelFamily.Mlp && (input.Height != 1 || input.Width != 1 || layerSizes.Count < 1 || layerSizes[^1] < 2))
        {
            error = $"the mlp description (input {Shape(input)}, sizes {string.Join(", ", layerSizes)}) is not a vector input with at least 2 classes";
        }
        else if (family == ModelFamily.LeNet && (input.Height != input.Width || layerSizes.Count != 5 || layerSizes[^1] < 2))
        {
            error = $"the lenet description (input {Shape(input)}, sizes {string.Join(", ", layerSizes)}) is not a square input with 5 layer sizes and at least 2 classes";
        }
        else
        {
            architecture = new ModelArchitecture(family, input, [.. layerSizes]);
        }

        return architecture is not null;
    }

    /// <summary>Builds the network this describes, initialised from <paramref name="seed"/>.</summary>
    /// <param name="seed">Initialisation seed.</param>
    /// <param name="engine">Engine options; default one thread.</param>
    /// <returns>The network.</returns>
    public Network Create(int seed, EngineOptions? engine = null) => Family == ModelFamily.Mlp
        ? Mlp.Create(seed, new MlpOptions { InputSize = Input.Size, HiddenSizes = LayerSizes.Take(LayerSizes.Count - 1).ToArray(), ClassCount = ClassCount }, engine)
        : LeNet.Create(seed, new LeNetOptions
        {
            Channels = Input.Channels,
            ImageSize = Input.Height,
            Conv1Filters = LayerSizes[0],
            Conv2Filters = LayerSizes[1],
            KernelSize = LayerSizes[2],
            HiddenUnits = LayerSizes[3],
            ClassCount = LayerSizes[4],
        }, engine);

    /// <summary>What differs from <paramref name="expected"/>, one phrase each (empty when equal), such as
    /// <c>hidden sizes 32 instead of 16</c>.</summary>
    /// <param name="expected">The architecture wanted.</param>
    /// <returns>The differences.</returns>
    public IReadOnlyList<string> Differences(ModelArchitecture expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (Family != expected.Family)
        {
            return [$"model {Name(Family)} instead of {Name(expected.Family)}"];
        }

        var differences = new List<string>();
        if (Input != expected.Input)
        {
            differences.Add(Family == ModelFamily.Mlp
                ? $"input size {Input.Size} instead of {expected.Input.Size}"
                : $"input shape {Shape(Input)} instead of {Shape(expected.Input)}");
        }

        if (ClassCount != expected.ClassCount)
        {
            differences.Add($"{ClassCount} classes instead of {expected.ClassCount}");
        }

        var mine = LayerSizes.Take(LayerSizes.Count - 1).ToArray();
        var theirs = expected.LayerSizes.Take(expected.LayerSizes.Count - 1).ToArray();
        if (!mine.SequenceEqual(theirs))
        {
            differences.Add(Family == ModelFamily.Mlp
                ? $"hidden sizes {Join(mine)} instead of {Join(theirs)}"
                : $"layers (filters, filters, kernel, hidden) {Join(mine)} instead of {Join(theirs)}");
        }

        return differences;
    }

    /// <inheritdoc/>
    public bool Equals(ModelArchitecture? other) =>
        other is not null && Family == other.Family && Input == other.Input && LayerSizes.SequenceEqual(other.LayerSizes);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Family);
        hash.Add(Input);
        foreach (int size in LayerSizes)
        {
            hash.Add(size);
        }

        return hash.ToHashCode();
    }

    /// <summary>A short description: <c>mlp 784-128-10</c> or <c>lenet 1x28x28 6,16,5,120-10</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Family == ModelFamily.Mlp
        ? $"mlp {Input.Size.ToString(CultureInfo.InvariantCulture)}-{string.Join("-", LayerSizes)}"
        : $"lenet {Shape(Input)} {Join(LayerSizes.Take(4))}-{ClassCount.ToString(CultureInfo.InvariantCulture)}";

    private static string Name(ModelFamily family) => family == ModelFamily.Mlp ? "mlp" : "lenet";

    private static string Join(IEnumerable<int> sizes) => sizes.Any() ? string.Join(",", sizes) : "none";

    private static string Shape(TensorShape shape) => FormattableString.Invariant($"{shape.Channels}x{shape.Height}x{shape.Width}");
}
