namespace EdgeLearn.Planning.Internal;

/// <summary>
/// The fast path of a fixed-(M, N) solve: Newton's method on the energy price and the deadline together. The nested
/// searches (<see cref="EnergyPriceSearch"/> over <see cref="DeadlineSearch"/>) solve two scalar equations one inside
/// the other,
/// <list type="bullet">
/// <item>F1(u, τ) = ln Emax − ln E(e^u, τ) = 0, the energy budget met at price λ = e^u, and</item>
/// <item>F2(u, τ) = ln((N/M) ν0) − ln Σk πk = 0, the server's and the devices' time prices balanced (model.md §5),</item>
/// </list>
/// and spend some 20 fleet passes per solve. Every device's price search also yields how πk and its energy move with
/// τ and with Λ = λ N (implicit derivatives, <see cref="DeadlineSlopes"/>), so one pass gives F and its Jacobian; the
/// server's part, O(1), is differenced. From a warm start a solve takes about 4 passes.
/// <para>
/// Where the balance has its root at an end of the deadline range (the slowest device flat out, or the server at its
/// shortest round) τ is pinned there and u alone is solved inside a bracket (<see cref="PriceBracket"/>); an end is kept
/// only where F2 has the sign that makes it optimal. Newton can still stall where the server's price jumps (its kink),
/// and is not used where the responses are closed form (max-resource): then <see cref="TryFind"/> gives up and the
/// nested searches, which handle every case, take over (from the previous solve's energy price, and the device prices
/// where the joint search left them). Success needs the same tolerances as
/// they do, with the point within the energy budget, so the certificate that follows is as strong either way.
/// </para>
/// </summary>
internal static class JointPriceSearch
{
    /// <summary>A step moves λ by at most this much in log (a factor e⁴).</summary>
    private const double LogStepCap = 4.0;

    /// <summary>Relative step of the central differences of the server's part.</summary>
    private const double ServerDifferenceStep = 1e-6;

    /// <summary>Moves between the inside of the deadline range and its ends before giving up.</summary>
    private const int MaxSwitches = 2;

    /// <summary>Leaving an end, the deadline restarts this share of the range inside it.</summary>
    private const double InteriorStart = 1e-3;

    /// <summary>Solves F1 = F2 = 0 (F1 = 0 alone without pre-training) from the warm start; false when Newton does not
    /// reach the tolerances within <see cref="SolverLimits.JointSteps"/> passes. Requires E(0) &gt; budget (the energy budget binds).</summary>
    public static bool TryFind(FixedRounds rounds, double energyBudget, ref int evaluations, out double lambda, out PriceResponse response)
    {
        lambda = double.NaN;
        response = default;
        var devices = rounds.Devices;
        int m = rounds.M, n = rounds.N;
        var warm = rounds.Warm;
        if (rounds.EnergyOnly || devices.Length == 0 || devices[0].FixedSpeed || (m > 0 && rounds.Server.FixedSpeed)) return false;
        double tauLo = rounds.TauLo, tauHi = rounds.TauHi, tolerance = rounds.Tolerance;
        double lambdaScale = rounds.ObjectiveCeiling / energyBudget;
        double uFloor = Math.Log(EnergyPriceSearch.PriceFloorShare * lambdaScale); // below it the budget counts as slack
        double u = double.IsFinite(warm.EnergyPrice) && warm.EnergyPrice > 0
            ? Math.Max(Math.Log(warm.EnergyPrice), uFloor)
            : Math.Log(lambdaScale);
        // Where the deadline sat last time decides where to start: inside its range, or pinned at an end (at the
        // bottom the slowest device runs flat out and takes whatever time price the balance leaves it).
        double fraction = warm.DeadlineFraction;
        var end = m == 0 || fraction >= 1 ? DeadlineEnd.Top : fraction <= 0 ? DeadlineEnd.Bottom : DeadlineEnd.None;
        double tau = end switch
        {
            DeadlineEnd.Top => tauHi,
            DeadlineEnd.Bottom => tauLo,
            _ => double.IsNaN(fraction) ? 0.5 * (tauLo + tauHi) : tauLo + fraction * (tauHi - tauLo),
        };
        double logBudget = Math.Log(energyBudget);
        int switches = 0, exits = 0;
        var bracket = PriceBracket.Open; // F1's bracket in u while the deadline is pinned at an end
        // Device searches stopped at their cap count only in the pass that is kept: the nested searches, or the last
        // pass, decide the point.
        var tally = rounds.Tally;
        long capsBefore = tally.DeviceCapsHit;
        // At most SolverLimits.JointSteps passes, and no more than the nested searches' own caps allow.
        int steps = Math.Min(rounds.Limits.JointSteps, Math.Min(rounds.Limits.PriceIterations, rounds.Limits.DeadlineIterations));
        for (int step = 0; step < steps; step++)
        {
            double price = Math.Exp(u);
            tally.PriceIterations++;
            tally.DeadlineIterations++;
            tally.DeviceCapsHit = capsBefore;
            var fleet = rounds.JointPass(price, tau, ref evaluations);
            var server = ServerSlopes.At(rounds, price, tau);
            double energy = n * fleet.Energy + server.Energy;
            double f1 = logBudget - Math.Log(energy);
            double f2 = m > 0 ? server.LogPrice - Math.Log(fleet.Prices) : 0.0;
            if (!double.IsFinite(f1) || !double.IsFinite(f2)) break;
            // The balance F2 rises with τ: an end is optimal when F2 ≥ 0 at the bottom, or F2 ≤ 0 at the top.
            bool balanced = end switch
            {
                DeadlineEnd.Bottom => f2 >= -tolerance,
                DeadlineEnd.Top => m == 0 || f2 <= tolerance,
                _ => Math.Abs(f2) <= tolerance,
            };
            bool withinBudget = f1 >= 0 && (f1 <= tolerance || u <= uFloor);
            // A device search stopped at its cap leaves a price whose energy was not evaluated: such a pass is not kept.
            if (withinBudget && balanced && tally.DeviceCapsHit == capsBefore)
            {
                lambda = price;
                warm.EnergyPrice = price;
                if (m > 0) warm.DeadlineFraction = (tau - tauLo) / (tauHi - tauLo);
                response = new PriceResponse(tau, server.T0, server.Batch, energy);
                return true;
            }
            // Newton on (u, τ) towards F1 = tolerance / 2 (inside the budget) and F2 = 0, or on u alone at an end.
            double lambdaDevice = price * n;
            double j11 = -(n * fleet.EnergyByEnergyPrice * lambdaDevice + server.EnergyByLogPrice) / energy;
            double r1 = f1 - 0.5 * tolerance;
            double du, dTau = 0.0;
            if (end != DeadlineEnd.None)
            {
                if ((Math.Abs(r1) <= tolerance || withinBudget) && !balanced)
                {
                    // The budget is met but the end is not optimal: the deadline leaves it.
                    if (++switches > MaxSwitches) break;
                    end = DeadlineEnd.None;
                    tau = f2 < 0 ? tauLo + InteriorStart * (tauHi - tauLo) : tauHi - InteriorStart * (tauHi - tauLo);
                    bracket = PriceBracket.Open;
                    continue;
                }
                // With τ fixed F1 rises with u: a safeguarded 1-D search keeps the bracket it gives.
                double newton = bracket.Next(u, f1 - 0.5 * tolerance, u - r1 / j11);
                if (newton < uFloor)
                {
                    if (u <= uFloor) break; // over budget at the floor: not for Newton
                    newton = uFloor;
                }
                du = newton - u;
            }
            else
            {
                double j12 = -(n * fleet.EnergyByDeadline + server.EnergyByDeadline) / energy;
                double j21 = server.LogPriceByLogPrice - fleet.PricesByEnergyPrice * lambdaDevice / fleet.Prices;
                double j22 = server.LogPriceByDeadline - fleet.PricesByDeadline / fleet.Prices;
                double det = j11 * j22 - j12 * j21;
                du = (-r1 * j22 + f2 * j12) / det;
                dTau = (-f2 * j11 + r1 * j21) / det;
                if (Math.Abs(du) > LogStepCap)
                {
                    // A capped price step: the deadline follows the balance's linearization at that price instead
                    // of the full step's (far from the root the full step in τ is as wrong as the one in u).
                    du = Math.Clamp(du, -LogStepCap, LogStepCap);
                    dTau = (-f2 - j21 * du) / j22;
                }
            }
            if (!double.IsFinite(du) || !double.IsFinite(dTau)) break;
            u = end == DeadlineEnd.None ? Math.Max(uFloor, u + du) : u + du;
            double next = tau + dTau;
            if (end == DeadlineEnd.None && !(next > tauLo && next < tauHi))
            {
                // The root may sit at an end of the range. A first step out (from a cold start it is often wrong) only
                // halves the way to that end; a second in a row pins the deadline there.
                if (++exits < 2) next = next <= tauLo ? tau - 0.5 * (tau - tauLo) : tau + 0.5 * (tauHi - tau);
                else
                {
                    if (++switches > MaxSwitches) break;
                    end = next <= tauLo ? DeadlineEnd.Bottom : DeadlineEnd.Top;
                    bracket = PriceBracket.Open;
                    next = end == DeadlineEnd.Bottom ? tauLo : tauHi;
                }
            }
            else exits = 0;
            tau = next;
        }
        tally.DeviceCapsHit = capsBefore;
        return false;
    }

    /// <summary>
    /// A safeguarded search for the root of an increasing f(u): Newton's step while it stays inside the bracket and at
    /// least halves |f|, else Illinois regula falsi on the bracket, else (one side still open) steps away from the
    /// known side that double each time. Regula falsi keeps it quick where the response has kinks (batches at their
    /// bounds), which make the analytic slope jump.
    /// </summary>
    private struct PriceBracket
    {
        private double _lo, _fLo, _hi, _fHi, _expand, _lastAbs;
        private int _side;

        public static PriceBracket Open => new()
        {
            _lo = double.NegativeInfinity, _hi = double.PositiveInfinity, _expand = LogStepCap, _lastAbs = double.PositiveInfinity,
        };

        /// <summary>Records f(u) and returns the next u.</summary>
        public double Next(double u, double f, double newton)
        {
            if (f >= 0)
            {
                (_hi, _fHi) = (u, f);
                if (_side == 1) _fLo *= 0.5;
                _side = 1;
            }
            else
            {
                (_lo, _fLo) = (u, f);
                if (_side == -1) _fHi *= 0.5;
                _side = -1;
            }
            bool quick = Math.Abs(f) <= 0.5 * _lastAbs;
            _lastAbs = Math.Abs(f);
            if (quick && newton > _lo && newton < _hi && Math.Abs(newton - u) <= LogStepCap) return newton;
            if (double.IsFinite(_lo) && double.IsFinite(_hi))
            {
                double falsi = (_lo * _fHi - _hi * _fLo) / (_fHi - _fLo);
                return falsi > _lo && falsi < _hi ? falsi : 0.5 * (_lo + _hi);
            }
            double next = double.IsFinite(_hi) ? _hi - _expand : _lo + _expand;
            _expand *= 2;
            return next;
        }
    }

    /// <summary>Whether the deadline is pinned at an end of its range.</summary>
    private enum DeadlineEnd { None, Bottom, Top }

    /// <summary>The server's part at (λ, τ): its energy M e0 and log time price ln((N/M) ν0), with their derivatives in
    /// u = ln λ and in τ by central differences (t0 = (Tmax − N τ) / M); zeros without pre-training.</summary>
    private readonly record struct ServerSlopes(double T0, double Batch, double Energy, double LogPrice,
        double EnergyByLogPrice, double EnergyByDeadline, double LogPriceByLogPrice, double LogPriceByDeadline)
    {
        public static ServerSlopes At(FixedRounds rounds, double lambda, double tau)
        {
            int m = rounds.M, n = rounds.N;
            if (m == 0) return default;
            double t0 = (rounds.DelayBudget - n * tau) / m;
            double serverPrice = lambda * m, ratio = (double)n / m;
            var at = Evaluate(rounds, serverPrice, t0, ratio);
            double h = ServerDifferenceStep;
            var up = Evaluate(rounds, serverPrice * Math.Exp(h), t0, ratio);
            var down = Evaluate(rounds, serverPrice * Math.Exp(-h), t0, ratio);
            double ht = ServerDifferenceStep * t0, tLow = Math.Max(t0 - ht, rounds.Server.MinTime);
            var later = Evaluate(rounds, serverPrice, t0 + ht, ratio);
            var sooner = Evaluate(rounds, serverPrice, tLow, ratio);
            double byT0 = -ratio / (t0 + ht - tLow); // d/dτ = −(N/M) d/dt0
            return new ServerSlopes(t0, at.Batch, at.Energy, at.LogPrice,
                (up.Energy - down.Energy) / (2 * h), (later.Energy - sooner.Energy) * byT0,
                (up.LogPrice - down.LogPrice) / (2 * h), (later.LogPrice - sooner.LogPrice) * byT0);
        }

        private static (double Batch, double Energy, double LogPrice) Evaluate(FixedRounds rounds, double serverPrice, double t0, double ratio)
        {
            double batch = rounds.Server.Respond(serverPrice, t0, out double timePrice);
            return (batch, rounds.M * rounds.Server.Energy(batch, t0), Math.Log(ratio * timePrice));
        }
    }
}
