namespace EdgeLearn.Training;

/// <summary>A run whose loss or gradient norm stopped being a finite number: the step sizes are too large for this model
/// and data. The message names the round and the step size and says what to change.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One sentence, starting lower-case, that follows "Unable to train: ".</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }
}
