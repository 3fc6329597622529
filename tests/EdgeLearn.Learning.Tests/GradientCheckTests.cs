namespace EdgeLearn.Learning.Tests;

public class GradientCheckTests
{
    private const int Batch = 4;

    public static TheoryData<string> Architectures() => new(
        "dense",
        "dense-relu-dense",
        "conv-valid-flatten-dense",
        "conv-same-maxpool-flatten-dense",
        "conv-relu-conv-flatten-dense",
        "mlp",
        "lenet");

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ComputeGradient_SmallNetwork_MatchesCentralDifferences(string name)
    {
        // Arrange
        Network network = Build(name, new EngineOptions());
        float[] x = TestData.Uniform(Batch * network.InputSize, 21);
        int[] y = TestData.Labels(Batch, network.ClassCount, 22);

        // Act
        network.ComputeGradient(x, y);
        double[] analytic = network.Gradients.ToArray().Select(v => (double)v).ToArray();
        double[] numeric = NumericGradient(network, x, y);

        // Assert
        double error = Tolerance.RelativeError(analytic, numeric);
        string worst = string.Join("; ", Enumerable.Range(0, analytic.Length).OrderByDescending(i => Math.Abs(analytic[i] - numeric[i])).Take(5).Select(i => $"[{i}] {analytic[i]:E3} vs {numeric[i]:E3}"));
        Assert.True(error < Tolerance.GradientCheck, $"{name}: relative error {error:E3} over {analytic.Length} parameters; worst {worst}.");
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-4);
    }

    [Fact]
    public void ComputeGradient_TwoThreads_MatchesOneThread()
    {
        Network one = Build("lenet", new EngineOptions());
        Network two = one.CloneNetwork(new EngineOptions { ThreadCount = 2, MinMultiplyAddsPerThread = 0 });
        float[] x = TestData.Uniform(7 * one.InputSize, 31);
        int[] y = TestData.Labels(7, one.ClassCount, 32);

        float lossOne = one.ComputeGradient(x, y);
        float lossTwo = two.ComputeGradient(x, y);

        Tolerance.Close(lossOne, lossTwo, Math.Abs(lossOne), 1e-5, 0, "loss");
        double[] g1 = one.Gradients.ToArray().Select(v => (double)v).ToArray();
        double[] g2 = two.Gradients.ToArray().Select(v => (double)v).ToArray();
        Assert.True(Tolerance.RelativeError(g1, g2) < 1e-5);
    }

    [Fact]
    public void ComputeGradient_DefaultLeNetBatch_EqualsMeanOfPerSampleGradients()
    {
        // The default LeNet runs batches as micro-batches of 8 and its convolutions run several samples per GEMM
        // (3 for conv1, 4 for conv2), so a batch of 19 exercises full and partial micro-batches and groups;
        // one-sample batches use neither.
        Network model = LeNet.Create(9);
        const int batch = 19;
        float[] x = TestData.Uniform(batch * model.InputSize, 41);
        int[] y = TestData.Labels(batch, model.ClassCount, 42);
        var mean = new double[model.ParameterCount];
        double meanLoss = 0;
        for (int s = 0; s < batch; s++)
        {
            meanLoss += model.ComputeGradient(x.AsSpan(s * model.InputSize, model.InputSize), y.AsSpan(s, 1)) / (double)batch;
            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] += model.Gradients[i] / (double)batch;
            }
        }

        float loss = model.ComputeGradient(x, y);

        Tolerance.Close(meanLoss, loss, Math.Abs(meanLoss), 1e-5, 0, "loss");
        double[] batchGradient = model.Gradients.ToArray().Select(v => (double)v).ToArray();
        Assert.True(Tolerance.RelativeError(mean, batchGradient) < 1e-5);
    }

    internal static Network Build(string name, EngineOptions engine) => name switch
    {
        "dense" => Network.Create(TensorShape.Vector(5), [new DenseSpec(3)], 1, engine),
        "dense-relu-dense" => Network.Create(TensorShape.Vector(6), [new DenseSpec(5), new ReluSpec(), new DenseSpec(3)], 2, engine),
        "conv-valid-flatten-dense" => Network.Create(new TensorShape(2, 5, 6), [new Conv2dSpec(3, 3), new FlattenSpec(), new DenseSpec(4)], 3, engine),
        "conv-same-maxpool-flatten-dense" => Network.Create(new TensorShape(2, 6, 6), [new Conv2dSpec(3, 3, ConvPadding.Same), new MaxPool2dSpec(), new FlattenSpec(), new DenseSpec(3)], 4, engine),
        "conv-relu-conv-flatten-dense" => Network.Create(new TensorShape(1, 7, 7), [new Conv2dSpec(2, 3, ConvPadding.Same), new ReluSpec(), new Conv2dSpec(3, 3), new FlattenSpec(), new DenseSpec(3)], 5, engine),
        "mlp" => Mlp.Create(6, new MlpOptions { InputSize = 12, HiddenSizes = [9, 7], ClassCount = 4 }, engine),
        "lenet" => LeNet.Create(7, new LeNetOptions { ImageSize = 12, Conv1Filters = 2, Conv2Filters = 3, KernelSize = 3, HiddenUnits = 8, ClassCount = 4 }, engine),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Central differences (L(w + h) − L(w − h)) / 2h of the mean loss (summed in double); h = 3e-4 is small enough that ReLU and max-pool kinks are rarely crossed and large enough that float round-off stays near 1e-4 relative.</summary>
    private static double[] NumericGradient(Network network, float[] x, int[] y)
    {
        const float step = 3e-4f;
        Span<float> w = network.Parameters;
        var numeric = new double[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            float original = w[i];
            w[i] = original + step;
            double plus = network.Evaluate(x, y).Loss;
            w[i] = original - step;
            double minus = network.Evaluate(x, y).Loss;
            w[i] = original;
            numeric[i] = (plus - minus) / ((double)(original + step) - (original - step));
        }

        return numeric;
    }
}
