using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>The <c>--plan FILE</c> option group of <c>evaluate</c> and <c>train</c>: reads a plan file and checks it against the scenario.</summary>
internal static class PlanFile
{
    /// <summary>Reads <paramref name="path"/> and, when <paramref name="scenario"/> is known, checks that the plan fits it
    /// (<see cref="PlanEvaluator.Mismatches"/>). Adds one line per problem, each prefixed by the path.</summary>
    /// <param name="path">The plan file.</param>
    /// <param name="scenario">The scenario, or null when it failed to load (the plan is then only read).</param>
    /// <param name="errors">Receives the problems.</param>
    /// <returns>The read result when the plan is usable with the scenario; null otherwise.</returns>
    public static PlanLoadResult? Load(string path, Scenario? scenario, List<string> errors)
    {
        var read = PlanJson.Load(path);
        if (!read.IsValid)
        {
            errors.AddRange(read.Errors.Select(e => $"{path}: {e.Message}"));
            return null;
        }

        if (scenario is null)
        {
            return null;
        }

        var mismatches = PlanEvaluator.Mismatches(scenario, read.Plan);
        errors.AddRange(mismatches.Select(m => $"{path}: {m}"));
        return mismatches.Count == 0 ? read : null;
    }
}
