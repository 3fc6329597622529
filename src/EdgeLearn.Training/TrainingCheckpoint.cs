using EdgeLearn.Training.Accounting;
using EdgeLearn.Training.Fleet;

namespace EdgeLearn.Training;

/// <summary>Everything a run needs to continue after round <see cref="Round"/> as if it had never stopped: the model, the
/// rounds measured so far, the ledger, and the pre-trained weights once pre-training is over.</summary>
/// <param name="Round">The last completed global round (0: only the initial model measured).</param>
/// <param name="Parameters">The global model after that round.</param>
/// <param name="Rounds">Rounds 0 to <paramref name="Round"/>, in order.</param>
/// <param name="Ledger">The delay and energy ledger after that round.</param>
/// <param name="Pretrained">The model after the M pre-training rounds, once <paramref name="Round"/> ≥ M > 0; else null.</param>
public sealed record TrainingCheckpoint(int Round, float[] Parameters, IReadOnlyList<RoundRecord> Rounds, LedgerState Ledger, float[]? Pretrained);

/// <summary>How a run is driven beyond its inputs: where its devices compute, where it starts, who hears of every round.</summary>
public sealed record TrainingHooks
{
    /// <summary>The devices of the fine-tuning rounds; default null: simulated in-process devices (<c>train</c>).</summary>
    public IDeviceFleet? Fleet { get; init; }

    /// <summary>Continue a run from this checkpoint instead of starting it; default null.</summary>
    public TrainingCheckpoint? ResumeFrom { get; init; }

    /// <summary>Called on the training thread after every round (the initial measurement included) with the run's state
    /// then, before the next round starts; e.g. to commit it to a state file. Default null.</summary>
    public Action<TrainingCheckpoint>? RoundCompleted { get; init; }
}
