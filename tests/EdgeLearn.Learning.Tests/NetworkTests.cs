namespace EdgeLearn.Learning.Tests;

public class NetworkTests
{
    [Fact]
    public void MlpCreate_Defaults_Has101770Parameters()
    {
        Network mlp = Mlp.Create(seed: 1);
        Assert.Equal(101_770, mlp.ParameterCount);
        Assert.Equal(784, mlp.InputSize);
        Assert.Equal(10, mlp.ClassCount);
    }

    [Fact]
    public void LeNetCreate_Defaults_Has51902Parameters()
    {
        Network cnn = LeNet.Create(seed: 1);
        Assert.Equal(51_902, cnn.ParameterCount);
        Assert.Equal(new TensorShape(1, 28, 28), cnn.InputShape);
    }

    [Fact]
    public void Create_SameSeed_IdenticalParameters_DifferentSeed_Different()
    {
        Assert.Equal(Mlp.Create(3).Parameters.ToArray(), Mlp.Create(3).Parameters.ToArray());
        Assert.NotEqual(Mlp.Create(3).Parameters.ToArray(), Mlp.Create(4).Parameters.ToArray());
    }

    [Fact]
    public void Clone_TrainingTheCopy_LeavesOriginalUnchanged()
    {
        Network original = Mlp.Create(5, new MlpOptions { InputSize = 8, HiddenSizes = [6], ClassCount = 3 });
        float[] before = original.Parameters.ToArray();
        IModel copy = original.Clone();
        Assert.Equal(before, copy.Parameters.ToArray());

        Sgd.TrainStep(copy, TestData.Uniform(16, 1), [0, 1], 0.5f);

        Assert.Equal(before, original.Parameters.ToArray());
        Assert.NotEqual(before, copy.Parameters.ToArray());
    }

    [Fact]
    public void ComputeGradient_WrongInputLength_Throws()
    {
        Network mlp = Mlp.Create(1, new MlpOptions { InputSize = 4, HiddenSizes = [], ClassCount = 2 });
        Assert.Throws<ArgumentException>("inputs", () => mlp.ComputeGradient(new float[7], [0, 1]));
    }

    [Fact]
    public void ComputeGradient_LabelOutOfRange_Throws()
    {
        Network mlp = Mlp.Create(1, new MlpOptions { InputSize = 4, HiddenSizes = [], ClassCount = 2 });
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => mlp.ComputeGradient(new float[8], [0, 2]));
    }

    [Fact]
    public void Create_SamePaddingWithEvenKernel_Throws()
    {
        Assert.Throws<ArgumentException>(() => Network.Create(new TensorShape(1, 8, 8), [new Conv2dSpec(2, 4, ConvPadding.Same), new FlattenSpec(), new DenseSpec(2)], 1));
    }

    [Fact]
    public void Predict_AgreesWithEvaluateAccuracy()
    {
        Network mlp = Mlp.Create(2, new MlpOptions { InputSize = 6, HiddenSizes = [5], ClassCount = 3 });
        float[] x = TestData.Uniform(300 * 6, 3);
        int[] y = TestData.Labels(300, 3, 4);
        var predictions = new int[300];

        mlp.Predict(x, predictions);
        Evaluation evaluation = mlp.Evaluate(x, y);

        Assert.Equal(300, evaluation.Count);
        Assert.Equal(predictions.Zip(y).Count(p => p.First == p.Second) / 300.0, evaluation.Accuracy, 12);
    }
}
