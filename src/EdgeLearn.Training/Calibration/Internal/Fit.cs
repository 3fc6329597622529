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

/// <summary>One pilot's constants.</summary>
internal sealed record PilotFit(
    double Smoothness, double GeneralNoise, double TaskNoise, double GeneralizationGap, double PlConstant,
    double GeneralGap, double TaskGap, double RawGeneralVariance, double RawTaskVariance, double PlRatio,
    double CurvedGeneralNoise);

/// <summary>
/// The constants of the bound from the checkpoints of every pilot: one value per pilot, then mean and spread. Where
/// model.md §9's estimator for a constant is loose in a way that decides plans, a tighter one that keeps the bound's
/// lemmas true along the pilots is used, and §9's value is kept as a diagnostic (docs/model.md, "Calibration").
/// </summary>
internal sealed record Fit(
    Estimate Smoothness, Estimate PlConstant, Estimate GeneralVariance, Estimate TaskVariance,
    Estimate GeneralGap, Estimate TaskGap, Estimate Gap,
    Estimate GeneralizationGap, Estimate CurvedGeneralVariance, Estimate RawGeneralVariance, Estimate RawTaskVariance,
    Estimate SmallestPlRatio, int PilotBatch)
{
    /// <summary>The lower estimate of the task optimum F*: 0, safe for cross-entropy.</summary>
    public const double TaskOptimum = 0;

    /// <summary>The lower estimate of the general optimum F0*: 0, safe for cross-entropy.</summary>
    public const double GeneralOptimum = 0;

    public static Fit From(IReadOnlyList<CheckpointRecord> records, int pilotBatch)
    {
        var pilots = records.GroupBy(r => r.Repeat).OrderBy(g => g.Key).Select(g => FitPilot(g.ToArray(), pilotBatch)).ToArray();
        Estimate Of(Func<PilotFit, double> value) => Estimate.Of(pilots.Select(value).ToArray());
        return new Fit(
            Of(p => p.Smoothness),
            Of(p => p.PlConstant),
            Of(p => p.GeneralNoise / p.Smoothness),
            Of(p => p.TaskNoise / p.Smoothness),
            Of(p => p.GeneralGap),
            Of(p => p.TaskGap),
            ShiftGap(records),
            Of(p => p.GeneralizationGap),
            Of(p => p.CurvedGeneralNoise / p.Smoothness),
            Of(p => p.RawGeneralVariance),
            Of(p => p.RawTaskVariance),
            Of(p => p.PlRatio),
            pilotBatch);
    }

    /// <summary>
    /// Γ: at each pre-training checkpoint the excess gap |F − F0| − |F0' − F0| (how much farther the task loss is from the
    /// general loss than the loss of unseen general data is), averaged over the pilots; Γ is the largest of these means,
    /// at least 0, and its spread the pilots' spread at that checkpoint.
    /// </summary>
    /// <remarks>Averaging the pilots before taking the largest checkpoint keeps the largest of many noisy values from
    /// biasing Γ upwards where there is no shift (the held-out general data is small); with a shift the gap grows with
    /// pre-training and the largest mean sits at the last checkpoints.</remarks>
    public static Estimate ShiftGap(IReadOnlyList<CheckpointRecord> records)
    {
        var curves = records.Where(r => r.Path == PilotPath.General)
            .GroupBy(r => r.Step)
            .Select(g => g.OrderBy(r => r.Repeat).Select(r => Math.Abs(r.TaskLoss - r.GeneralLoss) - Math.Abs(r.HoldoutLoss - r.GeneralLoss)).ToArray())
            .ToArray();
        double[] largest = curves.MaxBy(c => c.Average())!;
        var estimate = Estimate.Of(largest);
        return estimate with { Value = Math.Max(0, estimate.Value) };
    }

    /// <summary>
    /// One pilot: L the largest curvature on any path; L σ² the fine-tuning noise (<see cref="FinetuningNoise"/>); from
    /// the pre-training path: F0* = F* = 0, Φ0 = F0(w0), Φ = F(w0), μ and σ0² from <see cref="FitLemma1"/>, and g the
    /// largest generalisation gap F0' − F0 (reported); Γ is fitted over all pilots (<see cref="ShiftGap(IReadOnlyList{CheckpointRecord})"/>).
    /// </summary>
    public static PilotFit FitPilot(IReadOnlyList<CheckpointRecord> records, int batch)
    {
        var pilot = records.Where(r => r.Path == PilotPath.General).OrderBy(r => r.Step).ToArray();
        double smoothness = records.Max(r => Math.Max(r.GeneralCurvature, r.TaskCurvature));
        double generalization = Math.Max(0, pilot.Max(r => r.HoldoutLoss - r.GeneralLoss));
        var (mu, floor) = FitLemma1(pilot, GeneralOptimum);
        double eta = pilot[^1].LearningRate;
        return new PilotFit(
            smoothness,
            2 * mu * batch * floor / eta,
            FinetuningNoise(records),
            generalization,
            mu,
            pilot[0].GeneralLoss - GeneralOptimum,
            pilot[0].TaskLoss - TaskOptimum,
            pilot.Max(r => r.GeneralVariance!.Value),
            records.Max(r => r.TaskVariance),
            pilot.Where(r => r.GeneralLoss > 0).Select(r => Math.Max(0, r.GeneralGradientNorm!.Value) / (2 * r.GeneralLoss)).DefaultIfEmpty(0).Min(),
            pilot.Max(r => r.GeneralCurvedVariance!.Value));
    }

    /// <summary>
    /// L σ² for Lemma 3: the curvature-weighted task noise tr(HΣ) averaged over the steps of each fine-tuning path (from
    /// the pre-trained model and from w0), the larger of the two; without fine-tuning paths, its largest value on the
    /// pre-training path.
    /// </summary>
    /// <remarks>Lemma 3 sums the noise E ξᵀHξ that every round pays, so σ² enters the bound only through its average
    /// over the rounds; a trapezoid over the checkpoints' steps estimates that average.</remarks>
    public static double FinetuningNoise(IReadOnlyList<CheckpointRecord> records)
    {
        double largest = double.NegativeInfinity;
        foreach (var path in new[] { PilotPath.TaskFromPretrained, PilotPath.TaskFromScratch })
        {
            var walk = records.Where(r => r.Path == path).OrderBy(r => r.Step).ToArray();
            if (walk.Length == 1)
            {
                largest = Math.Max(largest, walk[0].TaskCurvedVariance);
            }
            else if (walk.Length > 1)
            {
                double area = 0;
                for (int j = 1; j < walk.Length; j++)
                {
                    area += 0.5 * (walk[j].TaskCurvedVariance + walk[j - 1].TaskCurvedVariance) * (walk[j].Step - walk[j - 1].Step);
                }

                largest = Math.Max(largest, area / (walk[^1].Step - walk[0].Step));
            }
        }

        return double.IsFinite(largest) ? largest : records.Where(r => r.Path == PilotPath.General).Max(r => r.TaskCurvedVariance);
    }

    /// <summary>
    /// Lemma 1 fitted to a pilot: the curve a_s = R_s (F0(w0) − F0*) + (1 − R_s) a∞, R_s = Π_t (1 − μ η_t) over the pilot's
    /// steps, that stays at or above F0(w_s) − F0* at every checkpoint with the least area between them.
    /// </summary>
    /// <remarks>For each μ the smallest floor a∞ that keeps the curve above every checkpoint is
    /// max_s (F0_s − F0* − R_s Φ0) / (1 − R_s); μ then minimises the area (in steps) between curve and checkpoints, by a
    /// search over a log grid in (0, min(L, 1/η)] refined by golden section. a∞ is Lemma 1's noise floor
    /// η L σ0² / (2 μ B) at the pilot's batch B, from which σ0² is read: the noise SGD on the general data actually
    /// leaves in its loss, which the floor then scales as 1/B0 for other batches.</remarks>
    public static (double Mu, double Floor) FitLemma1(IReadOnlyList<CheckpointRecord> pilot, double optimum)
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
            double excess = Excess(pilot, optimum, mu, out _);
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
            if (Excess(pilot, optimum, Math.Exp(c), out _) <= Excess(pilot, optimum, Math.Exp(d), out _))
            {
                b = d;
            }
            else
            {
                a = c;
            }
        }

        double fitted = Math.Exp(0.5 * (a + b));
        if (Excess(pilot, optimum, fitted, out _) > bestExcess)
        {
            fitted = best;
        }

        Excess(pilot, optimum, fitted, out double floor);
        return (fitted, floor);
    }

    /// <summary>Area (in steps) between the tightest curve for μ and the checkpoints, per step; <paramref name="floor"/> its a∞.</summary>
    private static double Excess(IReadOnlyList<CheckpointRecord> pilot, double optimum, double mu, out double floor)
    {
        double phi0 = pilot[0].GeneralLoss - optimum;
        Span<double> contraction = pilot.Count <= 64 ? stackalloc double[pilot.Count] : new double[pilot.Count];
        contraction[0] = 1;
        floor = 0;
        for (int j = 1; j < pilot.Count; j++)
        {
            contraction[j] = contraction[j - 1] * Math.Pow(1 - (mu * pilot[j - 1].LearningRate), pilot[j].Step - pilot[j - 1].Step);
            if (contraction[j] < 1)
            {
                floor = Math.Max(floor, (pilot[j].GeneralLoss - optimum - (contraction[j] * phi0)) / (1 - contraction[j]));
            }
        }

        double excess = 0, steps = 0;
        for (int j = 1; j < pilot.Count; j++)
        {
            double curve = (contraction[j] * phi0) + ((1 - contraction[j]) * floor);
            double length = pilot[j].Step - pilot[j - 1].Step;
            excess += length * (curve - (pilot[j].GeneralLoss - optimum));
            steps += length;
        }

        return excess / Math.Max(1, steps);
    }

    /// <summary>The report's rows, in the order of model.md §4.</summary>
    public IReadOnlyList<CalibratedConstant> Constants(LearningSpec learning, ShiftMeasurement shift, Meters meters, CalibrationOptions options)
    {
        string pilots = $"mean over {options.Repeats} pilot(s) of {options.PilotSteps} SGD steps of batch {PilotBatch}";
        ComputeSpent none = new(0, 0, 0);
        ComputeSpent losses = meters.Losses.Spent;
        Estimate eta = new(learning.StepSize, Smoothness.Value > 0 ? learning.StepSize * Smoothness.Spread / Smoothness.Value : 0,
            Smoothness.Repeats.Select(l => options.StepFraction / l).ToArray());
        return
        [
            Row("smoothness", "L", "learning.smoothness", Smoothness,
                $"largest curvature of F0 and F at the checkpoints of every path ({options.PowerIterations} power iterations on finite-difference Hessian-vector products over {options.CurvatureSamples} samples); {pilots}", meters.Curvature.Spent),
            Row("stepSize", "eta", "learning.stepSize", eta, $"{options.StepFraction:G3} / L; fine-tuning runs with exactly this step", none),
            Row("pretrainStepSize", "eta0", "learning.pretrainStepSize", eta, $"{options.StepFraction:G3} / L; pre-training runs with exactly this step", none),
            Row("plConstant", "mu", "learning.plConstant", PlConstant,
                $"contraction of Lemma 1's curve R Phi0 + (1 - R) a_inf, R = prod (1 - mu eta), fitted to the pilot: the curve that stays above F0 - F0* at every checkpoint with the least area (section 9's smallest PL ratio is in the diagnostics); {pilots}", losses),
            Row("gradientVariance", "sigma^2", "learning.gradientVariance", TaskVariance,
                options.TaskPilotSteps > 0
                    ? $"curvature-weighted gradient noise tr(H Sigma) / L on the task data, the noise a descent step pays, averaged over {options.TaskPilotSteps} SGD steps on the task data from the pre-trained model and from w0 (the larger average; tr Sigma itself is in the diagnostics); {options.GradientSamples} samples in {options.GradientGroups} groups; {pilots}"
                    : $"largest curvature-weighted gradient noise tr(H Sigma) / L on the task data over the pre-training checkpoints (no fine-tuning paths); {options.GradientSamples} samples in {options.GradientGroups} groups; {pilots}",
                Meter.Sum(meters.TaskGradients, meters.Curvature)),
            Row("pretrainGradientVariance", "sigma0^2", "learning.pretrainGradientVariance", GeneralVariance,
                $"the noise that puts Lemma 1's floor L eta0 sigma0^2 / (2 mu B) at the fitted curve's floor a_inf for the pilot's batch B: 2 mu B a_inf / (L eta0), the noise SGD actually leaves in the general loss (the measured tr(H0 Sigma0) / L and tr Sigma0 are in the diagnostics); {pilots}", losses),
            Row("pretrainInitialGap", "Phi0", "learning.pretrainInitialGap", GeneralGap,
                "F0(w0) - F0* with F0* = 0, F0 on the pilot's general data", losses),
            Row("targetInitialGap", "Phi", "learning.targetInitialGap", TaskGap, "F(w0) - F* with F* = 0, F on all task data", losses),
            Row("shift.gap", "Gamma", "learning.shift.gap", Gap,
                "largest over the pre-training checkpoints of the pilots' mean excess |F - F0| - |F0' - F0| (F0' on the held-out general data: the gap that is not shift), at least 0; spread over the pilots at that checkpoint", losses),
            Row("shift.wasserstein", "W1", "learning.shift.wasserstein", new Estimate(learning.Shift.Wasserstein, shift.Spread, []),
                $"exact W1 in {shift.Space} space between general and task samples ({shift.Raw:G4}) minus the same between two general samples ({shift.Floor:G4}), {shift.Samples} samples x {shift.Repeats} repeats, at least 0", meters.Wasserstein.Spent),
            Row("shift.dataLipschitz", "G", "learning.shift.dataLipschitz", new Estimate(learning.Shift.DataLipschitz, 0, []),
                shift.Significant ? "Gamma / W1: how distance in data becomes distance in loss" : "0: W1 is within twice its spread of 0, so G is not defined", none),
        ];
    }

    /// <summary>model.md §9's own estimators where a tighter one is written, and F0*, for comparison.</summary>
    public IReadOnlyList<CalibratedConstant> Diagnostics(Meters meters, CalibrationOptions options) =>
    [
        Row("generalizationGap", "g", "", GeneralizationGap,
            "largest held-out minus pilot general loss over the pre-training checkpoints (not part of Gamma, which measures only the shift)", meters.Losses.Spent),
        Row("curvedPretrainGradientVariance", "tr(H0 Sigma0) / L", "", CurvedGeneralVariance,
            "largest curvature-weighted gradient noise on the general data over the checkpoints (measured; an upper estimate of sigma0^2)", Meter.Sum(meters.GeneralGradients, meters.Curvature)),
        Row("rawGradientVariance", "tr Sigma", "", RawTaskVariance,
            "largest per-sample gradient variance on the task data over the checkpoints of every path (section 9's sigma^2)", meters.TaskGradients.Spent),
        Row("rawPretrainGradientVariance", "tr Sigma0", "", RawGeneralVariance,
            "largest per-sample gradient variance on the general data over the checkpoints (section 9's sigma0^2)", meters.GeneralGradients.Spent),
        Row("smallestPlRatio", "PL ratio", "", SmallestPlRatio,
            $"smallest |grad F0|^2 / (2 F0) over the checkpoints, |grad F0|^2 unbiased from {options.GradientSamples} general samples (section 9's mu with F0* = 0)", meters.GeneralGradients.Spent),
    ];

    private static CalibratedConstant Row(string name, string symbol, string field, Estimate estimate, string method, ComputeSpent compute) =>
        new(name, symbol, field, estimate.Value, estimate.Spread, estimate.Repeats, method, compute);
}
