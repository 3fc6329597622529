using EdgeLearn.Scenarios;

namespace EdgeLearn.Planning;

/// <summary>
/// The ranges a plan's frequencies and powers must lie in before <see cref="PlanEvaluator"/> evaluates it
/// (docs/formats.md, "Plan"). The upper ends are the scenario's (<see cref="ScenarioRanges.FrequencyHz"/>,
/// <see cref="ScenarioRanges.PowerW"/>); the lower ends are far below the scenario's, because the planner lowers a
/// device's frequency and power below its maximum to save energy when the deadline leaves room (a plan may well run a
/// device at 1e-9 W), yet they keep every round time and energy finite in double precision for every scenario inside
/// its ranges: a frequency or power of 0, 1e-320 or 1e308 would give infinite times or NaN energies.
/// </summary>
public static class PlanRanges
{
    /// <summary>A plan's CPU frequency f0 or fk.</summary>
    public static ValueRange FrequencyHz { get; } = new(1e-30, ScenarioRanges.FrequencyHz.Max, "Hz: positive, at most 1 THz");

    /// <summary>A plan's transmit power pk.</summary>
    public static ValueRange PowerW { get; } = new(1e-60, ScenarioRanges.PowerW.Max, "W: positive, at most 1 kW");
}
