using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using Spectre.Console;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>Runs one plan under a Spectre progress display on stderr: one bar per stage, with the latest loss and test
/// accuracy (none with --quiet or when stderr is not a terminal).</summary>
internal static class TrainingProgress
{
    /// <summary>Runs the prepared <paramref name="trainer"/> of <paramref name="plan"/> and returns the result;
    /// <paramref name="label"/> prefixes the bars (e.g. the scheme).</summary>
    /// <exception cref="TrainingDivergedException">The run diverged (the caller says so and writes what it measured).</exception>
    public static TrainingResult Run(CliOutput output, string label, Plan plan, TwoStageTrainer trainer, CancellationToken cancellationToken) =>
        Run(output, label, plan, progress => trainer.Run(progress, cancellationToken));

    /// <summary>Runs <paramref name="run"/> (which reports every round to the progress it is given, or null without a
    /// display) under the bars of <paramref name="plan"/>.</summary>
    public static T Run<T>(CliOutput output, string label, Plan plan, Func<IProgress<RoundRecord>?, T> run)
    {
        if (!output.ShowsProgress)
        {
            return run(null);
        }

        T? result = default;
        output.ErrorConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var pretrain = plan.PretrainRounds > 0
                    ? context.AddTask(Describe(label, "pre-training", 0, plan.PretrainRounds, null, null), maxValue: plan.PretrainRounds)
                    : null;
                var finetune = context.AddTask(Describe(label, "fine-tuning", 0, plan.FinetuneRounds, null, null), maxValue: plan.FinetuneRounds);
                result = run(new Reporter(label, plan, pretrain, finetune));
            });
        return result!;
    }

    private static string Describe(string label, string stage, int done, int total, double? loss, double? accuracy)
    {
        string lossText = loss is { } l ? l.ToString("F3", CultureInfo.InvariantCulture) : "  -  ";
        string accuracyText = accuracy is { } a ? a.ToString("P1", CultureInfo.InvariantCulture) : "  -  ";
        return Markup.Escape($"{label}{stage,-12} {done,4}/{total,-4} loss {lossText}  acc {accuracyText}");
    }

    private sealed class Reporter(string label, Plan plan, ProgressTask? pretrain, ProgressTask finetune) : IProgress<RoundRecord>
    {
        private double? _accuracy;

        public void Report(RoundRecord value)
        {
            _accuracy = value.TestAccuracy ?? _accuracy;
            switch (value.Stage)
            {
                case TrainingStage.Pretrain when pretrain is not null:
                    pretrain.Value = value.StageRound;
                    pretrain.Description = Describe(label, "pre-training", value.StageRound, plan.PretrainRounds, value.TrainingLoss, _accuracy);
                    break;
                case TrainingStage.Finetune:
                    finetune.Value = value.StageRound;
                    finetune.Description = Describe(label, "fine-tuning", value.StageRound, plan.FinetuneRounds, value.TrainingLoss, _accuracy);
                    break;
            }
        }
    }
}
