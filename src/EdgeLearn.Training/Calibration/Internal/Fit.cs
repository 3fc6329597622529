using EdgeLearn.Scenarios;

namespace EdgeLearn.Training.Calibration.Internal;

/// <summary>A constant's value over the pilots: their mean, their standard deviation and each one.</summary>
internal sealed record Estimate(double Value, double Spread, IReadOnlyList<double> Repeats)
{
    public static Estimate Of(IReadOnlyList<double> repeats)
    {
        var summary = MeanStd.Of(repeats);
        return new Estimate(summary.Mean, summary.Std, repeats);
    }
}

/// <summary>
/// The constants of the bound from the checkpoints of every pilot: one value per pilot, then mean and spread. Where
/// model.md §9's estimator for a constant is loose in a way that decides plans, a tighter one that still makes the
/// bound's lemmas hold along the pilots is used, and §9's is kept as a diagnostic (docs/model.md, "Calibration").
/// </summary>
internal sealed record Fit(
    Estimate Smoothness, Estimate PlConstant, Estimate GeneralVariance, Estimate TaskVariance,
    Estimate GeneralGap, Estimate TaskGap, Estimate Gap,
    Estimate CurvedGeneralVariance, Estimate RawGeneralVariance, Estimate RawTaskVariance, Estimate SmallestPlRatio, int PilotBatch)
{
    /// <summary>Lower estimates of the optimal losses F0* and F*: 0, safe for cross-entropy.</summary>
    public const double OptimalLoss = 0;

    public static Fit From(IReadOnlyList<CheckpointRecord> records, CalibrationOptions options, int pilotBatch)
    {
        var pilots = records.GroupBy(r => r.Repeat).OrderBy(g => g.Key).Select(g => g.OrderBy(r => r.Step).ToArray()).ToArray();
        double[] smoothness = pilots.Select(p => p.Max(r => Math.Max(r.GeneralCurvature, r.TaskCurvature))).ToArray();
        double[] taskNoise = pilots.Select(p => p.Max(r => r.TaskCurvedVariance)).ToArray();
        var trajectories = pilots.Select(FitTrajectory).ToArray();
        return new Fit(
            Estimate.Of(smoothness),
            Estimate.Of(trajectories.Select(t => t.Mu).ToArray()),
            Estimate.Of(trajectories.Select(t => 2 * t.Mu * pilotBatch * t.Floor / options.StepFraction).ToArray()),
            Estimate.Of(taskNoise.Zip(smoothness, (noise, l) => noise / l).ToArray()),
            Estimate.Of(pilots.Select(p => p[0].HoldoutLoss - OptimalLoss).ToArray()),
            Estimate.Of(pilots.Select(p => p[0].TaskLoss - OptimalLoss).ToArray()),
            Estimate.Of(pilots.Select(ShiftGap).ToArray()),
            Estimate.Of(pilots.Select((p, i) => p.Max(r => r.GeneralCurvedVariance) / smoothness[i]).ToArray()),
            Estimate.Of(pilots.Select(p => p.Max(r => r.GeneralVariance)).ToArray()),
            Estimate.Of(pilots.Select(p => p.Max(r => r.TaskVariance)).ToArray()),
            Estimate.Of(pilots.Select(PlRatio).ToArray()),
            pilotBatch);
    }

    /// <summary>
    /// Lemma 1's curve fitted to a pilot: a_s = R_s Φ0 + (1 − R_s) a∞ with R_s = Π_t (1 − μ η_t) over the pilot's steps,
    /// the tightest curve that stays at or above the held-out general loss F0'(w_s) − F0* at every checkpoint.
    /// </summary>
    /// <remarks>For each μ the smallest floor a∞ that keeps the curve above every checkpoint is
    /// max_s (F0'_s − R_s Φ0) / (1 − R_s); μ then minimises the mean excess of the curve over the checkpoints (a search
    /// over a log grid in (0, min(L, 1/η)], refined by golden section). The held-out loss is used because the
    /// pre-trained model carries its population loss to the task (Lemma 2); a∞ is the pilot-batch floor
    /// L η0 σ0² / (2 μ B) of Lemma 1, from which σ0² is read.</remarks>
    public static (double Mu, double Floor) FitTrajectory(IReadOnlyList<CheckpointRecord> pilot)
    {
        double largestRate = pilot.Take(pilot.Count - 1).Select(r => r.LearningRate).DefaultIfEmpty(0).Max();
        double smoothness = pilot.Max(r => Math.Max(r.GeneralCurvature, r.TaskCurvature));
        double high = largestRate > 0 ? Math.Min(smoothness, 0.999 / largestRate) : smoothness;
        double low = 1e-6 * high;
        const int Grid = 120;
        double best = high, bestExcess = double.PositiveInfinity;
        for (int i = 0; i <= Grid; i++)
        {
            double mu = low * Math.Pow(high / low, (double)i / Grid);
            double excess = Excess(pilot, mu, out _);
            if (excess < bestExcess)
            {
                (best, bestExcess) = (mu, excess);
            }
        }

        // Golden section in log μ between the grid neighbours of the best point.
        double step = Math.Pow(high / low, 1.0 / Grid);
        double a = Math.Log(Math.Max(low, best / step)), b = Math.Log(Math.Min(high, best * step));
        const double Ratio = 0.6180339887498949;
        for (int i = 0; i < 40; i++)
        {
            double c = b - (Ratio * (b - a)), d = a + (Ratio * (b - a));
            if (Excess(pilot, Math.Exp(c), out _) <= Excess(pilot, Math.Exp(d), out _))
            {
                b = d;
            }
            else
            {
                a = c;
            }
        }

        double fitted = Math.Exp(0.5 * (a + b));
        if (Excess(pilot, fitted, out _) > bestExcess)
        {
            fitted = best;
        }

        Excess(pilot, fitted, out double floor);
        return (fitted, floor);
    }

    /// <summary>Mean excess of the tightest curve for μ over the held-out losses; <paramref name="floor"/> its a∞.</summary>
    private static double Excess(IReadOnlyList<CheckpointRecord> pilot, double mu, out double floor)
    {
        double phi0 = pilot[0].HoldoutLoss - OptimalLoss;
        Span<double> contraction = pilot.Count <= 64 ? stackalloc double[pilot.Count] : new double[pilot.Count];
        contraction[0] = 1;
        floor = 0;
        for (int j = 1; j < pilot.Count; j++)
        {
            contraction[j] = contraction[j - 1] * Math.Pow(1 - (mu * pilot[j - 1].LearningRate), pilot[j].Step - pilot[j - 1].Step);
            double observed = pilot[j].HoldoutLoss - OptimalLoss;
            if (contraction[j] < 1)
            {
                floor = Math.Max(floor, (observed - (contraction[j] * phi0)) / (1 - contraction[j]));
            }
        }

        double excess = 0;
        for (int j = 1; j < pilot.Count; j++)
        {
            double curve = (contraction[j] * phi0) + ((1 - contraction[j]) * floor);
            excess += curve - (pilot[j].HoldoutLoss - OptimalLoss);
        }

        return excess / Math.Max(1, pilot.Count - 1);
    }

    /// <summary>model.md §9's μ: the smallest |∇F0|² / (2 (F0 − F0*)) over the checkpoints (reported, not used).</summary>
    private static double PlRatio(CheckpointRecord[] pilot) =>
        pilot.Where(r => r.GeneralLoss > OptimalLoss)
            .Select(r => Math.Max(0, r.GeneralGradientNorm) / (2 * (r.GeneralLoss - OptimalLoss)))
            .DefaultIfEmpty(0)
            .Min();

    /// <summary>Γ: the largest |F − F0| beyond |F0' − F0| (held-out general data) over the checkpoints, at least 0.</summary>
    private static double ShiftGap(CheckpointRecord[] pilot) =>
        Math.Max(0, pilot.Max(r => Math.Abs(r.TaskLoss - r.GeneralLoss) - Math.Abs(r.HoldoutLoss - r.GeneralLoss)));

    /// <summary>The report's rows, in the order of model.md §4.</summary>
    public IReadOnlyList<CalibratedConstant> Constants(LearningSpec learning, ShiftMeasurement shift, Meters meters, CalibrationOptions options)
    {
        string pilots = $"over {options.Repeats} pilot(s) of {options.PilotSteps} SGD steps";
        ComputeSpent none = new(0, 0, 0);
        ComputeSpent losses = meters.Losses.Spent;
        Estimate eta = new(learning.StepSize, Smoothness.Value > 0 ? learning.StepSize * Smoothness.Spread / Smoothness.Value : 0,
            Smoothness.Repeats.Select(l => options.StepFraction / l).ToArray());
        return
        [
            Row("smoothness", "L", "learning.smoothness", Smoothness,
                $"largest curvature of F0 and F at every checkpoint ({options.PowerIterations} power iterations on finite-difference Hessian-vector products over {options.CurvatureSamples} samples), mean {pilots}", meters.Curvature.Spent),
            Row("stepSize", "eta", "learning.stepSize", eta, $"{options.StepFraction:G3} / L; fine-tuning runs with exactly this step", none),
            Row("pretrainStepSize", "eta0", "learning.pretrainStepSize", eta, $"{options.StepFraction:G3} / L; pre-training runs with exactly this step", none),
            Row("plConstant", "mu", "learning.plConstant", PlConstant,
                $"Lemma 1's contraction fitted to the pilot: the tightest curve R_s Phi0 + (1 - R_s) a_inf, R_s = prod (1 - mu eta), that stays above the held-out general loss at every checkpoint (section 9's smallest PL ratio is in the diagnostics), mean {pilots}", meters.Losses.Spent),
            Row("gradientVariance", "sigma^2", "learning.gradientVariance", TaskVariance,
                $"largest curvature-weighted gradient noise tr(H Sigma) / L on the task data over the checkpoints (the noise a descent step pays; tr Sigma itself is in the diagnostics), {options.GradientGroups} groups of {options.GradientSamples} samples, mean {pilots}", Meter.Sum(meters.TaskGradients, meters.Curvature)),
            Row("pretrainGradientVariance", "sigma0^2", "learning.pretrainGradientVariance", GeneralVariance,
                $"the pre-training noise that puts Lemma 1's floor L eta0 sigma0^2 / (2 mu B) at the fitted floor a_inf for the pilot's batch B = {PilotBatch}: 2 mu B a_inf / (L eta0) (the measured tr(H0 Sigma0) / L and tr Sigma0 are in the diagnostics), mean {pilots}", meters.Losses.Spent),
            Row("pretrainInitialGap", "Phi0", "learning.pretrainInitialGap", GeneralGap, "F0(w0) - F0* with F0* = 0, F0 on the held-out general data", losses),
            Row("targetInitialGap", "Phi", "learning.targetInitialGap", TaskGap, "F(w0) - F* with F* = 0, F on all task data", losses),
            Row("shift.gap", "Gamma", "learning.shift.gap", Gap,
                "largest |F - F0| beyond |F0' - F0| over the checkpoints (F0' on the held-out general data: the gap that is not shift), at least 0", losses),
            Row("shift.wasserstein", "W1", "learning.shift.wasserstein", new Estimate(learning.Shift.Wasserstein, shift.Spread, []),
                $"exact W1 in {shift.Space} space between general and task samples ({shift.Raw:G4}) minus the same between two general samples ({shift.Floor:G4}), {shift.Samples} samples x {shift.Repeats} repeats, at least 0", meters.Wasserstein.Spent),
            Row("shift.dataLipschitz", "G", "learning.shift.dataLipschitz", new Estimate(learning.Shift.DataLipschitz, 0, []),
                shift.Significant ? "Gamma / W1: how distance in data becomes distance in loss" : "0: W1 is within twice its spread of 0, so G is not defined", none),
        ];
    }

    /// <summary>model.md §9's own estimators where a tighter one is written, for comparison.</summary>
    public IReadOnlyList<CalibratedConstant> Diagnostics(Meters meters, CalibrationOptions options) =>
    [
        Row("rawGradientVariance", "tr Sigma", "", RawTaskVariance,
            "largest per-sample gradient variance on the task data over the checkpoints (section 9's sigma^2)", meters.TaskGradients.Spent),
        Row("curvedPretrainGradientVariance", "tr(H0 Sigma0) / L", "", CurvedGeneralVariance,
            "largest curvature-weighted gradient noise on the general data over the checkpoints (measured, not fitted)", Meter.Sum(meters.GeneralGradients, meters.Curvature)),
        Row("rawPretrainGradientVariance", "tr Sigma0", "", RawGeneralVariance,
            "largest per-sample gradient variance on the general data over the checkpoints (section 9's sigma0^2)", meters.GeneralGradients.Spent),
        Row("smallestPlRatio", "PL ratio", "", SmallestPlRatio,
            $"smallest |grad F0|^2 / (2 (F0 - F0*)) over the checkpoints, |grad F0|^2 unbiased on {options.GradientSamples} general samples (section 9's mu)", meters.GeneralGradients.Spent),
    ];

    private static CalibratedConstant Row(string name, string symbol, string field, Estimate estimate, string method, ComputeSpent compute) =>
        new(name, symbol, field, estimate.Value, estimate.Spread, estimate.Repeats, method, compute);
}
