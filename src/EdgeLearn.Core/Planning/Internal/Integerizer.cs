namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Turns a relaxed solution into integer batches (model.md §5, "Integers"). Rounding down keeps delay
/// and energy feasible; what it frees is then spent again in two steps:
/// <list type="number">
/// <item>device batches fixed at their floors, the server batch is re-optimized and rounded down;</item>
/// <item>server fixed, each device batch may move within [floor, floor + 1]; the relaxed solution of that
/// box ranks the devices, and as many as still fit are rounded up (bisection: feasibility falls
/// monotonically as more round up).</item>
/// </list>
/// The times are re-optimized (least energy) for the final integer batches.
/// </summary>
internal static class Integerizer
{
    public static IntegerSolution? Round(SchemeProblem problem, int m, int n, RoundSolution relaxed)
    {
        var r = relaxed.Relaxed;
        var devices = problem.Devices;
        int k = r.Batches.Length;
        var floor = new double[k];
        var up = new double[k];
        for (int i = 0; i < k; i++)
        {
            floor[i] = Math.Max(devices[i].Lo, Math.Floor(r.Batches[i] + 1e-9));
            up[i] = Math.Min(floor[i] + 1, devices[i].Hi);
        }

        var server = problem.Server(m, n);
        double serverRelaxed = r.ServerBatch;
        if (m > 0 && server.Lo < server.Hi)
        {
            var s1 = problem.SolveWithBounds(m, n, floor, floor, server.Lo, server.Hi);
            if (s1.Feasible) serverRelaxed = s1.Relaxed.ServerBatch;
        }
        int serverBatch = m > 0 ? (int)Math.Max(server.Lo, Math.Floor(serverRelaxed + 1e-9)) : (int)server.Lo;

        var s2 = problem.SolveWithBounds(m, n, floor, up, serverBatch, serverBatch);
        var preference = s2.Feasible ? s2.Relaxed.Batches : r.Batches;
        var order = new List<(double Preference, int Index)>(k);
        for (int i = 0; i < k; i++)
            if (up[i] > floor[i]) order.Add((preference[i] - floor[i], i));
        order.Sort((a, b) => b.Preference.CompareTo(a.Preference));

        var batches = new int[k];
        void Fill(int roundedUp)
        {
            for (int i = 0; i < k; i++) batches[i] = (int)floor[i];
            for (int j = 0; j < roundedUp; j++) batches[order[j].Index] = (int)up[order[j].Index];
        }

        Fill(0);
        var best = problem.SolveFixed(m, n, serverBatch, batches);
        if (best is null) return null;
        int lo = 0, hi = order.Count;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            Fill(mid);
            var s = problem.SolveFixed(m, n, serverBatch, batches);
            if (s is not null) { lo = mid; best = s; } else hi = mid - 1;
        }
        Fill(lo);
        return new IntegerSolution(serverBatch, batches, best);
    }
}

/// <summary>Integer batches with the re-optimized times that carry them.</summary>
internal sealed record IntegerSolution(int ServerBatch, int[] Batches, RoundSolution Solution);
