using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Scenarios;

/// <summary>Registers the <c>scenario</c> branch: <c>generate</c>, <c>show</c>, <c>validate</c>.</summary>
internal static class ScenarioCommands
{
    /// <summary>The branch's name.</summary>
    public const string Name = "scenario";

    /// <summary>Adds the branch to the app.</summary>
    public static void Register(IConfigurator config) =>
        config.AddBranch(Name, scenario =>
        {
            scenario.SetDescription("Create, inspect and check scenario files.");
            scenario.AddCommand<GenerateScenarioCommand>("generate")
                .WithDescription("Write a random but realistic scenario (path-loss gains, mixed CPUs and data sizes).")
                .WithExample("scenario", "generate", "--devices", "20", "--seed", "1", "--out", "scenario.json");
            scenario.AddCommand<ShowScenarioCommand>("show")
                .WithDescription("Print a scenario as tables (the default scenario when --scenario is absent).")
                .WithExample("scenario", "show", "--scenario", "scenario.json")
                .WithExample("scenario", "show", "--json", "my-scenario.json");
            scenario.AddCommand<ValidateScenarioCommand>("validate")
                .WithDescription("Check a scenario file and list every problem, one per line (exit code 2 if any).")
                .WithExample("scenario", "validate", "--scenario", "scenario.json");
        });
}
