using System.ComponentModel;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using Spectre.Console;
using Spectre.Console.Cli;
using static EdgeLearn.Cli.Commands.Planning.Internal.PlanText;

namespace EdgeLearn.Cli.Commands.Planning;

/// <summary>Settings of <c>edgelearn plan</c>.</summary>
internal sealed class PlanSettings : ScenarioSettings
{
    /// <summary>Scheme name; <c>joint</c> when absent.</summary>
    [CommandOption("--scheme <NAME>")]
    [Description("Scheme to plan: joint (default) or a baseline; 'edgelearn compare' plans them all and docs/model.md §6 describes each.")]
    public string SchemeName { get; init; } = "joint";

    /// <summary>Plan JSON output file; none when absent.</summary>
    [CommandOption("--json <FILE>")]
    [Description("Also write the plan JSON (docs/formats.md, with certificate and search) to FILE, atomically.")]
    public string? Json { get; init; }

    /// <summary>The parsed scheme; valid once <see cref="Validate"/> succeeded.</summary>
    public Scheme Scheme { get; private set; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (!SchemeNames.TryParse(SchemeName, out var scheme))
        {
            return ValidationResult.Error($"--scheme is {SchemeName}; it must be one of {SchemeNames.Valid}.");
        }

        if (OutputPath.CheckFile("--json", Json) is { Successful: false } json)
        {
            return json;
        }

        if (OutputPath.CheckDistinct([("--scenario", ScenarioPath)], [("--json", Json)]) is { Successful: false } same)
        {
            return same;
        }

        Scheme = scheme;
        return base.Validate();
    }
}

/// <summary>
/// <c>edgelearn plan [--scenario FILE] [--scheme NAME] [--json FILE]</c>: plans one scheme and prints the
/// plan, its per-device costs (re-checked by <see cref="PlanEvaluator"/>), the budgets with their slack,
/// the bound with its certified gap, the binding constraints, the certificate and the search report.
/// Exit code 3 with the infeasibility on stderr when no plan fits.
/// </summary>
internal sealed class PlanCommand(CliOutput output) : Command<PlanSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, PlanSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        var result = PlanningDisplay.Run(output, progress => Planner.Plan(scenario, settings.Scheme, null, progress, cancellationToken));
        if (result.Plan is not { } plan)
        {
            var (why, exitCode) = NoPlan(result);
            throw new UserInputException(exitCode, [$"Unable to plan {settings.Scheme.ToName()} for {settings.Source}: {why}"]);
        }

        if (NotConvergedWarning(result) is { } warning) output.Warn(warning);
        var evaluation = PlanEvaluator.Evaluate(scenario, plan);
        var console = output.Console;
        console.MarkupLineInterpolated(
            $"[bold]Plan '{plan.Scheme.ToName()}'[/] for scenario '{scenario.Name}' ({settings.Source}): {scenario.Devices.Count} devices");
        console.WriteLine();
        console.Write(KeyValues("Rounds and server", Rounds(plan, evaluation)));
        console.Write(Devices(evaluation));
        console.Write(Budgets(evaluation));
        console.Write(KeyValues("Bound (docs/model.md §4)", Bound(plan)));
        console.MarkupLineInterpolated($"[bold]Binding:[/] {BindingSummary(evaluation)}");
        console.WriteLine();
        if (result.Certificate is { } certificate)
        {
            console.Write(KeyValues($"Certificate (relaxation at M = {plan.PretrainRounds}, N = {plan.FinetuneRounds})", Certificate(certificate)));
        }

        console.Write(KeyValues("Search over (M, N)", Search(result.Search), textValues: true));

        if (settings.Json is { } path)
        {
            RunProvenance.WritePlans(path, [result], asArray: false, RunProvenance.Create(output, context, settings, scenario));
            output.Status($"Wrote the {plan.Scheme.ToName()} plan JSON to {path}.");
        }

        return ExitCodes.Ok;
    }

    private static IEnumerable<(string, string)> Rounds(Plan plan, PlanEvaluation evaluation)
    {
        yield return ("scheme", plan.Scheme.ToName());
        yield return ("pre-training rounds M", Number(plan.PretrainRounds));
        yield return ("fine-tuning rounds N", Number(plan.FinetuneRounds));
        var unused = plan.PretrainRounds == 0 ? " (unused, M = 0)" : string.Empty;
        yield return ("server batch B0" + unused, Number(plan.Server.Batch));
        yield return ("server frequency f0 (GHz)" + unused, Number(plan.Server.FrequencyHz / 1e9, "0.####"));
        if (plan.PretrainRounds > 0)
        {
            yield return ("pre-training round: time (s), energy (J)",
                $"{Number(evaluation.PretrainRound.DelayS, "0.#####")}, {Number(evaluation.PretrainRound.EnergyJ, "0.#####")}");
        }

        yield return ("fine-tuning round: time (s), energy (J)",
            $"{Number(evaluation.FinetuneRound.DelayS, "0.#####")}, {Number(evaluation.FinetuneRound.EnergyJ, "0.#####")}");
    }

    private static IEnumerable<(string, string)> Bound(Plan plan)
    {
        var p = plan.Predicted;
        yield return ("bound Gbar (integer plan)", Number(p.Bound, "G8"));
        yield return ("lower bound (certified, relaxation)", Number(p.LowerBound, "G8"));
        yield return ("gap (bound - lower) / bound", Number(p.Gap, "G3"));
    }

    private static IEnumerable<(string, string)> Certificate(RelaxedRound c)
    {
        yield return ("relaxed bound", Number(c.Bound, "G8"));
        yield return ("dual lower bound", Number(c.LowerBound, "G8"));
        yield return ("relaxation duality gap", Number(c.DualityGap, "G3"));
        yield return ("energy price λ (per J)", Number(c.EnergyPrice, "G4"));
        yield return ("delay price ν (per s)", Number(c.DelayPrice, "G4"));
        yield return ("energy-price (λ) iterations", Number(c.PriceIterations));
        yield return ("deadline (τ) iterations, summed over λ", Number(c.DeadlineIterations));
        yield return ("device-response evaluations", Number(c.Evaluations));
    }

    private static IEnumerable<(string, string)> Search(SearchReport s)
    {
        yield return ("strategy", s.Strategy);
        yield return ("M range searched", $"0 to {Number(s.MaxPretrainRounds)} (largest feasible: {Number(s.LargestFeasiblePretrainRounds)})");
        yield return ("N range searched", $"1 to {Number(s.MaxFinetuneRounds)}");
        yield return ("(M, N) relaxations solved", Number(s.PairsEvaluated));
        yield return ("(M, N) feasibility checks", Number(s.FeasibilityChecks));
        yield return ("best relaxation (M, N), bound",
            $"({Number(s.RelaxedPretrainRounds)}, {Number(s.RelaxedFinetuneRounds)}), {Number(s.RelaxedBound, "G8")}");
    }
}
