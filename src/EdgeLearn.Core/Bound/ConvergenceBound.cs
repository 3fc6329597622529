using EdgeLearn.Scenarios;

namespace EdgeLearn.Bound;

/// <summary>
/// The convergence bound of <c>docs/model.md</c> §4 (Theorem): the average squared gradient
/// norm of the target loss over the N fine-tuning rounds is at most
/// Gbar = 2 Delta(M, B0) / (eta N) + L eta sigma² Σk rho_k² / bk.
/// </summary>
/// <remarks>Design after Lyu et al., "Rethinking Resource Management in Edge Learning: A Joint
/// Pre-training and Fine-tuning Design Paradigm", arXiv 2404.00836 (2024); constants from model.md.</remarks>
public static class ConvergenceBound
{
    /// <summary>r = 1 − mu eta0, the per-round contraction of pre-training under PL (Lemma 1).</summary>
    /// <param name="learning">Learning constants.</param>
    public static double Contraction(LearningSpec learning) => 1.0 - learning.PlConstant * learning.PretrainStepSize;

    /// <summary>Aggregation weights rho_k = Dk / Σj Dj.</summary>
    /// <param name="devices">The devices.</param>
    public static double[] Weights(IReadOnlyList<DeviceSpec> devices)
    {
        double total = 0;
        foreach (var d in devices) total += d.DatasetSize;
        var rho = new double[devices.Count];
        for (int k = 0; k < rho.Length; k++) rho[k] = devices[k].DatasetSize / total;
        return rho;
    }

    /// <summary>Delta(M, B0): the target gap at the start of fine-tuning.
    /// Phi when M = 0, else r^M Phi0 + (1 − r^M) L eta0 sigma0² / (2 mu B0) + 2 Gamma
    /// (Gamma + Gamma* when <see cref="ShiftSpec.OptimumGap"/> is given).</summary>
    /// <param name="learning">Learning constants.</param>
    /// <param name="pretrainRounds">M ≥ 0.</param>
    /// <param name="pretrainBatch">B0 ≥ 1 (unused when M = 0).</param>
    public static double InitialGap(LearningSpec learning, int pretrainRounds, double pretrainBatch)
    {
        if (pretrainRounds == 0) return learning.TargetInitialGap;
        double rM = Math.Pow(Contraction(learning), pretrainRounds);
        return rM * learning.PretrainInitialGap + PretrainNoiseFloor(learning, pretrainRounds) / pretrainBatch
            + learning.Shift.TransferPenalty;
    }

    /// <summary>(1 − r^M) L eta0 sigma0² / (2 mu): the pre-training noise term of Delta times B0.</summary>
    /// <param name="learning">Learning constants.</param>
    /// <param name="pretrainRounds">M ≥ 1.</param>
    public static double PretrainNoiseFloor(LearningSpec learning, int pretrainRounds) =>
        (1.0 - Math.Pow(Contraction(learning), pretrainRounds)) * learning.Smoothness * learning.PretrainStepSize
        * learning.PretrainGradientVariance / (2.0 * learning.PlConstant);

    /// <summary>The fine-tuning variance coefficient of device k: Ak = L eta sigma² rho_k² (the bound holds Ak / bk).</summary>
    /// <param name="learning">Learning constants.</param>
    /// <param name="weight">rho_k.</param>
    public static double VarianceCoefficient(LearningSpec learning, double weight) =>
        learning.Smoothness * learning.StepSize * learning.GradientVariance * weight * weight;

    /// <summary>The bound Gbar(M, N, B0, b) of the Theorem.</summary>
    /// <param name="scenario">The scenario (learning constants and data sizes).</param>
    /// <param name="pretrainRounds">M ≥ 0.</param>
    /// <param name="finetuneRounds">N ≥ 1.</param>
    /// <param name="pretrainBatch">B0 (unused when M = 0).</param>
    /// <param name="deviceBatches">bk, one per device.</param>
    public static double Value(Scenario scenario, int pretrainRounds, int finetuneRounds, double pretrainBatch,
        ReadOnlySpan<double> deviceBatches)
    {
        var learning = scenario.Learning;
        if (deviceBatches.Length != scenario.Devices.Count)
            throw new ArgumentException($"expected {scenario.Devices.Count} batches, got {deviceBatches.Length}", nameof(deviceBatches));
        if (finetuneRounds < 1) throw new ArgumentOutOfRangeException(nameof(finetuneRounds), "N must be at least 1");
        double[] rho = Weights(scenario.Devices);
        double variance = 0;
        for (int k = 0; k < rho.Length; k++) variance += VarianceCoefficient(learning, rho[k]) / deviceBatches[k];
        return 2.0 * InitialGap(learning, pretrainRounds, pretrainBatch) / (learning.StepSize * finetuneRounds) + variance;
    }
}
