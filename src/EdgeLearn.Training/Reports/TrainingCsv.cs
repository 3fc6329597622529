using System.Globalization;
using System.Text;

namespace EdgeLearn.Training.Reports;

/// <summary>CSV renderings of runs (invariant culture, round-trip numbers, empty cells where nothing was measured).</summary>
public static class TrainingCsv
{
    /// <summary>Column names of the per-round tables, in order.</summary>
    public const string RoundsHeader =
        "round,stage,stageRound,trainingLoss,gradientNormSquared,testAccuracy,testLoss,roundDelayS,roundEnergyJ,delayS,energyJ,deadlineMisses,gradientNormStdErr";

    /// <summary>Column names of <see cref="Summaries"/>, in order.</summary>
    public const string SummaryHeader =
        "scheme,dataset,seed,pretrainRounds,finetuneRounds,finalTestAccuracy,finalTestLoss,averageSquaredGradientNorm,predictedBound,delayS,energyJ,budgetDelayS,budgetEnergyJ,deadlineMisses,wallClockS,averageSquaredGradientNormStdErr,boundRatio,boundHeld";

    /// <summary>One line per round (<see cref="RoundRecord"/>), with a header; optionally a leading <c>scheme</c> column.</summary>
    /// <param name="rounds">The rounds.</param>
    /// <param name="scheme">When given, every line starts with this scheme name (for <c>train --scheme all</c>).</param>
    /// <returns>The CSV text, lines ending in <c>\n</c>.</returns>
    public static string Rounds(IEnumerable<RoundRecord> rounds, string? scheme = null)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var text = new StringBuilder();
        text.Append(scheme is null ? "" : "scheme,").Append(RoundsHeader).Append('\n');
        AppendRounds(text, rounds, scheme);
        return text.ToString();
    }

    /// <summary>The rounds of several runs in one table with a leading <c>scheme</c> column.</summary>
    /// <param name="results">The runs.</param>
    /// <returns>The CSV text.</returns>
    public static string Rounds(IEnumerable<TrainingResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder("scheme,").Append(RoundsHeader).Append('\n');
        foreach (var result in results)
        {
            AppendRounds(text, result.Rounds, result.Summary.Scheme);
        }

        return text.ToString();
    }

    /// <summary>One line per run with the main summary fields.</summary>
    /// <param name="summaries">The summaries.</param>
    /// <returns>The CSV text.</returns>
    public static string Summaries(IEnumerable<TrainingSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var text = new StringBuilder(SummaryHeader).Append('\n');
        foreach (var s in summaries)
        {
            text.AppendJoin(',', s.Scheme, s.Dataset, I(s.Seed), I(s.PretrainRounds), I(s.FinetuneRounds), R(s.FinalTestAccuracy),
                R(s.FinalTestLoss), R(s.AverageSquaredGradientNorm), R(s.PredictedBound), R(s.DelayS), R(s.EnergyJ),
                R(s.BudgetDelayS), R(s.BudgetEnergyJ), I(s.DeadlineMisses), R(s.WallClockS),
                R(s.AverageSquaredGradientNormStdErr), R(s.BoundRatio), s.BoundHeld ? "true" : "false").Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The stage name used in files: <c>initial</c>, <c>pretrain</c> or <c>finetune</c>.</summary>
    /// <param name="stage">The stage.</param>
    public static string StageName(TrainingStage stage) => stage switch
    {
        TrainingStage.Initial => "initial",
        TrainingStage.Pretrain => "pretrain",
        TrainingStage.Finetune => "finetune",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    private static void AppendRounds(StringBuilder text, IEnumerable<RoundRecord> rounds, string? scheme)
    {
        foreach (var r in rounds)
        {
            if (scheme is not null)
            {
                text.Append(scheme).Append(',');
            }

            text.AppendJoin(',', I(r.Round), StageName(r.Stage), I(r.StageRound), R(r.TrainingLoss), R(r.GradientNormSquared),
                R(r.TestAccuracy), R(r.TestLoss), R(r.RoundDelayS), R(r.RoundEnergyJ), R(r.DelayS), R(r.EnergyJ),
                I(r.DeadlineMisses), R(r.GradientNormStdErr)).Append('\n');
        }
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string R(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
