using EdgeLearn.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Scenarios;

/// <summary>Settings of <c>edgelearn scenario validate</c>: <c>--scenario</c> is required.</summary>
internal sealed class ValidateScenarioSettings : ScenarioSettings
{
    /// <inheritdoc/>
    public override ValidationResult Validate() =>
        ScenarioPath is null
            ? ValidationResult.Error("--scenario is missing; it is required (the scenario JSON file to check).")
            : base.Validate();
}

/// <summary>
/// <c>edgelearn scenario validate --scenario FILE</c>: exit 0 with a one-line summary when the file is valid;
/// otherwise every problem on stderr, one per line, and exit code 2 (reported by <see cref="ScenarioSettings"/>).
/// </summary>
internal sealed class ValidateScenarioCommand(CliOutput output) : Command<ValidateScenarioSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ValidateScenarioSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        output.Status($"{settings.Source} is a valid scenario: '{scenario.Name}', {scenario.Devices.Count} devices.");
        return ExitCodes.Ok;
    }
}
