namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The outer search of a fixed-(M, N) solve: the energy price λ &gt; 0 at which the energy the solve spends,
/// E(λ), meets the energy budget. E falls with λ, so f(u) = ln budget − ln E(e^u) increases in u = ln λ; the
/// search brackets its zero (tightly around a warm start, widening geometrically) and closes the bracket by
/// Illinois regula falsi, always keeping the side within the budget.
/// </summary>
internal static class EnergyPriceSearch
{
    /// <summary>
    /// At λ = 0 ties between time allocations are broken towards speed, so E(0+) can be below E(0): below
    /// this share of the largest objective per joule the energy budget counts as slack.
    /// </summary>
    public const double PriceFloorShare = 1e-14;

    /// <summary>First bracket step in u = ln λ from a warm start: neighbouring (M, N) differ by a few per cent.</summary>
    private const double WarmBracketStep = 0.05;

    /// <summary>First bracket step in u from a cold start (λ at the objective's scale).</summary>
    private const double ColdBracketStep = 1.0;

    /// <summary>Each widening step is this many times the previous.</summary>
    private const double BracketGrowth = 4.0;

    /// <summary>The regula falsi ends when the bracket in u is narrower than this (relative to 1 + |u|).</summary>
    private const double BracketTolerance = 1e-14;

    /// <summary>
    /// The price λ at which E(λ) meets the budget, and the response at it (the warm start's π are its).
    /// Requires E(0) &gt; budget ≥ E(∞), which the caller has checked.
    /// </summary>
    public static (double Lambda, PriceResponse Response) Find(FixedRounds rounds, double energyBudget, ref int evaluations)
    {
        var warmStart = rounds.Warm;
        double lambdaScale = rounds.ObjectiveCeiling / energyBudget;
        double uFloor = Math.Log(PriceFloorShare * lambdaScale);
        var f = new EnergySlack(rounds, energyBudget);
        bool warm = double.IsFinite(warmStart.EnergyPrice) && warmStart.EnergyPrice > 0;
        double u = warm ? Math.Max(Math.Log(warmStart.EnergyPrice), uFloor) : Math.Log(lambdaScale);
        double fu = f.Evaluate(u);
        // Bracket tightly, then widen.
        double step = warm ? WarmBracketStep : ColdBracketStep, uLo = u, fLo = fu, uHi = u, fHi = fu;
        while (fLo >= 0 && uLo > uFloor) { uHi = uLo; fHi = fLo; uLo = Math.Max(uFloor, uLo - step); step *= BracketGrowth; fLo = f.Evaluate(uLo); }
        if (fLo >= 0) uHi = uLo; // feasible at the floor: the energy budget does not bind
        for (int i = 0; fHi < 0 && i < rounds.Limits.PriceBracketSteps; i++) { uLo = uHi; fLo = fHi; uHi += step; step *= BracketGrowth; fHi = f.Evaluate(uHi); }
        if (fHi < 0) rounds.Tally.SearchCapsHit++;
        if (fHi > rounds.Tolerance && fLo < 0)
        {
            uHi = Roots.IllinoisUpper(ref f, uLo, fLo, uHi, fHi, BracketTolerance * (1 + Math.Abs(uHi)), rounds.Tolerance,
                ref evaluations, out bool converged, rounds.Limits.PriceIterations);
            if (!converged) rounds.Tally.SearchCapsHit++;
        }
        double lambda = Math.Exp(uHi);
        warmStart.EnergyPrice = lambda;
        // The warm start's prices belong to the last evaluation: reuse it when that was the chosen λ.
        var final = f.LastU == uHi ? f.LastResponse : rounds.Respond(lambda, ref evaluations);
        evaluations += f.Evaluations;
        return (lambda, final);
    }

    /// <summary>f(u) = ln budget − ln E(e^u), remembering the last response.</summary>
    private struct EnergySlack(FixedRounds rounds, double budget) : IScalarFunction
    {
        public int Evaluations;

        /// <summary>The last u evaluated and the response it left (the warm start's prices are its).</summary>
        public double LastU = double.NaN;

        public PriceResponse LastResponse;

        public double Evaluate(double u)
        {
            rounds.Tally.PriceIterations++;
            var s = rounds.Respond(Math.Exp(u), ref Evaluations);
            LastU = u;
            LastResponse = s;
            return Math.Log(budget) - Math.Log(s.Energy);
        }
    }
}
