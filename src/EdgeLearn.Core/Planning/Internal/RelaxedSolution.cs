namespace EdgeLearn.Planning.Internal;

/// <summary>Outcome of a relaxed fixed-(M, N) solve.</summary>
internal enum RelaxedStatus
{
    /// <summary>Solved: a point within the budgets with its prices and certificate.</summary>
    Solved,

    /// <summary>No point with these rounds fits the budgets.</summary>
    Infeasible,
}

/// <summary>Which budget makes a fixed-(M, N) problem infeasible.</summary>
internal enum InfeasibleReason { None, Delay, Energy }

/// <summary>Relaxed solution: continuous batches and the times of every activity.</summary>
/// <param name="Status">Solved or infeasible.</param>
/// <param name="Objective">A0/B0 + Σ Ak/bk at the solution (the bound without its constant term).</param>
/// <param name="LowerBound">The dual function at the solution's prices: a lower bound on the objective.</param>
/// <param name="Lambda">λ, the energy price (per J).</param>
/// <param name="Nu">ν = Σ πk / N, the delay price (per s).</param>
/// <param name="Tau">τ, the fine-tuning round deadline (s).</param>
/// <param name="T0">t0, the pre-training round time (s; 0 without pre-training).</param>
/// <param name="ServerBatch">B0 (0 without pre-training).</param>
/// <param name="Batches">bk per device.</param>
/// <param name="ComputeTimes">tc,k per device (s).</param>
/// <param name="UploadTimes">tu,k per device (s).</param>
/// <param name="Energy">M e0 + N Σ ek (J, the downlink excluded).</param>
/// <param name="Evaluations">Device-response evaluations spent.</param>
/// <param name="Reason">Which budget binds when infeasible.</param>
/// <param name="PriceIterations">Iterations of the energy-price search.</param>
/// <param name="DeadlineIterations">Iterations of the deadline search, summed over the energy prices tried.</param>
/// <param name="Converged">False when a search stopped at its iteration cap and its point either breaks the deadline or
/// the energy budget or, with a dual, leaves a duality gap above <see cref="DualCertificate.ClosingGap"/>: the lower
/// bound is still valid, but the point may be off the optimum and may break a budget.</param>
internal sealed record RelaxedSolution(
    RelaxedStatus Status, double Objective, double LowerBound, double Lambda, double Nu, double Tau, double T0,
    double ServerBatch, double[] Batches, double[] ComputeTimes, double[] UploadTimes, double Energy,
    int Evaluations, InfeasibleReason Reason, int PriceIterations = 0, int DeadlineIterations = 0, bool Converged = true)
{
    /// <summary>The fleet's part of the dual function at the final prices, Σk min (Ak/bk + λ N ek + πk (tck + tuk)),
    /// independent of M and N (<see cref="FleetCuts"/>); NaN when no dual was computed.</summary>
    public double FleetDual { get; init; } = double.NaN;

    /// <summary>Whether the joint Newton search (<see cref="JointPriceSearch"/>) found the prices, rather than the nested searches.</summary>
    public bool ByJointSearch { get; init; }

    /// <summary>No point fits; <paramref name="converged"/> is false when a search that decided it hit its cap.</summary>
    public static RelaxedSolution Infeasible(InfeasibleReason reason, bool converged = true) =>
        new(RelaxedStatus.Infeasible, double.PositiveInfinity, double.PositiveInfinity, double.NaN, double.NaN, double.NaN,
            double.NaN, double.NaN, [], [], [], double.NaN, 0, reason, Converged: converged);
}

/// <summary>
/// Where the searches of one solve stand at one energy price λ: the balanced deadline τ, the server's round
/// time and batch, and the energy M e0 + N Σ ek that λ buys. The device time prices sit in the warm start.
/// </summary>
internal readonly record struct PriceResponse(double Tau, double T0, double ServerBatch, double Energy);

/// <summary>What one solve counts: the iterations of each search and whether any of them hit its cap.</summary>
internal sealed class SearchTally
{
    public int PriceIterations;
    public int DeadlineIterations;

    /// <summary>Energy-price and deadline searches that stopped at their iteration cap.</summary>
    public long SearchCapsHit;

    /// <summary>Device price searches that stopped at their cap: the device may overrun the deadline.</summary>
    public long DeviceCapsHit;

    /// <summary>Whether no search hit its cap.</summary>
    public bool NoCapHit => SearchCapsHit == 0 && DeviceCapsHit == 0;
}
