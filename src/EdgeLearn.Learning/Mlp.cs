namespace EdgeLearn.Learning;

/// <summary>Builds multilayer perceptrons; the default 784-128-10 MLP has 101,770 parameters, the model size S of the default scenario.</summary>
public static class Mlp
{
    /// <summary>Creates an MLP initialised from <paramref name="seed"/>.</summary>
    /// <param name="seed">Initialisation seed.</param>
    /// <param name="options">Architecture; default <see cref="MlpOptions"/> (784-128-10).</param>
    /// <param name="engine">Engine options; default one thread.</param>
    /// <returns>The network.</returns>
    public static Network Create(int seed, MlpOptions? options = null, EngineOptions? engine = null)
    {
        options ??= new MlpOptions();
        var layers = new List<LayerSpec>();
        foreach (int hidden in options.HiddenSizes)
        {
            layers.Add(new DenseSpec(hidden));
            layers.Add(new ReluSpec());
        }

        layers.Add(new DenseSpec(options.ClassCount));
        return Network.Create(TensorShape.Vector(options.InputSize), layers, seed, engine);
    }
}
