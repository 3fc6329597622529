namespace EdgeLearn.Learning;

/// <summary>Dimensions and transposes of a dense row-major product C = op(A)·op(B).</summary>
/// <param name="M">Rows of op(A) and of C; at least 0.</param>
/// <param name="N">Columns of op(B) and of C; at least 0.</param>
/// <param name="K">Columns of op(A) and rows of op(B); at least 0.</param>
/// <param name="TransposeA">When true, A is stored K×M and op(A) = Aᵀ; default false (A stored M×K).</param>
/// <param name="TransposeB">When true, B is stored N×K and op(B) = Bᵀ; default false (B stored K×N).</param>
/// <remarks>All matrices are dense and row-major: the leading dimension is the stored column count.</remarks>
public readonly record struct GemmShape(int M, int N, int K, bool TransposeA = false, bool TransposeB = false)
{
    /// <summary>Elements A must hold: M·K.</summary>
    public long RequiredA => (long)M * K;

    /// <summary>Elements B must hold: K·N.</summary>
    public long RequiredB => (long)K * N;

    /// <summary>Elements C must hold: M·N.</summary>
    public long RequiredC => (long)M * N;
}
