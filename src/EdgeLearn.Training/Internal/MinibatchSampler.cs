namespace EdgeLearn.Training.Internal;

/// <summary>
/// Draws seeded minibatches of one fixed size from one set into preallocated buffers (no allocation per draw).
/// </summary>
/// <remarks>Each draw is a uniform sample without replacement (a partial Fisher–Yates shuffle of a permutation); a batch
/// larger than the set takes every sample once and fills the rest with replacement. <see cref="Draw()"/> continues one
/// stream (the permutation is kept between draws); <see cref="Draw(int)"/> makes a draw that depends on its seed alone,
/// which is how training draws every round's minibatches, so that a round can be recomputed anywhere: by a device
/// agent in another process, or after a resume.</remarks>
internal sealed class MinibatchSampler
{
    private readonly LabelledSet _set;
    private readonly Random _random;
    private readonly int[] _permutation;
    private readonly int[] _chosen;
    private readonly float[] _features;
    private readonly int[] _labels;

    public MinibatchSampler(LabelledSet set, int batch, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(set.Count, 1);
        _set = set;
        _random = new Random(seed);
        _permutation = new int[set.Count];
        for (int i = 0; i < _permutation.Length; i++)
        {
            _permutation[i] = i;
        }

        _chosen = new int[batch];
        _features = new float[(long)batch * set.FeatureSize];
        _labels = new int[batch];
    }

    /// <summary>Samples per draw.</summary>
    public int Batch => _chosen.Length;

    /// <summary>Features of the last draw.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>Labels of the last draw.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Draws the next minibatch of the sampler's stream into <see cref="Features"/> and <see cref="Labels"/>.</summary>
    public void Draw() => Draw(_random);

    /// <summary>Draws a minibatch that depends on <paramref name="seed"/> alone (not on earlier draws) into
    /// <see cref="Features"/> and <see cref="Labels"/>: the permutation restarts from the identity with a fresh generator.</summary>
    /// <param name="seed">Seed of this draw (e.g. <see cref="Seeds.ForRound"/>).</param>
    public void Draw(int seed)
    {
        for (int i = 0; i < _permutation.Length; i++)
        {
            _permutation[i] = i;
        }

        Draw(new Random(seed));
    }

    private void Draw(Random random)
    {
        int n = _permutation.Length;
        int distinct = Math.Min(Batch, n);
        for (int i = 0; i < distinct; i++)
        {
            int j = i + random.Next(n - i);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
            _chosen[i] = _permutation[i];
        }

        for (int i = distinct; i < Batch; i++)
        {
            _chosen[i] = random.Next(n);
        }

        _set.Gather(_chosen, _features, _labels);
    }
}
