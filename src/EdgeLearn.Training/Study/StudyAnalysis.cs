using System.Globalization;

namespace EdgeLearn.Training.Study;

/// <summary>A quantity of <c>cells.csv</c> that the figures and readings aggregate over seeds.</summary>
public enum StudyQuantity
{
    /// <summary>The plan's bound Gbar (<see cref="StudyRow.PredictedBound"/>).</summary>
    Bound,

    /// <summary>Final test accuracy (<see cref="StudyRow.TestAccuracy"/>).</summary>
    Accuracy,

    /// <summary>Measured mean |∇F|² (<see cref="StudyRow.AvgSqGradNorm"/>).</summary>
    GradientNorm,

    /// <summary>Pre-training rounds M.</summary>
    PretrainRounds,

    /// <summary>Fine-tuning rounds N.</summary>
    FinetuneRounds,
}

/// <summary>One scheme's value at one level of a sweep, over the seeds.</summary>
/// <param name="Level">The swept factor's value (×Emax, ×Tmax, the shift level or K).</param>
/// <param name="Mean">Mean over the seeds that have a value.</param>
/// <param name="Min">Smallest of them.</param>
/// <param name="Max">Largest of them.</param>
/// <param name="Count">Seeds with a value.</param>
/// <param name="Seeds">Seeds of the level (with or without a value).</param>
public sealed record SweepPoint(double Level, double Mean, double Min, double Max, int Count, int Seeds)
{
    /// <summary>Whether every seed has a value (a plan, and a training where the quantity is measured).</summary>
    public bool Complete => Count == Seeds;
}

/// <summary>Where one scheme reaches the frontier's target bound at one delay budget of the 2-D grid.</summary>
/// <param name="Scheme">Scheme.</param>
/// <param name="DelayFactor">The delay budget, × Tmax.</param>
/// <param name="EnergyFactor">The smallest energy budget (× Emax) at which the mean bound is at or under the target,
/// interpolated log-linearly between the grid's budgets; null when no budget of the grid reaches it.</param>
/// <param name="AtGridEdge">Whether the target is already met at the smallest energy budget of the grid at which every
/// seed has a plan (the grid's smallest, or the one above a budget without a plan), so the true frontier may lie lower.</param>
public sealed record FrontierPoint(string Scheme, double DelayFactor, double? EnergyFactor, bool AtGridEdge);

/// <summary>The bound the frontier figure asks every scheme to reach.</summary>
/// <param name="Bound">The target bound.</param>
/// <param name="Meaning">What it is, for sentences: "joint's bound at the scenario's budgets" (the centre, both budgets
/// ×1), or "the median of joint's bounds over the grid" where the grid has no complete centre.</param>
public sealed record FrontierTarget(double Bound, string Meaning);

/// <summary>A figure's one-paragraph reading, generated from the rows.</summary>
/// <param name="Figure">The figure's file name without extension (e.g. <c>bound-energy</c>).</param>
/// <param name="Text">The paragraph.</param>
public sealed record Reading(string Figure, string Text);

/// <summary>
/// Aggregates a study's rows (means and ranges over seeds per sweep level and scheme), finds the energy–delay frontier
/// and writes the readings of the report. Works from rows alone, so the report can be rebuilt from <c>cells.csv</c>.
/// </summary>
public sealed class StudyAnalysis
{
    /// <summary>Relative margin within which two bounds count as equal (joint and max-resource often coincide).</summary>
    public const double Tie = 1e-9;

    private readonly IReadOnlyList<StudyRow> _rows;

    /// <summary>Analyses <paramref name="rows"/>.</summary>
    /// <param name="rows">The rows of a study (cells.csv).</param>
    /// <param name="shiftKind">The swept shift component (null when there is no shift sweep).</param>
    /// <param name="calibrated">Whether each shift level's scenario was calibrated on its data (else the plans cannot
    /// depend on the shift, and the readings say so instead of drawing conclusions from it).</param>
    public StudyAnalysis(IReadOnlyList<StudyRow> rows, ShiftKind? shiftKind, bool calibrated = true)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows;
        ShiftKind = shiftKind;
        Calibrated = calibrated;
        Schemes = [.. rows.Select(r => r.Scheme).Distinct()];
        Seeds = [.. rows.Select(r => r.Seed).Distinct()];
    }

    /// <summary>The swept shift component, if any.</summary>
    public ShiftKind? ShiftKind { get; }

    /// <summary>Whether each shift level's scenario was calibrated on its own data.</summary>
    public bool Calibrated { get; }

    /// <summary>The one-factor sweeps with a figure: those with at least two levels, in the report's order.</summary>
    public IReadOnlyList<string> Drawn => [.. new[] { "energy", "delay", "devices", "shift" }.Where(s => Levels(s).Count >= 2)];

    /// <summary>Schemes, in the rows' order (joint first when present).</summary>
    public IReadOnlyList<string> Schemes { get; }

    /// <summary>Seeds.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Whether any row was trained.</summary>
    public bool Trained => _rows.Any(r => r.Trained);

    /// <summary>The value of <paramref name="sweep"/>'s factor in a row.</summary>
    public double LevelOf(string sweep, StudyRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return sweep switch
        {
            "energy" => row.EnergyFactor,
            "delay" => row.DelayFactor,
            "devices" => row.Devices,
            "shift" => ShiftKind switch
            {
                Study.ShiftKind.Invert => row.InvertFraction,
                Study.ShiftKind.Noise => row.NoiseStd,
                _ => row.RotateDeg,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(sweep), sweep, "not a one-factor sweep"),
        };
    }

    /// <summary>Whether the rows hold the sweep.</summary>
    public bool Has(string sweep) => _rows.Any(r => InSweep(r, sweep));

    /// <summary>The levels of a sweep, ascending.</summary>
    public IReadOnlyList<double> Levels(string sweep) => [.. _rows.Where(r => InSweep(r, sweep)).Select(r => LevelOf(sweep, r)).Distinct().Order()];

    /// <summary>One scheme's <paramref name="quantity"/> along a sweep: a point per level where at least one seed has a value.</summary>
    public IReadOnlyList<SweepPoint> Series(string sweep, string scheme, StudyQuantity quantity)
    {
        var points = new List<SweepPoint>();
        foreach (var level in _rows.Where(r => InSweep(r, sweep) && r.Scheme == scheme).GroupBy(r => LevelOf(sweep, r)).OrderBy(g => g.Key))
        {
            double[] values = [.. level.Select(r => Value(r, quantity)).Where(v => v is not null).Select(v => v!.Value)];
            if (values.Length > 0)
            {
                points.Add(new SweepPoint(level.Key, values.Average(), values.Min(), values.Max(), values.Length, level.Count()));
            }
        }

        return points;
    }

    /// <summary>A row's value of <paramref name="quantity"/>, null when it has none.</summary>
    public static double? Value(StudyRow row, StudyQuantity quantity)
    {
        ArgumentNullException.ThrowIfNull(row);
        return quantity switch
        {
            StudyQuantity.Bound => row.PredictedBound,
            StudyQuantity.Accuracy => row.TestAccuracy,
            StudyQuantity.GradientNorm => row.AvgSqGradNorm,
            StudyQuantity.PretrainRounds => row.PretrainRounds,
            _ => row.FinetuneRounds,
        };
    }

    /// <summary>The rows without a plan or training in a sweep: (scheme, level, status), each once.</summary>
    public IReadOnlyList<(string Scheme, double Level, string Status)> Missing(string sweep) =>
        [.. _rows.Where(r => InSweep(r, sweep) && r.Status != StudyStatus.Planned).Select(r => (r.Scheme, LevelOf(sweep, r), r.Status)).Distinct()];

    /// <summary>The frontier's target: the reference scheme's (joint's) mean bound at the centre (both budgets ×1) when
    /// every seed has a plan there, else the median of its grid bounds; null without a grid or without any plan of it.</summary>
    public FrontierTarget? Target()
    {
        var grid = _rows.Where(r => InSweep(r, "grid") && r.Scheme == Schemes[0]).ToArray();
        if (grid.Length == 0)
        {
            return null;
        }

        var centre = grid.Where(r => r.EnergyFactor == 1 && r.DelayFactor == 1).ToArray();
        if (centre.Length > 0 && centre.All(r => r.PredictedBound is not null))
        {
            return new FrontierTarget(centre.Average(r => r.PredictedBound!.Value), $"{Schemes[0]}'s bound at the scenario's budgets");
        }

        double[] bounds = [.. grid.Where(r => r.PredictedBound is not null).Select(r => r.PredictedBound!.Value).Order()];
        return bounds.Length == 0 ? null : new FrontierTarget(bounds[bounds.Length / 2], $"the median of {Schemes[0]}'s bounds over the grid");
    }

    /// <summary>For every scheme and delay budget of the grid, the smallest energy budget at which its mean bound (over
    /// seeds, counted only where every seed has a plan) reaches <paramref name="target"/>.</summary>
    public IReadOnlyList<FrontierPoint> Frontier(double target)
    {
        var result = new List<FrontierPoint>();
        var grid = _rows.Where(r => InSweep(r, "grid")).ToArray();
        double[] delays = [.. grid.Select(r => r.DelayFactor).Distinct().Order()];
        foreach (string scheme in Schemes)
        {
            foreach (double d in delays)
            {
                var byEnergy = grid.Where(r => r.Scheme == scheme && r.DelayFactor == d).GroupBy(r => r.EnergyFactor).OrderBy(g => g.Key)
                    .Select(g => (E: g.Key, Bound: g.All(r => r.PredictedBound is not null) ? g.Average(r => r.PredictedBound!.Value) : (double?)null)).ToArray();
                int i = Array.FindIndex(byEnergy, p => p.Bound is { } b && b <= target * (1 + Tie));
                if (i < 0)
                {
                    result.Add(new FrontierPoint(scheme, d, null, false));
                }
                else if (i == 0)
                {
                    result.Add(new FrontierPoint(scheme, d, byEnergy[0].E, true));
                }
                else if (byEnergy[i - 1].Bound is not { } above)
                {
                    result.Add(new FrontierPoint(scheme, d, byEnergy[i].E, true)); // the crossing lies somewhere below
                }
                else
                {
                    double below = byEnergy[i].Bound!.Value;
                    double t = below == above ? 1 : (Math.Log(target) - Math.Log(above)) / (Math.Log(below) - Math.Log(above));
                    double e = Math.Exp(Math.Log(byEnergy[i - 1].E) + Math.Clamp(t, 0, 1) * (Math.Log(byEnergy[i].E) - Math.Log(byEnergy[i - 1].E)));
                    result.Add(new FrontierPoint(scheme, d, e, false));
                }
            }
        }

        return result;
    }

    /// <summary>The first level of the shift sweep from which joint has M = 0 for every seed at that level and every
    /// higher one, counting only levels where every seed has a plan (null when it pre-trains at the highest such level
    /// or there is no shift sweep).</summary>
    public double? SwitchOff()
    {
        if (!Has("shift") || Schemes.Count == 0)
        {
            return null;
        }

        var m = Series("shift", Schemes[0], StudyQuantity.PretrainRounds).Where(p => p.Complete).ToArray();
        double? from = null;
        for (int i = m.Length - 1; i >= 0 && m[i].Max == 0; i--)
        {
            from = m[i].Level;
        }

        return from;
    }

    /// <summary>The readings of every figure the rows allow, in the report's order.</summary>
    public IReadOnlyList<Reading> Readings()
    {
        var readings = new List<Reading>();
        foreach (string sweep in Drawn)
        {
            readings.Add(new Reading($"bound-{sweep}", BoundReading(sweep)));
            if (sweep == "shift")
            {
                readings.Add(new Reading("rounds-shift", ShiftReading()));
            }

            if (_rows.Any(r => r.Trained && InSweep(r, sweep)))
            {
                readings.Add(new Reading($"accuracy-{sweep}", AccuracyReading(sweep)));
            }
        }

        if (Target() is { } target)
        {
            readings.Add(new Reading("frontier", FrontierReading(target)));
        }

        return readings;
    }

    /// <summary>A level as the report writes it: <c>×0.5</c>, <c>45°</c>, <c>noise 0.1</c>, <c>K = 20</c>.</summary>
    public string LevelText(string sweep, double level) => sweep switch
    {
        "energy" or "delay" => "×" + N(level),
        "devices" => "K = " + N(level),
        _ => new ShiftSweep(ShiftKind ?? Study.ShiftKind.Rotate, []).Label(level),
    };

    /// <summary>What a sweep varies, for sentences ("energy budget").</summary>
    public static string SweepNoun(string sweep) => sweep switch
    {
        "energy" => "energy budget",
        "delay" => "delay budget",
        "devices" => "fleet size",
        _ => "shift",
    };

    private string BoundReading(string sweep)
    {
        var levels = Levels(sweep);
        string joint = Schemes[0];
        var text = new List<string>();
        var series = Schemes.ToDictionary(s => s, s => Series(sweep, s, StudyQuantity.Bound).Where(p => p.Complete).ToDictionary(p => p.Level));
        int lowest = 0, compared = 0;
        double worst = 0;
        string? worstScheme = null;
        double worstLevel = 0;
        foreach (double level in levels)
        {
            if (!series[joint].TryGetValue(level, out var j))
            {
                continue;
            }

            var others = Schemes.Skip(1).Where(s => series[s].ContainsKey(level)).ToArray();
            if (others.Length == 0)
            {
                continue;
            }

            compared++;
            var best = others.MinBy(s => series[s][level].Mean)!;
            double bestBound = series[best][level].Mean;
            if (j.Mean <= bestBound * (1 + Tie))
            {
                lowest++;
            }
            else if (j.Mean / bestBound - 1 > worst)
            {
                worst = j.Mean / bestBound - 1;
                worstScheme = best;
                worstLevel = level;
            }
        }

        string seeds = Seeds.Count == 1 ? "one seed" : $"means over {Seeds.Count} seeds";
        text.Add($"Predicted bound against the {SweepNoun(sweep)} ({LevelText(sweep, levels[0])} to {LevelText(sweep, levels[^1])}, {seeds}).");
        if (sweep == "shift" && !Calibrated)
        {
            text.Add("The levels were planned with the scenario's own constants, so the bounds cannot differ between them.");
        }
        if (compared > 0)
        {
            text.Add($"{Cap(joint)} has the lowest bound of the {Schemes.Count} schemes (ties within a relative 1e-9 counted) at {lowest} of the {compared} levels where it and a baseline have a plan"
                + (worstScheme is null ? "." : $"; where it does not, its bound is at most {P(worst)} above the best baseline's ({worstScheme}, at {LevelText(sweep, worstLevel)})."));
        }

        var jointPoints = Series(sweep, joint, StudyQuantity.Bound).Where(p => p.Complete).ToArray();
        if (jointPoints.Length >= 2)
        {
            text.Add($"{Cap(joint)}'s bound is {V(jointPoints[0].Mean)} at {LevelText(sweep, jointPoints[0].Level)} and {V(jointPoints[^1].Mean)} at {LevelText(sweep, jointPoints[^1].Level)}.");
        }

        if (CentreLevel(sweep) is { } centre && series[joint].TryGetValue(centre, out var c))
        {
            var others = Schemes.Skip(1).Where(s => series[s].ContainsKey(centre)).ToArray();
            if (others.Length > 0)
            {
                var best = others.MinBy(s => series[s][centre].Mean)!;
                double b = series[best][centre].Mean;
                text.Add(Math.Abs(c.Mean - b) <= Tie * b
                    ? $"At {LevelText(sweep, centre)}, {joint}'s bound {V(c.Mean)} ties with the best baseline's ({best})" + NextBaseline(series, others, centre, c.Mean) + "."
                    : c.Mean < b
                    ? $"At {LevelText(sweep, centre)}, {joint}'s bound {V(c.Mean)} is {P(1 - c.Mean / b)} below the best baseline's ({best}, {V(b)})."
                    : $"At {LevelText(sweep, centre)}, {joint}'s bound {V(c.Mean)} is {P(c.Mean / b - 1)} above the best baseline's ({best}, {V(b)}).");
            }
        }

        text.Add(MissingSentence(sweep));
        return string.Join(" ", text.Where(t => t.Length > 0));
    }

    /// <summary>The sweep's level at the scenario itself (the cell shared with another one-factor sweep), if the sweep has it.</summary>
    private double? CentreLevel(string sweep)
    {
        if (sweep is "energy" or "delay")
        {
            return Levels(sweep).Contains(1) ? 1 : null;
        }

        var shared = _rows.FirstOrDefault(r => InSweep(r, sweep) && r.Sweeps.Split(';').Count(x => x is "energy" or "delay" or "shift" or "devices") >= 2);
        return shared is null ? null : LevelOf(sweep, shared);
    }

    private static string NextBaseline(Dictionary<string, Dictionary<double, SweepPoint>> series, string[] others, double level, double joint)
    {
        var distinct = others.Where(s => series[s][level].Mean > joint * (1 + Tie)).ToArray();
        if (distinct.Length == 0)
        {
            return "";
        }

        var next = distinct.MinBy(s => series[s][level].Mean)!;
        double b = series[next][level].Mean;
        return $" and is {P(1 - joint / b)} below the next ({next}, {V(b)})";
    }

    private string AccuracyReading(string sweep)
    {
        var text = new List<string>();
        string joint = Schemes[0];
        var levels = Levels(sweep);
        // Only levels where every seed was trained, so that every mean is over the same seeds.
        var series = Schemes.ToDictionary(s => s, s => Series(sweep, s, StudyQuantity.Accuracy).Where(p => p.Complete).ToDictionary(p => p.Level));
        string seeds = Seeds.Count == 1
            ? "one seed, so differences of a point or less may be noise"
            : $"means over {Seeds.Count} seeds";
        text.Add($"Measured test accuracy against the {SweepNoun(sweep)} ({seeds}).");
        var jointPoints = series[joint].Values.OrderBy(p => p.Level).ToArray();
        if (jointPoints.Length > 0)
        {
            text.Add($"{Cap(joint)} reaches " + string.Join(", ", jointPoints.Select(p => $"{A(p.Mean)} at {LevelText(sweep, p.Level)}")) + ".");
        }

        int best = 0, compared = 0;
        foreach (double level in levels)
        {
            var have = Schemes.Where(s => series[s].ContainsKey(level)).ToArray();
            if (have.Length < 2 || !series[joint].ContainsKey(level))
            {
                continue;
            }

            compared++;
            if (have.All(s => series[s][level].Mean <= series[joint][level].Mean))
            {
                best++;
            }
        }

        if (compared > 0)
        {
            text.Add($"It has the highest mean accuracy of the trained schemes at {best} of {compared} levels.");
        }

        double pick = CentreLevel(sweep) ?? levels[0];
        var atPick = Schemes.Where(s => series[s].ContainsKey(pick)).ToArray();
        if (atPick.Length > 1)
        {
            var top = atPick.MaxBy(s => series[s][pick].Mean)!;
            text.Add($"At {LevelText(sweep, pick)} the most accurate is {top} ({A(series[top][pick].Mean)}).");
        }

        var trained = _rows.Where(r => r.Trained && InSweep(r, sweep)).ToArray();
        int held = trained.Count(r => r.BoundHeld == true);
        text.Add($"The measured mean |∇F|² stayed at or under the plan's bound in {held} of {trained.Length} trained runs.");
        return string.Join(" ", text);
    }

    private string ShiftReading()
    {
        string joint = Schemes[0];
        if (!Calibrated)
        {
            return $"The shift levels were planned with the scenario's own constants (not calibrated per level), so {joint}'s M and N cannot change with the shift: this figure says nothing about where pre-training should stop; only the training saw the shift.";
        }

        var m = Series("shift", joint, StudyQuantity.PretrainRounds).Where(p => p.Complete).ToArray();
        var n = Series("shift", joint, StudyQuantity.FinetuneRounds).Where(p => p.Complete).ToArray();
        var text = new List<string> { $"{Cap(joint)}'s rounds against the shift ({(Seeds.Count == 1 ? "one seed" : $"means over {Seeds.Count} seeds")}; each level's scenario calibrated on its own data)." };
        if (m.Length == 0)
        {
            text.Add($"{Cap(joint)} has a plan for every seed at no shift level.");
            return string.Join(" ", text);
        }

        int incomplete = Levels("shift").Count - m.Length;
        if (incomplete > 0)
        {
            text.Add($"{incomplete} level(s) where {joint} has no plan for some seed are left out.");
        }

        text.Add($"M is {N(m[0].Mean)} at {LevelText("shift", m[0].Level)} and {N(m[^1].Mean)} at {LevelText("shift", m[^1].Level)}; N is {N(n[0].Mean)} and {N(n[^1].Mean)}.");
        if (SwitchOff() is { } off)
        {
            var before = m.Where(p => p.Level < off).ToArray();
            text.Add($"Pre-training is switched off (M = 0 for every seed) from {LevelText("shift", off)} on"
                + (before.Length > 0 ? $"; the last level with pre-training is {LevelText("shift", before[^1].Level)} (M = {N(before[^1].Mean)})." : ", at every level of the sweep."));
        }
        else
        {
            int zero = m.Count(p => p.Max == 0);
            bool allSeeds = m.All(p => p.Min > 0);
            text.Add(zero == 0
                ? $"{Cap(joint)} pre-trains (M > 0) at every level up to {LevelText("shift", m[^1].Level)}{(allSeeds ? "" : " for some seed")}: no switch-off point within the sweep."
                : $"M = 0 for every seed at {zero} level(s) but not at the highest one, so there is no single switch-off point within the sweep.");
        }

        return string.Join(" ", text);
    }

    private string FrontierReading(FrontierTarget target)
    {
        var points = Frontier(target.Bound);
        var text = new List<string>
        {
            $"Energy needed to reach a bound of {V(target.Bound)} ({target.Meaning}) against the delay budget, from the {GridCount("energy")} × {GridCount("delay")} planning grid; between grid budgets log energy is interpolated linearly in log bound; ≤ marks a budget reached at the smallest grid energy where every seed has a plan, so less may do.",
        };
        double[] delays = [.. points.Select(p => p.DelayFactor).Distinct().Order()];
        string top = N(MaxGrid("energy"));
        foreach (double d in delays)
        {
            var at = points.Where(p => p.DelayFactor == d).ToArray();
            if (at.All(p => p.EnergyFactor is null))
            {
                continue;
            }

            string E(FrontierPoint p) => (p.AtGridEdge ? "≤×" : "×") + N(p.EnergyFactor!.Value);
            var joint = at.FirstOrDefault(p => p.Scheme == Schemes[0]);
            var parts = new List<string>();
            foreach (var p in at.Where(p => p.EnergyFactor is not null))
            {
                string part = $"{p.Scheme} {E(p)}";
                if (p.Scheme != Schemes[0] && joint?.EnergyFactor is { } je && !p.AtGridEdge && !joint.AtGridEdge)
                {
                    double e = p.EnergyFactor!.Value;
                    part += e > je * (1 + 1e-6) ? $" ({P(e / je - 1)} more than {Schemes[0]})" : e < je * (1 - 1e-6) ? $" ({P(1 - e / je)} less than {Schemes[0]})" : " (the same)";
                }

                parts.Add(part);
            }

            string[] never = [.. at.Where(p => p.EnergyFactor is null).Select(p => p.Scheme)];
            text.Add($"At ×{N(d)} of the delay budget: " + string.Join(", ", parts)
                + (never.Length > 0 ? $"; not within ×{top}: {string.Join(", ", never)}." : "."));
        }

        int least = 0, any = 0;
        foreach (double d in delays)
        {
            var row = points.Where(p => p.DelayFactor == d && p.EnergyFactor is not null).ToArray();
            if (row.Length == 0)
            {
                continue;
            }

            any++;
            double min = row.Min(p => p.EnergyFactor!.Value);
            if (row.Any(p => p.Scheme == Schemes[0] && p.EnergyFactor!.Value <= min * (1 + 1e-6)))
            {
                least++;
            }
        }

        text.Add($"{Cap(Schemes[0])} needs the least energy (ties counted) at {least} of the {any} delay budgets where some scheme reaches the target.");
        return string.Join(" ", text);
    }

    /// <summary>How many factors the grid has on an axis ("energy" or "delay").</summary>
    private string GridCount(string axis)
    {
        double[] levels = [.. _rows.Where(r => InSweep(r, "grid")).Select(r => axis == "energy" ? r.EnergyFactor : r.DelayFactor).Distinct()];
        return levels.Length.ToString(CultureInfo.InvariantCulture);
    }

    private double MaxGrid(string axis) => _rows.Where(r => InSweep(r, "grid")).Max(r => axis == "energy" ? r.EnergyFactor : r.DelayFactor);

    private string MissingSentence(string sweep)
    {
        var missing = Missing(sweep);
        if (missing.Count == 0)
        {
            return "Every scheme has a plan at every level.";
        }

        return "Without a result: " + string.Join(", ", missing.GroupBy(m => (m.Scheme, m.Status))
            .Select(g => $"{g.Key.Scheme} at {string.Join(", ", g.Select(m => LevelText(sweep, m.Level)))} ({g.Key.Status})")) + ".";
    }

    private static bool InSweep(StudyRow row, string sweep) => row.Sweeps.Split(';').Contains(sweep);

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>A bound or measured value in readings: 4 significant digits.</summary>
    public static string V(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>A relative difference in readings: percent with one decimal.</summary>
    public static string P(double fraction) =>
        (Math.Abs(100 * fraction) >= 0.1 ? (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) : (100 * fraction).ToString("G2", CultureInfo.InvariantCulture)) + " %";

    /// <summary>An accuracy in readings: percent with one decimal.</summary>
    public static string A(double accuracy) => (100 * accuracy).ToString("F1", CultureInfo.InvariantCulture) + " %";

    /// <summary>A factor, level or round count in readings: up to 4 significant digits.</summary>
    public static string N(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
