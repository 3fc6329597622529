namespace EdgeLearn.Training;

/// <summary>A run whose loss or gradient norm stopped being a finite number, or whose loss exploded: the step sizes are
/// too large for this model and data (or, at round 0, the initial weights are). The message names the round and the step size and says what to change; the
/// rounds measured before it are kept, so that a caller can write a flagged summary.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>The <see cref="Stage"/> of a run whose starting model is already non-finite (round 0, no rounds).</summary>
    public const string InitialStage = "initial";

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One sentence, starting lower-case, that follows "Unable to train: ".</param>
    public TrainingDivergedException(string message)
        : this(message, "", 0, [])
    {
    }

    /// <summary>Creates the exception with where the run stopped and what it measured until then.</summary>
    /// <param name="message">One sentence, starting lower-case, that follows "Unable to train: ".</param>
    /// <param name="stage">The stage that diverged: <c>pretrain</c> or <c>finetune</c>, or <see cref="InitialStage"/>.</param>
    /// <param name="round">The round of that stage, from 1.</param>
    /// <param name="rounds">The rounds completed before it, every number finite.</param>
    public TrainingDivergedException(string message, string stage, int round, IReadOnlyList<RoundRecord> rounds)
        : base(message)
    {
        Stage = stage;
        Round = round;
        Rounds = rounds;
    }

    /// <summary>The stage that diverged: <c>pretrain</c> or <c>finetune</c>, <see cref="InitialStage"/> when the starting
    /// model is already non-finite (empty when unknown).</summary>
    public string Stage { get; }

    /// <summary>The round of <see cref="Stage"/> at which the run stopped, from 1 (0 for <see cref="InitialStage"/>).</summary>
    public int Round { get; }

    /// <summary>The rounds completed before the divergence (the initial measurement first).</summary>
    public IReadOnlyList<RoundRecord> Rounds { get; }
}
