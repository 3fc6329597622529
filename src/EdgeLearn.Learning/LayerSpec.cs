namespace EdgeLearn.Learning;

/// <summary>Description of one layer of a <see cref="Network"/>; the network infers input shapes and lays out parameters.</summary>
public abstract record LayerSpec;

/// <summary>Fully connected layer y = x·W + b over the flattened input.</summary>
/// <param name="Units">Output features; at least 1.</param>
/// <remarks>Parameters: W (inputs × units, row-major) then b (units). Initialised He-uniform when a ReLU follows,
/// Glorot-uniform otherwise; b = 0.</remarks>
public sealed record DenseSpec(int Units) : LayerSpec;

/// <summary>Two-dimensional convolution (cross-correlation), stride 1, with a square kernel.</summary>
/// <param name="Filters">Output channels; at least 1.</param>
/// <param name="KernelSize">Kernel side in pixels; at least 1, odd when <paramref name="Padding"/> is <see cref="ConvPadding.Same"/>.</param>
/// <param name="Padding">Zero padding; default <see cref="ConvPadding.Valid"/>.</param>
/// <remarks>Parameters: W (filters × channels·k·k, row-major) then b (filters). Computed by im2col and GEMM.</remarks>
public sealed record Conv2dSpec(int Filters, int KernelSize, ConvPadding Padding = ConvPadding.Valid) : LayerSpec;

/// <summary>Max pooling over non-overlapping 2×2 windows (stride 2); an odd last row or column is dropped.</summary>
public sealed record MaxPool2dSpec : LayerSpec;

/// <summary>Rectified linear unit y = max(x, 0), elementwise.</summary>
public sealed record ReluSpec : LayerSpec;

/// <summary>Reshapes (C, H, W) to a vector (C·H·W, 1, 1); values are unchanged.</summary>
public sealed record FlattenSpec : LayerSpec;

/// <summary>Zero padding of a convolution.</summary>
public enum ConvPadding
{
    /// <summary>No padding: output side = input side − k + 1.</summary>
    Valid,

    /// <summary>Pad (k − 1)/2 on every side so the output side equals the input side (k odd).</summary>
    Same,
}
