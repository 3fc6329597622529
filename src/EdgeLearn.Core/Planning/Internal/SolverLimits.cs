namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Iteration caps of the searches inside one fixed-(M, N) solve. A search that reaches its cap stops where it
/// is and the solve is reported as not converged (<see cref="RelaxedSolution.Converged"/>): the dual bound stays
/// valid, but the point may break a budget (a device whose price search stopped early can overrun the deadline),
/// so <see cref="RoundSolver"/> keeps only plans that pass the cost model's re-check. The defaults are far above
/// what the searches need (tens of steps on the default and generated scenarios); tests lower them to reach the caps.
/// </summary>
internal sealed record SolverLimits
{
    /// <summary>The defaults.</summary>
    public static SolverLimits Default { get; } = new();

    /// <summary>Geometric widening steps of the energy-price bracket (steps grow 4×, so 200 reach any finite price).</summary>
    public int PriceBracketSteps { get; init; } = 200;

    /// <summary>Regula falsi steps of the energy-price search.</summary>
    public int PriceIterations { get; init; } = 200;

    /// <summary>Newton, regula falsi or bisection steps of one deadline search.</summary>
    public int DeadlineIterations { get; init; } = 100;

    /// <summary>Passes of the joint Newton search (<see cref="JointPriceSearch"/>) before the nested searches take over;
    /// 0 leaves every solve to the nested searches (tests compare the two).</summary>
    public int JointSteps { get; init; } = 16;

    /// <summary>Newton or bisection steps of one device's time-price search.</summary>
    public int DevicePriceIterations { get; init; } = 100;
}
