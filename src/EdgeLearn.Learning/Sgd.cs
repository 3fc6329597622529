using System.Numerics.Tensors;

namespace EdgeLearn.Learning;

/// <summary>Plain stochastic gradient descent.</summary>
public static class Sgd
{
    /// <summary>Applies one step w ← w − η·g in place.</summary>
    /// <param name="parameters">The parameter vector w, updated in place.</param>
    /// <param name="gradients">The gradient g; same length as <paramref name="parameters"/>.</param>
    /// <param name="learningRate">Step size η (model.md η0, η); finite.</param>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"gradients has {gradients.Length} elements; parameters has {parameters.Length}.", nameof(gradients));
        }

        TensorPrimitives.MultiplyAdd(gradients, -learningRate, parameters, parameters);
    }

    /// <summary>Computes the minibatch gradient of <paramref name="model"/> and applies one SGD step to it.</summary>
    /// <param name="model">The model to train.</param>
    /// <param name="inputs">B samples, sample-major.</param>
    /// <param name="labels">B class indices.</param>
    /// <param name="learningRate">Step size η; finite.</param>
    /// <returns>The minibatch loss before the step, in nats.</returns>
    public static float TrainStep(IModel model, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(model);
        float loss = model.ComputeGradient(inputs, labels);
        Step(model.Parameters, model.Gradients, learningRate);
        return loss;
    }
}
