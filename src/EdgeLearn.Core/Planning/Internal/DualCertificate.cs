namespace EdgeLearn.Planning.Internal;

/// <summary>
/// Ends a fixed-(M, N) solve: recovers every device's batch and times from the final prices (λ, πk) and
/// certifies the result with the dual function, whose value at any prices λ ≥ 0, πk ≥ 0 with Σk πk = N ν
/// is a lower bound on the relaxation's optimum (model.md §5, "Certificate").
/// </summary>
internal static class DualCertificate
{
    /// <summary>
    /// A point that meets the deadline and the energy budget (to this relative slack) and whose duality gap is this
    /// small is optimal for every use the planner makes of it, however its searches ended: a search capped at a jump
    /// of the deadline balance (where a device's or the server's time price is an interval) leaves a point that the
    /// certificate closes by lifting prices.
    /// </summary>
    public const double ClosingGap = 1e-9;

    /// <summary>The solution at the final prices, with its lower bound when <paramref name="dual"/> is set.</summary>
    /// <param name="rounds">The solve (its warm start holds the final πk; they may be lifted here).</param>
    /// <param name="state">The response at the final λ.</param>
    /// <param name="lambda">λ.</param>
    /// <param name="energyBudget">The energy budget the solve met.</param>
    /// <param name="evaluations">Device-response evaluations spent.</param>
    /// <param name="dual">Whether to compute the lower bound (not for energy-only solves, whose objective is not the bound's).</param>
    /// <param name="withPoint">Whether to keep every device's batch and times (false for feasibility checks, which only
    /// need the status: three K-long arrays fewer per check).</param>
    public static RelaxedSolution Finish(FixedRounds rounds, PriceResponse state, double lambda, double energyBudget, int evaluations, bool dual,
        bool withPoint = true)
    {
        var devices = rounds.Devices;
        var pi = rounds.Warm.TimePrices;
        var server = rounds.Server;
        int m = rounds.M, n = rounds.N;
        int k = devices.Length;
        var b = withPoint ? new double[k] : [];
        var tc = withPoint ? new double[k] : [];
        var tu = withPoint ? new double[k] : [];
        // The fused dual value below takes the response of rounds.Device(i) as devices[i]'s: the same model unless the solve is
        // energy-only, and energy-only solves have no dual.
        System.Diagnostics.Debug.Assert(!dual || !rounds.EnergyOnly, "an energy-only solve has no dual");
        var exponents = rounds.Warm.UploadExponents;
        double objective = 0, sumPi = 0, slowest = 0, dualDevices = 0;
        double lambdaDevice = lambda * n;
        for (int i = 0; i < k; i++)
        {
            var d = rounds.Device(i);
            d.Respond(lambdaDevice, pi[i], exponents[i], out double bi, out double tci, out double tui);
            // The dual value at these prices (of the device as the bound sees it); lifted prices below correct it.
            if (dual) dualDevices += devices[i].DualValue(lambdaDevice, pi[i], bi, tci, tui);
            if (double.IsPositiveInfinity(tci)) { tci = bi * d.C / d.Fmax; tui = d.TuMin; }
            if (withPoint) (b[i], tc[i], tu[i]) = (bi, tci, tui);
            objective += d.A > 0 ? d.A / bi : 0;
            sumPi += pi[i];
            slowest = Math.Max(slowest, tci + tui);
        }
        if (dual && m > 0)
        {
            // The deadline search balances Σπ against the server's time price; where devices run flat
            // out their prices are an interval, so lift them within it until the balance holds exactly.
            server.Respond(lambda * m, state.T0, out double serverPrice);
            double deficit = (double)n / m * serverPrice - sumPi;
            for (int i = 0; i < k && deficit > 0; i++)
            {
                double lift = Math.Min(devices[i].FlatTop(lambdaDevice, pi[i]) - pi[i], deficit);
                if (lift <= 0) continue;
                dualDevices += devices[i].DualValue(lambdaDevice, pi[i] + lift) - devices[i].DualValue(lambdaDevice, pi[i]);
                pi[i] += lift;
                sumPi += lift;
                deficit -= lift;
            }
        }
        double serverObjective = m > 0 && server.A > 0 ? server.A / state.ServerBatch : 0;
        objective += serverObjective;
        double lower = double.NaN;
        if (dual)
        {
            double nu = sumPi / n;
            double dualServer = m > 0 ? server.DualValue(lambda * m, nu * m) : 0;
            lower = dualDevices + dualServer - lambda * energyBudget - nu * rounds.DelayBudget;
        }
        var tally = rounds.Tally;
        // Where a search stopped at its cap, the point still counts when it fits and (with a dual) its certificate closes.
        bool fits = slowest <= state.Tau * (1 + ClosingGap) && state.Energy <= energyBudget * (1 + ClosingGap);
        bool closes = !dual || objective - lower <= ClosingGap * Math.Abs(objective);
        bool converged = tally.NoCapHit || (fits && closes);
        return new RelaxedSolution(RelaxedStatus.Solved, objective, Math.Min(lower, objective), lambda, sumPi / n,
            state.Tau, state.T0, state.ServerBatch, b, tc, tu, state.Energy, evaluations, InfeasibleReason.None,
            tally.PriceIterations, tally.DeadlineIterations, converged)
        {
            FleetDual = dual ? dualDevices : double.NaN,
        };
    }
}
