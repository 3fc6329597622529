using System.Diagnostics.CodeAnalysis;

namespace EdgeLearn.Scenarios;

/// <summary>
/// One thing wrong with a scenario: the JSON path of the field, the offending value and the rule it breaks.
/// </summary>
/// <param name="Path">
/// JSON path in formats.md names, e.g. <c>devices[3].maxPowerW</c>; empty for the document as a whole
/// (unreadable file, invalid JSON).
/// </param>
/// <param name="Value">The value as the user wrote it, e.g. <c>-0.1</c>, <c>"abc"</c>, <c>missing</c>.</param>
/// <param name="Rule">The rule, phrased to follow "it", e.g. <c>must be positive</c>.</param>
public sealed record ScenarioError(string Path, string Value, string Rule)
{
    /// <summary>
    /// The one-line message: "devices[3].maxPowerW is -0.1; it must be positive."
    /// (for the whole document: "The scenario is not valid JSON at line 2, position 5; it must be valid JSON (…).").
    /// </summary>
    public string Message => Path.Length == 0
        ? $"The scenario is {Value}; it {Rule}."
        : $"{Path} is {Value}; it {Rule}.";

    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>
/// The outcome of loading a scenario: the scenario when it is valid, otherwise every error found.
/// </summary>
public sealed record ScenarioLoadResult
{
    private ScenarioLoadResult(Scenario? scenario, IReadOnlyList<ScenarioError> errors)
    {
        Scenario = scenario;
        Errors = errors;
    }

    /// <summary>The loaded scenario; <c>null</c> exactly when <see cref="Errors"/> is non-empty.</summary>
    public Scenario? Scenario { get; }

    /// <summary>Every error found (parse, structure and validation), in document order where possible.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    /// <summary>
    /// Fields of the file that are not scenario fields, at any level (<c>limts</c>, <c>learning.shift.wasserstien</c>):
    /// they are ignored, and each message names the nearest known field ("did you mean 'limits'?"). Empty when the
    /// scenario did not come from JSON.
    /// </summary>
    public IReadOnlyList<ScenarioError> Warnings { get; internal init; } = [];

    /// <summary>Whether the scenario loaded and passed <see cref="ScenarioValidator"/>.</summary>
    [MemberNotNullWhen(true, nameof(Scenario))]
    public bool IsValid => Scenario is not null;

    /// <summary>A successful load.</summary>
    /// <param name="scenario">The valid scenario.</param>
    /// <returns>A result with no errors.</returns>
    public static ScenarioLoadResult Success(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new ScenarioLoadResult(scenario, []);
    }

    /// <summary>A failed load.</summary>
    /// <param name="errors">At least one error.</param>
    /// <returns>A result with no scenario.</returns>
    public static ScenarioLoadResult Failure(IReadOnlyList<ScenarioError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A failed load needs at least one error.", nameof(errors));
        }

        return new ScenarioLoadResult(null, errors);
    }
}
