namespace EdgeLearn.Training.Calibration;

/// <summary>A calibration that cannot produce constants for this model and data (a pilot diverged, or the loss is flat);
/// the message says what happened and what to change.</summary>
public sealed class CalibrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One sentence, starting lower-case, that follows "Unable to calibrate: ".</param>
    public CalibrationException(string message)
        : base(message)
    {
    }
}
