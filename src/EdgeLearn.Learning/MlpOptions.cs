namespace EdgeLearn.Learning;

/// <summary>Architecture of a multilayer perceptron: input → (Dense → ReLU)* → Dense.</summary>
public sealed record MlpOptions
{
    /// <summary>Input features; default 784 (28×28 images), at least 1.</summary>
    public int InputSize { get; init; } = 784;

    /// <summary>Hidden layer widths in order; default [128]; each at least 1; may be empty (softmax regression).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128];

    /// <summary>Classes; default 10, at least 2.</summary>
    public int ClassCount { get; init; } = 10;
}
