using System.Numerics.Tensors;
using EdgeLearn.Learning;

namespace EdgeLearn.Training.Calibration.Internal;

/// <summary>
/// The largest curvature of a loss at a point: power iteration on Hessian-vector products taken as central finite
/// differences of gradients, Hv ≈ (∇f(w + εv) − ∇f(w − εv)) / 2ε, on a fixed batch.
/// </summary>
/// <remarks>For unit v, |Hv| ≤ ‖H‖ (the spectral norm, the local smoothness constant), so the largest |Hv| seen is a
/// lower estimate of ‖H‖ that the iteration drives up to it; the direction is kept between calls (warm start).
/// Buffers are allocated once. Not thread-safe.</remarks>
internal sealed class Curvature
{
    private readonly Network _network;
    private readonly float[] _direction;
    private readonly float[] _plus;
    private readonly float[] _point;
    private readonly float[] _unit;

    public Curvature(Network template, int seed)
    {
        _network = template.CloneNetwork(template.Options);
        int p = _network.ParameterCount;
        _direction = new float[p];
        _plus = new float[p];
        _point = new float[p];
        _unit = new float[p];
        var random = new Random(seed);
        for (int i = 0; i < p; i++)
        {
            _direction[i] = (float)(random.NextDouble() - 0.5);
        }

        Normalize(_direction);
    }

    /// <summary>Sample-gradients computed so far.</summary>
    public long SampleGradients { get; private set; }

    /// <summary>Runs <paramref name="iterations"/> power steps at <paramref name="parameters"/> on the batch.</summary>
    /// <returns>The largest |Hv| seen; 0 when the loss is flat (or the gradients are not finite) along every direction tried.</returns>
    public double Largest(ReadOnlySpan<float> parameters, ReadOnlySpan<float> features, ReadOnlySpan<int> labels, int iterations)
    {
        parameters.CopyTo(_point);
        float epsilon = (float)(1e-3 * Math.Max(1.0, TensorPrimitives.Norm(parameters)));
        double largest = 0;
        for (int it = 0; it < iterations; it++)
        {
            Gradient(_direction, epsilon, features, labels, _plus);
            Gradient(_direction, -epsilon, features, labels, _network.Gradients);

            // Hv into _unit: (g+ − g−) / 2ε; the direction only moves on when Hv is usable, so a flat or broken
            // measurement leaves the warm start of later calls intact.
            TensorPrimitives.Subtract(_plus, _network.Gradients, _unit);
            TensorPrimitives.Multiply(_unit, 1f / (2 * epsilon), _unit);
            double norm = TensorPrimitives.Norm(_unit);
            if (!double.IsFinite(norm) || norm == 0)
            {
                break;
            }

            largest = Math.Max(largest, norm);
            TensorPrimitives.Multiply(_unit, (float)(1 / norm), _direction);
        }

        return largest;
    }

    /// <summary>dᵀHd at <paramref name="parameters"/> on the batch, from one central difference along d (two gradients).</summary>
    public double Quadratic(ReadOnlySpan<float> parameters, ReadOnlySpan<float> d, ReadOnlySpan<float> features, ReadOnlySpan<int> labels)
    {
        double norm = TensorPrimitives.Norm(d);
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            return 0;
        }

        parameters.CopyTo(_point);
        TensorPrimitives.Multiply(d, (float)(1 / norm), _unit);
        float epsilon = (float)(1e-3 * Math.Max(1.0, TensorPrimitives.Norm(parameters)));
        Gradient(_unit, epsilon, features, labels, _plus);
        Gradient(_unit, -epsilon, features, labels, _network.Gradients);
        TensorPrimitives.Subtract(_plus, _network.Gradients, _plus);
        return TensorPrimitives.Dot(_unit, _plus) / (2.0 * epsilon) * norm * norm;
    }

    /// <summary>∇f(w + s·direction) into <paramref name="destination"/>.</summary>
    private void Gradient(ReadOnlySpan<float> direction, float step, ReadOnlySpan<float> features, ReadOnlySpan<int> labels, Span<float> destination)
    {
        TensorPrimitives.MultiplyAdd(direction, step, _point, _network.Parameters);
        _network.ComputeGradient(features, labels);
        SampleGradients += labels.Length;
        if (!destination.Overlaps(_network.Gradients))
        {
            _network.Gradients.CopyTo(destination);
        }
    }

    private static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Multiply(vector, 1 / norm, vector);
    }
}
