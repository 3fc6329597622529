using System.ComponentModel;
using EdgeLearn.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Infrastructure;

/// <summary>
/// Settings of every command that works on a scenario: <c>--scenario FILE</c>, or the embedded default
/// scenario of model.md §7 when absent. <see cref="Validate"/> loads and validates the scenario, so a
/// command's <c>Execute</c> can use <see cref="Scenario"/> directly.
/// </summary>
/// <remarks>Derived settings that override <see cref="Validate"/> must call <c>base.Validate()</c> and return its error.</remarks>
public class ScenarioSettings : CliSettings
{
    private Scenario? _scenario;

    /// <summary>Path of a scenario JSON file (formats.md); <c>null</c> for the default scenario.</summary>
    [CommandOption("--scenario <FILE>")]
    [Description("Scenario JSON file (see docs/formats.md). Default: the embedded default scenario (docs/model.md §7).")]
    public string? ScenarioPath { get; init; }

    /// <summary>The loaded, valid scenario; available once <see cref="Validate"/> succeeded.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Validate"/> has not succeeded.</exception>
    public Scenario Scenario => _scenario ?? throw new InvalidOperationException("The scenario is loaded by Validate(), which has not succeeded.");

    /// <summary>Warning lines about the scenario file (unknown fields, with the nearest known name), for stderr; commands
    /// print them with <see cref="CliOutput.Warn"/>. A failed <see cref="Validate"/> puts them in its message.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>A short description of where the scenario came from: the file path, or "the default scenario".</summary>
    public string Source => ScenarioPath ?? "the default scenario";

    /// <summary>Loads the scenario and reports every load or validation error, one line each.</summary>
    /// <returns>Success, or an error whose message has one line per problem, each prefixed by the file path.</returns>
    public override ValidationResult Validate()
    {
        var result = ScenarioPath is null ? Check(DefaultScenario.Create()) : ScenarioJson.Load(ScenarioPath);
        var prefix = ScenarioPath is null ? "default scenario" : ScenarioPath;
        Warnings = [.. result.Warnings.Select(w => $"warning: {prefix}: {w.Message}")];
        if (!result.IsValid)
        {
            return ValidationResult.Error(string.Join("\n", Warnings.Concat(result.Errors.Select(e => $"{prefix}: {e.Message}"))));
        }

        _scenario = result.Scenario;
        return ValidationResult.Success();
    }

    private static ScenarioLoadResult Check(Scenario scenario)
    {
        var errors = ScenarioValidator.Validate(scenario);
        return errors.Count == 0 ? ScenarioLoadResult.Success(scenario) : ScenarioLoadResult.Failure(errors);
    }
}
