namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Turns a relaxed solution into integer batches (model.md §5, "Integers"): every batch is rounded
/// down, which keeps delay and energy feasible; then the batches with the largest fractional parts
/// are rounded up instead, as many as still fit (found by bisection, since feasibility falls
/// monotonically as more batches round up); finally the times are re-optimized for the integer batches.
/// </summary>
internal static class Integerizer
{
    public static IntegerSolution? Round(SchemeProblem problem, int m, int n, RoundSolution relaxed)
    {
        var r = relaxed.Relaxed;
        int k = r.Batches.Length;
        var floor = new int[k];
        var ceil = new int[k];
        var devices = problem.Devices;
        for (int i = 0; i < k; i++)
        {
            floor[i] = (int)Math.Floor(r.Batches[i] + 1e-9);
            ceil[i] = Math.Min(floor[i] + 1, (int)devices[i].Hi);
        }
        var server = problem.Server(m, n);
        int serverFloor = m > 0 ? (int)Math.Floor(r.ServerBatch + 1e-9) : (int)server.Lo;
        int serverCeil = m > 0 ? Math.Min(serverFloor + 1, (int)server.Hi) : serverFloor;

        // Candidates to round up, by fractional part descending; index k stands for the server.
        var order = new List<(double Frac, int Index)>(k + 1);
        for (int i = 0; i < k; i++)
            if (ceil[i] > floor[i]) order.Add((r.Batches[i] - floor[i], i));
        if (serverCeil > serverFloor) order.Add((r.ServerBatch - serverFloor, k));
        order.Sort((a, b) => b.Frac.CompareTo(a.Frac));

        var batches = new int[k];
        RoundSolution? Try(int up)
        {
            Array.Copy(floor, batches, k);
            int sb = serverFloor;
            for (int j = 0; j < up; j++)
            {
                int idx = order[j].Index;
                if (idx == k) sb = serverCeil; else batches[idx] = ceil[idx];
            }
            return problem.SolveFixed(m, n, sb, batches);
        }

        var best = Try(0);
        if (best is null) return null; // rounding down never breaks feasibility unless the relaxation was at the edge
        int lo = 0, hi = order.Count;
        // Largest number of round-ups that still fits: bisection on a monotone predicate.
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            var s = Try(mid);
            if (s is not null) { lo = mid; best = s; } else hi = mid - 1;
        }
        Array.Copy(floor, batches, k);
        int serverBatch = serverFloor;
        for (int j = 0; j < lo; j++)
        {
            int idx = order[j].Index;
            if (idx == k) serverBatch = serverCeil; else batches[idx] = ceil[idx];
        }
        return new IntegerSolution(serverBatch, batches, best);
    }
}

/// <summary>Integer batches with the re-optimized times that carry them.</summary>
internal sealed record IntegerSolution(int ServerBatch, int[] Batches, RoundSolution Solution);
