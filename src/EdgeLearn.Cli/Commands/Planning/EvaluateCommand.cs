using System.ComponentModel;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using static EdgeLearn.Cli.Commands.Planning.Internal.PlanText;

namespace EdgeLearn.Cli.Commands.Planning;

/// <summary>
/// Settings of <c>edgelearn evaluate</c>. <see cref="Validate"/> loads the scenario and the plan and checks
/// that they fit together (<see cref="PlanEvaluator.Mismatches"/>), reporting every problem on its own line.
/// </summary>
internal sealed class EvaluateSettings : ScenarioSettings
{
    private Plan? _plan;

    /// <summary>The plan file to check.</summary>
    [CommandOption("--plan <FILE>")]
    [Description("Plan JSON file to check (docs/formats.md, e.g. written by plan --json). Required.")]
    public string? PlanPath { get; init; }

    /// <summary>Evaluation JSON output file; none when absent.</summary>
    [CommandOption("--json <FILE>")]
    [Description("Also write the evaluation (every constraint with its slack, totals, bound, feasible) to FILE, atomically.")]
    public string? Json { get; init; }

    /// <summary>The loaded plan; available once <see cref="Validate"/> succeeded.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Validate"/> has not succeeded.</exception>
    public Plan Plan => _plan ?? throw new InvalidOperationException("The plan is loaded by Validate(), which has not succeeded.");

    /// <summary>Whether the plan file carried a <c>predicted</c> object.</summary>
    public bool HasPrediction { get; private set; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (PlanPath is null)
        {
            return ValidationResult.Error("--plan is missing; it is required (a plan JSON file, e.g. written by 'edgelearn plan --json plan.json').");
        }

        if (OutputPath.CheckFile("--json", Json) is { Successful: false } json)
        {
            return json;
        }

        if (OutputPath.CheckDistinct([("--scenario", ScenarioPath), ("--plan", PlanPath)], [("--json", Json)]) is { Successful: false } same)
        {
            return same;
        }

        var lines = new List<string>();
        var scenario = base.Validate();
        if (!scenario.Successful)
        {
            lines.Add(scenario.Message ?? "The scenario is invalid.");
        }

        var read = PlanFile.Load(PlanPath, scenario.Successful ? Scenario : null, lines);
        if (read is null || lines.Count > 0)
        {
            return ValidationResult.Error(string.Join("\n", lines));
        }

        _plan = read.Plan;
        HasPrediction = read.HasPrediction;
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>edgelearn evaluate [--scenario FILE] --plan FILE [--json FILE]</c>: re-checks a plan with the
/// independent cost model and bound. Prints every constraint with its value, limit, slack and status, the
/// totals and the bound; exit code 0 when every constraint holds, 3 (naming the violated ones on stderr)
/// otherwise. Parse errors and plans that do not match the scenario are bad input (exit code 2).
/// </summary>
internal sealed class EvaluateCommand(CliOutput output) : Command<EvaluateSettings>
{
    /// <summary>Constraint rows shown in full; above this only the non-device and the violated rows are listed.</summary>
    public const int MaxConstraintRows = 200;


    /// <inheritdoc/>
    public override int Execute(CommandContext context, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        var plan = settings.Plan;
        var evaluation = PlanEvaluator.Evaluate(scenario, plan);

        var console = output.Console;
        console.MarkupLineInterpolated(
            $"[bold]Plan '{plan.Scheme.ToName()}'[/] from {settings.PlanPath} (M = {plan.PretrainRounds}, N = {plan.FinetuneRounds}) against scenario '{scenario.Name}' ({settings.Source})");
        console.WriteLine();
        console.Write(Constraints(evaluation));
        console.Write(Devices(evaluation));
        console.Write(KeyValues("Totals and bound (re-computed)", Totals(plan, evaluation, settings.HasPrediction)));
        console.MarkupLineInterpolated($"[bold]Binding:[/] {BindingSummary(evaluation)}");

        if (settings.Json is { } path)
        {
            var provenance = RunProvenance.Create(output, context, settings, scenario) with { PlanSha256 = Provenance.PlanHash(plan) };
            AtomicFile.WriteAllText(path, RunProvenance.AddTo(EvaluationJson.Serialize(plan, evaluation), provenance));
            output.Status($"Wrote the evaluation JSON to {path}.");
        }

        var violated = evaluation.Violations;
        if (violated.Count == 0)
        {
            console.MarkupLine("[green]Feasible:[/] every constraint holds.");
            return ExitCodes.Ok;
        }

        console.MarkupLineInterpolated($"[red]Infeasible:[/] {violated.Count} constraint(s) violated.");
        throw new UserInputException(ExitCodes.Infeasible, [$"The plan {settings.PlanPath} {PlanText.Violates(violated)}."]);
    }

    private static Table Constraints(PlanEvaluation evaluation)
    {
        var table = new Table { Title = new TableTitle("Constraints"), Border = TableBorder.Rounded };
        table.AddColumn("constraint");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddColumn(new TableColumn(string.Empty).Centered());
        table.AddColumn(new TableColumn("limit").RightAligned());
        table.AddColumn(new TableColumn("slack").RightAligned());
        table.AddColumn("status");

        var all = evaluation.Constraints;
        var shown = all.Count <= MaxConstraintRows
            ? all
            : all.Where(c => !c.Name.StartsWith("devices[", StringComparison.Ordinal) || !c.Satisfied).Take(MaxConstraintRows).ToList();
        foreach (var c in shown)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                Compact(c.Value, 9),
                Markup.Escape(c.Relation),
                Compact(c.Limit, 9),
                Compact(c.Slack, 8),
                !c.Satisfied ? "[red]VIOLATED[/]" : Binds(c) ? "OK (binds)" : "OK");
        }

        if (shown.Count < all.Count)
        {
            table.Caption = new TableTitle(
                $"{shown.Count} of {all.Count} constraints shown (the device constraints only when violated); --json lists all");
        }

        return table;
    }

    private static IEnumerable<(string, string)> Totals(Plan plan, PlanEvaluation evaluation, bool hasPrediction)
    {
        yield return ("delay T (s)", Number(evaluation.DelayS, "0.######"));
        yield return ("energy E (J)", Number(evaluation.EnergyJ, "0.######"));
        yield return ("bound Gbar", Number(evaluation.Bound, "G8"));
        if (hasPrediction)
        {
            var p = plan.Predicted;
            yield return ("file's predicted delay T (s)", Number(p.DelayS, "0.######"));
            yield return ("file's predicted energy E (J)", Number(p.EnergyJ, "0.######"));
            yield return ("file's predicted bound Gbar", Number(p.Bound, "G8"));
        }
    }
}
