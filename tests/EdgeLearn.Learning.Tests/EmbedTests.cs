namespace EdgeLearn.Learning.Tests;

public sealed class EmbedTests
{
    [Fact]
    public void Embed_Mlp_IsTheHiddenLayerThatTheLastLayerScores()
    {
        var network = Mlp.Create(2, new MlpOptions { InputSize = 6, HiddenSizes = [5], ClassCount = 3 });
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 4 * 6).Select(_ => (float)random.NextDouble()).ToArray();
        var features = new float[4 * network.FeatureSize];

        network.Embed(x, features);

        Assert.Equal(5, network.FeatureSize);
        Assert.All(features, f => Assert.True(f >= 0, "the hidden layer is a ReLU output"));
        // Logits = features·W + b with the last layer's inputs × units weights (after the first layer's 6·5 + 5 parameters).
        var predictions = new int[4];
        network.Predict(x, predictions);
        ReadOnlySpan<float> w = network.Parameters.Slice(35, 15), b = network.Parameters.Slice(50, 3);
        for (int i = 0; i < 4; i++)
        {
            var logits = new float[3];
            for (int c = 0; c < 3; c++)
            {
                logits[c] = b[c];
                for (int k = 0; k < 5; k++)
                {
                    logits[c] += w[(k * 3) + c] * features[(i * 5) + k];
                }
            }

            Assert.Equal(predictions[i], Array.IndexOf(logits, logits.Max()));
        }
    }

    [Fact]
    public void Embed_SingleLayer_IsTheInputItself()
    {
        var network = Network.Create(new TensorShape(1, 1, 4), [new DenseSpec(2)], seed: 1);
        float[] x = [0.1f, 0.2f, 0.3f, 0.4f];
        var features = new float[4];

        network.Embed(x, features);

        Assert.Equal(x, features);
        Assert.Throws<ArgumentException>(() => network.Embed(x, new float[3]));
    }
}
