namespace EdgeLearn.Core.Tests.Planning;

/// <summary>
/// A fact that runs only when the environment variable <see cref="Variable"/> is <c>1</c>: sweeps over hundreds of
/// planned scenarios take minutes, too long for the default <c>dotnet test</c>; <c>.ci/run</c> runs them as a named step.
/// </summary>
public sealed class SweepFactAttribute : FactAttribute
{
    /// <summary>The switch: <c>EDGELEARN_PLANNER_SWEEP=1</c>.</summary>
    public const string Variable = "EDGELEARN_PLANNER_SWEEP";

    /// <summary>Skips the fact unless the sweep is switched on.</summary>
    public SweepFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"a planner sweep of several minutes; set {Variable}=1 to run it (.ci/run does)";
    }
}
