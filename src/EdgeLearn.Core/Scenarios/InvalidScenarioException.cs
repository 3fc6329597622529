namespace EdgeLearn.Scenarios;

/// <summary>
/// Thrown by the library's entry points (<c>Planner</c>, <c>RoundSolver</c>, <c>PlanEvaluator</c>, the trainer)
/// when they are handed a scenario that <see cref="ScenarioValidator"/> rejects. The message is the first error in the
/// same words as the JSON path gives it; <see cref="Errors"/> holds them all.
/// </summary>
public sealed class InvalidScenarioException : ArgumentException
{
    /// <summary>Creates the exception for a scenario's errors.</summary>
    /// <param name="errors">At least one error.</param>
    /// <param name="paramName">The argument that held the scenario.</param>
    public InvalidScenarioException(IReadOnlyList<ScenarioError> errors, string? paramName = null)
        : base(Describe(errors), paramName)
    {
        Errors = errors;
    }

    /// <summary>Every rule the scenario breaks.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    private static string Describe(IReadOnlyList<ScenarioError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("An invalid scenario has at least one error.", nameof(errors));
        return errors.Count == 1
            ? errors[0].Message
            : $"{errors[0].Message} (and {errors.Count - 1} more; see {nameof(Errors)})";
    }
}
