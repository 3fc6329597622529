namespace EdgeLearn.Training;

/// <summary>The stage a round belongs to.</summary>
public enum TrainingStage
{
    /// <summary>The untrained model before the first round (round 0).</summary>
    Initial,

    /// <summary>A server pre-training round (SGD on the general data).</summary>
    Pretrain,

    /// <summary>A federated fine-tuning round (FedSGD on the devices' task data).</summary>
    Finetune,
}

/// <summary>What was measured in one round of a run; one row of <c>rounds.csv</c>.</summary>
/// <param name="Round">Global round index: 0 for the initial model, 1..M pre-training, M+1..M+N fine-tuning.</param>
/// <param name="Stage">Stage of the round.</param>
/// <param name="StageRound">Index within the stage (1-based; 0 for the initial row).</param>
/// <param name="TrainingLoss">Minibatch loss the round stepped on, nats: the server's B0-sample loss of F0 in pre-training,
/// Σk ρk of the devices' bk-sample losses (an estimate of F) in fine-tuning; null for the initial row.</param>
/// <param name="GradientNormSquared">Unbiased estimate of |∇F(w)|², F the target loss over all the devices' task data, at the
/// model w the round starts from (w_{M+n−1} for fine-tuning round n, as in the Theorem's average); for the initial row, at
/// w0. Measured on a fresh sample every round (<see cref="Measurement.GradientStatistics"/>), so it can dip slightly below 0 near a
/// stationary point.</param>
/// <param name="GradientNormStdErr">Standard error of <paramref name="GradientNormSquared"/>.</param>
/// <param name="TestAccuracy">Accuracy on the task test set after the round, when evaluated this round.</param>
/// <param name="TestLoss">Mean loss on the task test set after the round, nats, when evaluated this round.</param>
/// <param name="RoundDelayS">Simulated delay of this round, s.</param>
/// <param name="RoundEnergyJ">Simulated energy of this round, J.</param>
/// <param name="DelayS">Cumulative simulated delay after this round, s.</param>
/// <param name="EnergyJ">Cumulative simulated energy after this round, J.</param>
/// <param name="DeadlineMisses">Cumulative device deadline misses after this round.</param>
public sealed record RoundRecord(
    int Round,
    TrainingStage Stage,
    int StageRound,
    double? TrainingLoss,
    double GradientNormSquared,
    double GradientNormStdErr,
    double? TestAccuracy,
    double? TestLoss,
    double RoundDelayS,
    double RoundEnergyJ,
    double DelayS,
    double EnergyJ,
    int DeadlineMisses);
