namespace EdgeLearn.Learning.Tests;

public class TrainingTests
{
    [Fact]
    public void TrainStep_SeparableBlobs_ReachesOver95PercentHeldOutAccuracy()
    {
        // Arrange: 4 well-separated Gaussian classes in 10 dimensions.
        (float[] x, int[] y) = TestData.Blobs(1200, 10, 4, seed: 7);
        Network model = Mlp.Create(11, new MlpOptions { InputSize = 10, HiddenSizes = [16], ClassCount = 4 });
        const int batch = 32, trainCount = 1000;
        float firstLoss = 0, lastLoss = 0;

        // Act: 300 SGD steps cycling over the first 1000 samples.
        for (int step = 0; step < 300; step++)
        {
            int start = (step * batch) % (trainCount - batch);
            float loss = Sgd.TrainStep(model, x.AsSpan(start * 10, batch * 10), y.AsSpan(start, batch), 0.1f);
            if (step == 0)
            {
                firstLoss = loss;
            }

            lastLoss = loss;
        }

        // Assert
        Evaluation heldOut = model.Evaluate(x.AsSpan(trainCount * 10), y.AsSpan(trainCount));
        Assert.True(heldOut.Accuracy > 0.95, $"held-out accuracy {heldOut.Accuracy:P1}");
        Assert.True(lastLoss < firstLoss / 4, $"loss {firstLoss} -> {lastLoss}");
    }

    [Fact]
    public void TrainStep_LeNetOnBrightQuadrant_LearnsTheRule()
    {
        // Class = which quadrant of a noisy 12×12 image is bright.
        var random = new Random(3);
        const int count = 400, side = 12;
        var x = new float[count * side * side];
        var y = new int[count];
        for (int s = 0; s < count; s++)
        {
            y[s] = random.Next(4);
            for (int r = 0; r < side; r++)
            {
                for (int c = 0; c < side; c++)
                {
                    int quadrant = ((r >= side / 2) ? 2 : 0) + ((c >= side / 2) ? 1 : 0);
                    x[(s * side * side) + (r * side) + c] = (quadrant == y[s] ? 1f : 0f) + (float)(random.NextDouble() * 0.6);
                }
            }
        }

        Network model = LeNet.Create(5, new LeNetOptions { ImageSize = side, Conv1Filters = 4, Conv2Filters = 6, KernelSize = 3, HiddenUnits = 16, ClassCount = 4 });
        for (int step = 0; step < 150; step++)
        {
            int start = (step * 16) % (300 - 16);
            Sgd.TrainStep(model, x.AsSpan(start * side * side, 16 * side * side), y.AsSpan(start, 16), 0.05f);
        }

        Evaluation heldOut = model.Evaluate(x.AsSpan(300 * side * side), y.AsSpan(300));
        Assert.True(heldOut.Accuracy > 0.95, $"held-out accuracy {heldOut.Accuracy:P1}");
    }

    [Theory]
    [InlineData("mlp", 1)]
    [InlineData("mlp", 2)]
    [InlineData("lenet", 1)]
    [InlineData("lenet", 2)]
    public void TrainStep_SameSeed_BitIdenticalParameters(string architecture, int threads)
    {
        float[] first = Train(architecture, threads);
        float[] second = Train(architecture, threads);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("lenet")]
    public void TrainStep_SteadyStateOneThread_DoesNotAllocate(string architecture)
    {
        Network model = architecture == "mlp" ? Mlp.Create(1) : LeNet.Create(1);
        float[] x = TestData.Uniform(32 * model.InputSize, 2);
        int[] y = TestData.Labels(32, 10, 3);
        for (int i = 0; i < 3; i++)
        {
            Sgd.TrainStep(model, x, y, 0.01f);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            Sgd.TrainStep(model, x, y, 0.01f);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    private static float[] Train(string architecture, int threads)
    {
        Network model = GradientCheckTests.Build(architecture, new EngineOptions { ThreadCount = threads, MinMultiplyAddsPerThread = 0 });
        for (int step = 0; step < 10; step++)
        {
            float[] x = TestData.Uniform(9 * model.InputSize, 100 + step);
            int[] y = TestData.Labels(9, model.ClassCount, 200 + step);
            Sgd.TrainStep(model, x, y, 0.1f);
        }

        return model.Parameters.ToArray();
    }
}
