using System.ComponentModel;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using Spectre.Console;
using Spectre.Console.Cli;
using static EdgeLearn.Cli.Commands.Planning.Internal.PlanText;

namespace EdgeLearn.Cli.Commands.Planning;

/// <summary>Settings of <c>edgelearn compare</c>: the scenario and the plan-array output, nothing else.</summary>
internal sealed class CompareSettings : ScenarioSettings
{
    /// <summary>Plan-array JSON output file; none when absent.</summary>
    [CommandOption("--json <FILE>")]
    [Description("Also write the plans as a JSON array (docs/formats.md; infeasible schemes left out) to FILE, atomically.")]
    public string? Json { get; init; }

    /// <summary>The flag of earlier versions that trained every scheme; it now points to <c>train --scheme all</c>.</summary>
    [CommandOption("--train", IsHidden = true)]
    public bool Train { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        if (Train)
        {
            return ValidationResult.Error("--train is no longer an option of compare, which only plans; to train every scheme on the same data, run 'edgelearn train --scheme all' with the same options.");
        }

        return OutputPath.CheckFile("--json", Json) is { Successful: false } json ? json : base.Validate();
    }
}

/// <summary>
/// <c>edgelearn compare [--scenario FILE] [--json FILE]</c>: plans every scheme and prints them side by side
/// with the gap of each bound to joint's. An infeasible scheme is a row that says so (and its reason goes to
/// stderr); it is left out of the JSON array. Exit code 3 when no scheme fits.
/// </summary>
internal sealed class CompareCommand(CliOutput output) : Command<CompareSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, CompareSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        var results = Planner.Compare(scenario);
        var joint = results.FirstOrDefault(r => r.Scheme == Scheme.Joint)?.Plan;

        var console = output.Console;
        console.MarkupLineInterpolated($"[bold]Schemes compared[/] on scenario '{scenario.Name}' ({settings.Source}): {scenario.Devices.Count} devices");
        console.WriteLine();
        console.Write(Table(results, joint));
        foreach (var result in results.Where(r => r.Plan is null))
        {
            var budget = result.Infeasibility?.BindingBudget;
            console.WriteLine($"{result.Scheme.ToName()}: {(budget is null ? "infeasible" : $"infeasible ({budget} budget)")}");
        }

        foreach (var result in results)
        {
            if (result.Plan is null)
                output.Warn($"{result.Scheme.ToName()} {(result.IsInfeasible ? "is infeasible" : "has no plan")}: {NoPlan(result).Why}");
            else if (NotConvergedWarning(result) is { } warning)
                output.Warn(warning);
        }

        if (results.All(r => r.Plan is null))
        {
            throw new UserInputException(results.All(r => r.IsInfeasible) ? ExitCodes.Infeasible : ExitCodes.InternalError,
                ["Unable to compare: no scheme has a plan that fits the budgets."]);
        }

        if (settings.Json is { } path)
        {
            AtomicFile.WriteAllText(path, RunProvenance.AddToPlans(PlanJson.SerializeAll(results), [.. results.Where(r => r.Plan is not null).Select(r => r.Plan!)], RunProvenance.Create(output, context, settings, settings.Scenario)));
            output.Status($"Wrote {results.Count(r => r.Plan is not null)} plans as a JSON array to {path}.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>"0.00", "50.92", "140.2": two decimals where five characters allow.</summary>
    private static string Percent(double percent)
    {
        var text = Number(percent, "0.00");
        return text.Length <= 5 ? text : Compact(percent, 5);
    }

    private static Table Table(IReadOnlyList<PlanResult> results, Plan? joint)
    {
        var table = new Table { Title = new TableTitle("Schemes (docs/model.md §6), same scenario and budgets"), Border = TableBorder.Rounded };
        table.AddColumn(new TableColumn("scheme").NoWrap());
        foreach (var column in new[] { "M", "N", "bound", "delay (s)", "energy (J)", "vs joint", "cert. gap" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var result in results)
        {
            var name = result.Scheme.ToName();
            if (result.Plan is not { } plan)
            {
                // The reason does not fit a number column at 80 characters: the row says "none", a line under the table why.
                table.AddRow(name, "—", "—", "none", "—", "—", "—", "—");
                continue;
            }

            var p = plan.Predicted;
            double? relative = joint is null ? null : (p.Bound - joint.Predicted.Bound) / joint.Predicted.Bound;
            var gapToJoint = relative switch
            {
                null => "—",
                >= 10 => "×" + Compact(p.Bound / joint!.Predicted.Bound, 5),
                _ => Percent(100 * relative.Value) + " %",
            };
            table.AddRow(
                name,
                Number(plan.PretrainRounds),
                Number(plan.FinetuneRounds),
                Compact(p.Bound, 7),
                Compact(p.DelayS, 6),
                Compact(p.EnergyJ, 7),
                gapToJoint,
                Compact(p.Gap, 7));
        }

        table.Caption = new TableTitle("vs joint = (bound - joint bound) / joint bound (×: bound / joint bound where that exceeds 11); cert. gap = (bound - lower bound) / bound");
        return table;
    }
}
