namespace EdgeLearn.Learning;

/// <summary>Builds the LeNet-style CNN (LeCun et al., Proc. IEEE 86(11), 1998) with ReLU and max pooling; 51,902 parameters for 28×28×1 inputs by default.</summary>
public static class LeNet
{
    /// <summary>Creates the CNN initialised from <paramref name="seed"/>.</summary>
    /// <param name="seed">Initialisation seed.</param>
    /// <param name="options">Architecture; default <see cref="LeNetOptions"/> (6 and 16 filters of 5×5, 120 hidden units, 10 classes).</param>
    /// <param name="engine">Engine options; default one thread.</param>
    /// <returns>The network.</returns>
    public static Network Create(int seed, LeNetOptions? options = null, EngineOptions? engine = null)
    {
        options ??= new LeNetOptions();
        LayerSpec[] layers =
        [
            new Conv2dSpec(options.Conv1Filters, options.KernelSize, ConvPadding.Same),
            new ReluSpec(),
            new MaxPool2dSpec(),
            new Conv2dSpec(options.Conv2Filters, options.KernelSize, ConvPadding.Valid),
            new ReluSpec(),
            new MaxPool2dSpec(),
            new FlattenSpec(),
            new DenseSpec(options.HiddenUnits),
            new ReluSpec(),
            new DenseSpec(options.ClassCount),
        ];
        return Network.Create(new TensorShape(options.Channels, options.ImageSize, options.ImageSize), layers, seed, engine);
    }
}
