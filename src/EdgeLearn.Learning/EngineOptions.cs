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

    /// <summary>Least forward multiply-adds one thread's share of a minibatch must have before another thread is
    /// used; default 1,000,000 (about 10 samples of the default MLP, 3 of the default LeNet), limit ≥ 0 (0 splits
    /// every batch of at least <see cref="ThreadCount"/> samples).</summary>
    /// <remarks>The number of threads used for a batch of B samples is min(T, B, max(1, ⌊B·c / this⌋)) with c the
    /// network's forward multiply-adds per sample: a fork-join costs microseconds, which small batches of small
    /// models cannot repay. It depends only on B, T and the architecture, so determinism is unaffected.</remarks>
    public long MinMultiplyAddsPerThread { get; init; } = 1_000_000;
}
