namespace EdgeLearn.Learning;

/// <summary>How a <see cref="Network"/> runs its training steps.</summary>
public sealed record EngineOptions
{
    /// <summary>Threads one gradient computation may use; default 1, limit 1–64.</summary>
    /// <remarks>With T &gt; 1 the minibatch is split into T contiguous chunks (chunk t holds samples
    /// ⌊tB/T⌋ … ⌊(t+1)B/T⌋ − 1), each thread computes its chunk's gradient into its own buffer, and the chunk
    /// gradients are summed in chunk order. The partition and the order depend only on B and T, so results are
    /// bit-identical for the same seed and thread count on the same machine (but differ in the last bits
    /// between thread counts). Use 1 when many models train concurrently, one per core.</remarks>
    public int ThreadCount { get; init; } = 1;
}
