using System.Diagnostics.CodeAnalysis;

namespace EdgeLearn.Planning;

/// <summary>
/// One thing wrong with a plan file: the JSON path of the field, the offending value and the rule it breaks
/// (the same shape as <see cref="Scenarios.ScenarioError"/>).
/// </summary>
/// <param name="Path">
/// JSON path in formats.md names, e.g. <c>devices[3].batch</c>; empty for the document as a whole
/// (unreadable file, invalid JSON, not an object).
/// </param>
/// <param name="Value">The value as the user wrote it, e.g. <c>-3</c>, <c>"foo"</c>, <c>missing</c>.</param>
/// <param name="Rule">The rule, phrased to follow "it", e.g. <c>must be at least 1</c>.</param>
public sealed record PlanError(string Path, string Value, string Rule)
{
    /// <summary>
    /// The one-line message: "devices[3].batch is -3; it must be a whole number, at least 1."
    /// (for the whole document: "The plan is not valid JSON at line 2, position 5; it must be valid JSON (…).").
    /// </summary>
    public string Message => Path.Length == 0
        ? $"The plan is {Value}; it {Rule}."
        : $"{Path} is {Value}; it {Rule}.";

    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>The outcome of reading a plan file: the plan when it is well formed, otherwise every error found.</summary>
public sealed record PlanLoadResult
{
    private PlanLoadResult(Plan? plan, bool hasPrediction, IReadOnlyList<PlanError> errors)
    {
        Plan = plan;
        HasPrediction = hasPrediction;
        Errors = errors;
    }

    /// <summary>The plan; <c>null</c> exactly when <see cref="Errors"/> is non-empty.</summary>
    /// <remarks>
    /// When the file has no <c>predicted</c> object (<see cref="HasPrediction"/> is false), every number of
    /// <see cref="Plan.Predicted"/> is NaN: recompute it with <see cref="PlanEvaluator.Evaluate"/>.
    /// </remarks>
    public Plan? Plan { get; }

    /// <summary>Whether the file carried a <c>predicted</c> object.</summary>
    public bool HasPrediction { get; }

    /// <summary>Every error found, in document order.</summary>
    public IReadOnlyList<PlanError> Errors { get; }

    /// <summary>Whether the plan was read without errors.</summary>
    [MemberNotNullWhen(true, nameof(Plan))]
    public bool IsValid => Plan is not null;

    /// <summary>A successful read.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="hasPrediction">Whether the file carried <c>predicted</c>.</param>
    /// <returns>A result with no errors.</returns>
    public static PlanLoadResult Success(Plan plan, bool hasPrediction = true)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanLoadResult(plan, hasPrediction, []);
    }

    /// <summary>A failed read.</summary>
    /// <param name="errors">At least one error.</param>
    /// <returns>A result with no plan.</returns>
    public static PlanLoadResult Failure(IReadOnlyList<PlanError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A failed read needs at least one error.", nameof(errors));
        }

        return new PlanLoadResult(null, false, errors);
    }
}
