namespace EdgeLearn.Learning;

/// <summary>A trainable classifier whose parameters and gradients are single flat vectors.</summary>
/// <remarks>
/// Federated learning averages, uploads and checks whole vectors, so every backend exposes its parameters w and
/// the last minibatch gradient g (model.md §3) as one contiguous span each, in the same fixed layout.
/// An instance is not thread-safe; give each thread its own instance (<see cref="Clone"/> is cheap).
/// </remarks>
public interface IModel
{
    /// <summary>Number of scalar parameters (length of <see cref="Parameters"/> and <see cref="Gradients"/>).</summary>
    int ParameterCount { get; }

    /// <summary>Features per input sample (for images C·H·W, channel-major).</summary>
    int InputSize { get; }

    /// <summary>Number of classes the model scores.</summary>
    int ClassCount { get; }

    /// <summary>The parameter vector w, writable in place (for example by <see cref="Sgd.Step"/> or by aggregation).</summary>
    Span<float> Parameters { get; }

    /// <summary>The gradient written by the last <see cref="ComputeGradient"/> call.</summary>
    Span<float> Gradients { get; }

    /// <summary>Computes the mean softmax cross-entropy of a minibatch and writes its gradient ∇F(w) to <see cref="Gradients"/>.</summary>
    /// <param name="inputs">B samples of <see cref="InputSize"/> features each, sample-major; length B·InputSize.</param>
    /// <param name="labels">B class indices in [0, <see cref="ClassCount"/>); B ≥ 1.</param>
    /// <returns>The mean loss over the minibatch, in nats.</returns>
    float ComputeGradient(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>Writes the highest-scoring class of every sample.</summary>
    /// <param name="inputs">Samples, sample-major; length B·InputSize.</param>
    /// <param name="predictions">Destination for B class indices; at least B long.</param>
    void Predict(ReadOnlySpan<float> inputs, Span<int> predictions);

    /// <summary>Computes mean loss and accuracy over a labelled set without touching <see cref="Gradients"/>.</summary>
    /// <param name="inputs">Samples, sample-major; length B·InputSize.</param>
    /// <param name="labels">B class indices in [0, <see cref="ClassCount"/>).</param>
    /// <returns>Loss, accuracy and count.</returns>
    Evaluation Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>Creates an independent model with the same architecture and options and a copy of the parameters; gradients start at zero.</summary>
    /// <returns>The copy.</returns>
    IModel Clone();
}
