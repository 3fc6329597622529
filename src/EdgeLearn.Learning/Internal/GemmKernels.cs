using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLearn.Learning.Internal;

/// <summary>Which micro-kernel a GEMM call uses.</summary>
internal enum GemmKernelKind
{
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>Blocked GEMM driver, packing routines and register-tile micro-kernels.</summary>
internal static unsafe class GemmKernels
{
    private const int Kc = 256;

    public static GemmKernelKind Best =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernelKind.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmKernelKind.Vector256
        : GemmKernelKind.Scalar;

    public static void Run(in GemmShape s, float* a, float* b, float* c, bool accumulate, GemmScratch scratch, GemmKernelKind kind)
    {
        int m = s.M, n = s.N, k = s.K;
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                new Span<float>(c, m * n).Clear();
            }

            return;
        }

        if (kind == GemmKernelKind.Scalar)
        {
            RunScalar(s, a, b, c, accumulate);
            return;
        }

        int mr = kind == GemmKernelKind.Vector512 ? 8 : 6;
        int nr = kind == GemmKernelKind.Vector512 ? 32 : 16;
        int mc = mr * 16;
        int nc = nr * 64;
        int lda = s.TransposeA ? m : k;
        int ldb = s.TransposeB ? k : n;
        int ldc = n;
        int kcMax = Math.Min(Kc, k);
        int ncMax = Math.Min(nc, n);
        float[] packA = scratch.PackA(mc * kcMax);
        float[] packB = scratch.PackB(((ncMax + nr - 1) / nr) * nr * kcMax);
        float* tile = stackalloc float[8 * 32];

        // Reading B in place saves packing, but only pays when its rows are 64-byte aligned (whole cache lines per
        // vector load); otherwise every B panel is packed once per K block.
        bool direct = !s.TransposeB && (ldb & 15) == 0 && ((nint)b & 63) == 0;

        fixed (float* pa = packA, pbk = packB)
        {
            for (int jc = 0; jc < n; jc += nc)
            {
                int ncCur = Math.Min(nc, n - jc);
                int fullPanels = ncCur / nr;
                int rem = ncCur - (fullPanels * nr);
                for (int pc = 0; pc < k; pc += Kc)
                {
                    int kc = Math.Min(Kc, k - pc);
                    bool add = accumulate || pc > 0;
                    if (s.TransposeB)
                    {
                        for (int q = 0; q * nr < ncCur; q++)
                        {
                            PackBTransposed(b, ldb, jc + (q * nr), pc, Math.Min(nr, ncCur - (q * nr)), kc, nr, pbk + ((nint)q * nr * kc));
                        }
                    }
                    else if (!direct)
                    {
                        for (int q = 0; q * nr < ncCur; q++)
                        {
                            PackBPanel(b, ldb, jc + (q * nr), pc, Math.Min(nr, ncCur - (q * nr)), kc, nr, pbk + ((nint)q * nr * kc));
                        }
                    }
                    else if (rem > 0)
                    {
                        PackBPanel(b, ldb, jc + (fullPanels * nr), pc, rem, kc, nr, pbk + ((nint)fullPanels * nr * kc));
                    }

                    for (int ic = 0; ic < m; ic += mc)
                    {
                        int mcCur = Math.Min(mc, m - ic);
                        PackA(a, lda, s.TransposeA, ic, pc, mcCur, kc, mr, pa);
                        for (int jr = 0; jr < ncCur; jr += nr)
                        {
                            int nrCur = Math.Min(nr, ncCur - jr);
                            float* bp;
                            nint bstride;
                            if (direct && nrCur == nr)
                            {
                                bp = b + ((nint)pc * ldb) + jc + jr;
                                bstride = ldb;
                            }
                            else
                            {
                                bp = pbk + ((nint)(jr / nr) * nr * kc);
                                bstride = nr;
                            }

                            for (int ir = 0; ir < mcCur; ir += mr)
                            {
                                int mrCur = Math.Min(mr, mcCur - ir);
                                float* ap = pa + ((nint)ir * kc);
                                float* cp = c + ((nint)(ic + ir) * ldc) + jc + jr;
                                if (mrCur == mr && nrCur == nr)
                                {
                                    Kernel(kind, ap, bp, bstride, kc, cp, ldc, add);
                                }
                                else
                                {
                                    Kernel(kind, ap, bp, bstride, kc, tile, nr, false);
                                    StoreTile(tile, nr, cp, ldc, mrCur, nrCur, add);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(GemmKernelKind kind, float* a, float* b, nint ldb, int kc, float* c, nint ldc, bool add)
    {
        if (kind == GemmKernelKind.Vector512)
        {
            Kernel8x32(a, b, ldb, kc, c, ldc, add);
        }
        else
        {
            Kernel6x16(a, b, ldb, kc, c, ldc, add);
        }
    }

    private static void StoreTile(float* tile, int nr, float* c, nint ldc, int rows, int cols, bool add)
    {
        for (int i = 0; i < rows; i++)
        {
            if (add)
            {
                ShortVectors.Add(tile + ((nint)i * nr), c + (i * ldc), cols);
            }
            else
            {
                ShortVectors.Copy(tile + ((nint)i * nr), c + (i * ldc), cols);
            }
        }
    }

    /// <summary>Packs op(A)[row0.., col0..] (rows × kc) into MR-row panels, panel[p·MR + i], zero-padding the last panel.</summary>
    private static void PackA(float* a, int lda, bool transposed, int row0, int col0, int rows, int kc, int mr, float* dst)
    {
        for (int ir = 0; ir < rows; ir += mr)
        {
            int mrCur = Math.Min(mr, rows - ir);
            float* panel = dst + ((nint)ir * kc);
            if (transposed)
            {
                // op(A)(r, p) = A[p, r]: MR consecutive elements per p.
                float* src = a + ((nint)col0 * lda) + row0 + ir;
                for (int p = 0; p < kc; p++)
                {
                    float* d = panel + ((nint)p * mr);
                    float* sp = src + ((nint)p * lda);
                    int i = 0;
                    for (; i < mrCur; i++)
                    {
                        d[i] = sp[i];
                    }

                    for (; i < mr; i++)
                    {
                        d[i] = 0f;
                    }
                }
            }
            else
            {
                // op(A)(r, p) = A[r, p]: gather one element from each of the MR rows per p; writes stay sequential.
                float* src = a + ((nint)(row0 + ir) * lda) + col0;
                for (int p = 0; p < kc; p++)
                {
                    float* d = panel + ((nint)p * mr);
                    float* sp = src + p;
                    int i = 0;
                    for (; i < mrCur; i++)
                    {
                        d[i] = sp[(nint)i * lda];
                    }

                    for (; i < mr; i++)
                    {
                        d[i] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>Packs B[row0.., col0..col0+cols) (not transposed) into one NR-wide panel, zero-padding columns.</summary>
    private static void PackBPanel(float* b, int ldb, int col0, int row0, int cols, int kc, int nr, float* dst)
    {
        for (int p = 0; p < kc; p++)
        {
            float* sp = b + ((nint)(row0 + p) * ldb) + col0;
            float* d = dst + ((nint)p * nr);
            ShortVectors.Copy(sp, d, cols);
            ShortVectors.Clear(d + cols, nr - cols);
        }
    }

    /// <summary>Packs op(B) = Bᵀ (B stored N×K) columns col0..col0+cols, rows row0..row0+kc into one NR-wide panel.</summary>
    private static void PackBTransposed(float* b, int ldb, int col0, int row0, int cols, int kc, int nr, float* dst)
    {
        // Gather one element from each of the `cols` rows of B per p; writes stay sequential and the
        // `cols` source lines stay in L1 across consecutive p.
        float* src = b + ((nint)col0 * ldb) + row0;
        for (int p = 0; p < kc; p++)
        {
            float* d = dst + ((nint)p * nr);
            float* sp = src + p;
            int j = 0;
            for (; j < cols; j++)
            {
                d[j] = sp[(nint)j * ldb];
            }

            for (; j < nr; j++)
            {
                d[j] = 0f;
            }
        }
    }

    private static void Kernel8x32(float* a, float* b, nint ldb, int kc, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(av, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(av, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(av, b1, c71);
            a += 8;
            b += ldb;
        }

        Store512(c, c00, c01, add);
        Store512(c + ldc, c10, c11, add);
        Store512(c + (2 * ldc), c20, c21, add);
        Store512(c + (3 * ldc), c30, c31, add);
        Store512(c + (4 * ldc), c40, c41, add);
        Store512(c + (5 * ldc), c50, c51, add);
        Store512(c + (6 * ldc), c60, c61, add);
        Store512(c + (7 * ldc), c70, c71, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> v0, Vector512<float> v1, bool add)
    {
        if (add)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }

        v0.Store(c);
        v1.Store(c + 16);
    }

    private static void Kernel6x16(float* a, float* b, nint ldb, int kc, float* c, nint ldc, bool add)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(av, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(av, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(av, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(av, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(av, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(av, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += ldb;
        }

        Store256(c, c00, c01, add);
        Store256(c + ldc, c10, c11, add);
        Store256(c + (2 * ldc), c20, c21, add);
        Store256(c + (3 * ldc), c30, c31, add);
        Store256(c + (4 * ldc), c40, c41, add);
        Store256(c + (5 * ldc), c50, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> v0, Vector256<float> v1, bool add)
    {
        if (add)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }

        v0.Store(c);
        v1.Store(c + 8);
    }

    private static void RunScalar(in GemmShape s, float* a, float* b, float* c, bool accumulate)
    {
        int m = s.M, n = s.N, k = s.K;
        int lda = s.TransposeA ? m : k;
        int ldb = s.TransposeB ? k : n;
        for (int i = 0; i < m; i++)
        {
            float* crow = c + ((nint)i * n);
            if (!accumulate)
            {
                new Span<float>(crow, n).Clear();
            }

            for (int p = 0; p < k; p++)
            {
                float av = s.TransposeA ? a[((nint)p * lda) + i] : a[((nint)i * lda) + p];
                if (s.TransposeB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        crow[j] += av * b[((nint)j * ldb) + p];
                    }
                }
                else
                {
                    float* brow = b + ((nint)p * ldb);
                    for (int j = 0; j < n; j++)
                    {
                        crow[j] += av * brow[j];
                    }
                }
            }
        }
    }
}
