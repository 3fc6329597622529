using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Planning;

/// <summary>Registers the planning commands at the root: <c>plan</c>, <c>compare</c>, <c>evaluate</c>.</summary>
internal static class PlanningCommands
{
    /// <summary>Adds the commands to the app.</summary>
    public static void Register(IConfigurator config)
    {
        config.AddCommand<PlanCommand>("plan")
            .WithDescription("Plan rounds, batches, CPU frequencies and transmit powers that minimize the convergence bound within the budgets.")
            .WithExample("plan")
            .WithExample("plan", "--scenario", "scenario.json", "--scheme", "max-resource", "--json", "plan.json");
        config.AddCommand<CompareCommand>("compare")
            .WithDescription("Plan every scheme (joint and the baselines of docs/model.md §6) and show them side by side.")
            .WithExample("compare")
            .WithExample("compare", "--scenario", "scenario.json", "--json", "plans.json");
        config.AddCommand<EvaluateCommand>("evaluate")
            .WithDescription("Re-check a plan file against a scenario: every constraint with its slack, the totals and the bound.")
            .WithExample("evaluate", "--scenario", "scenario.json", "--plan", "plan.json");
    }
}
