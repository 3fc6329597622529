using System.ComponentModel;
using EdgeLearn.Cli.Commands.Planning.Internal;
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

        if (OutputPath.CheckFile("--json", Json) is { Successful: false } json)
        {
            return json;
        }

        return OutputPath.CheckDistinct([("--scenario", ScenarioPath)], [("--json", Json)]) is { Successful: false } same ? same : base.Validate();
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
        var results = PlanningDisplay.Run(output, progress => Planner.Compare(scenario, null, progress, cancellationToken));
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
            RunProvenance.WritePlans(path, results, asArray: true, RunProvenance.Create(output, context, settings, settings.Scenario));
            output.Status($"Wrote {results.Count(r => r.Plan is not null)} plans as a JSON array to {path}.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>"0.00", "7.54", "39.6", "775": at most four characters (gaps of 1000 % and more are shown as a ratio), so
    /// that the column fits 80 columns beside rounds of many digits.</summary>
    private static string Percent(double percent)
    {
        double size = Math.Abs(percent);
        var text = Number(percent, size < 10 ? "0.00" : size < 100 ? "0.0" : "0");
        return text.Length <= 4 ? text : Compact(percent, 4);
    }

    /// <summary>Characters of an 80-column row left for the bound, energy and certificate-gap columns once the borders,
    /// the scheme names, M and N (as many digits as the largest has), the delay and the gap to joint have theirs: 7 each
    /// while they fit, fewer when the rounds run into the hundreds of thousands, but never below their headers' longest
    /// word ("bound", "energy", "cert."), so that no header word is split either.</summary>
    /// <summary>Characters of the delay column ("299.99", "1E+06").</summary>
    private const int DelayWidth = 6;

    /// <summary>Characters of the gap-to-joint column ("39.6 %", "×119.2").</summary>
    private const int GapToJointWidth = 6;

    private static (int Bound, int Energy, int Gap) NumberWidths(IReadOnlyList<PlanResult> results)
    {
        const int FixedWidth = 25 + 13 + DelayWidth + GapToJointWidth; // borders and padding, scheme, delay, vs joint
        int Digits(Func<Plan, int> rounds) => results.Max(r => r.Plan is { } plan ? Number(rounds(plan)).Length : 1);
        int left = 79 - FixedWidth - Math.Max(1, Digits(p => p.PretrainRounds)) - Math.Max(1, Digits(p => p.FinetuneRounds)); // Spectre keeps one column free
        int[] widths = [7, 7, 7], least = [5, 6, 5]; // bound, energy, gap; the gap gives way first
        for (int i = 2; widths.Sum() > left && widths.Where((w, k) => w > least[k]).Any(); i = (i + 2) % 3)
        {
            if (widths[i] > least[i]) widths[i]--;
        }

        return (widths[0], widths[1], widths[2]);
    }

    private static Table Table(IReadOnlyList<PlanResult> results, Plan? joint)
    {
        var table = new Table { Title = new TableTitle("Schemes (docs/model.md §6), same scenario and budgets"), Border = TableBorder.Rounded };
        var (boundWidth, energyWidth, gapWidth) = NumberWidths(results);
        table.AddColumn(new TableColumn("scheme").NoWrap());
        // Every column gets the width its numbers were written for, so the table fits whatever Spectre would distribute.
        int Digits(Func<Plan, int> rounds) => Math.Max(1, results.Max(r => r.Plan is { } plan ? Number(rounds(plan)).Length : 1));
        foreach (var (column, width) in new[]
        {
            ("M", Digits(p => p.PretrainRounds)), ("N", Digits(p => p.FinetuneRounds)), ("bound", boundWidth), ("delay (s)", DelayWidth),
            ("energy (J)", energyWidth), ("vs joint", GapToJointWidth), ("cert. gap", gapWidth),
        })
        {
            table.AddColumn(new TableColumn(column).RightAligned().Width(width));
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
                Compact(p.Bound, boundWidth),
                Compact(p.DelayS, DelayWidth),
                Compact(p.EnergyJ, energyWidth),
                gapToJoint,
                Compact(p.Gap, gapWidth));
        }

        table.Caption = new TableTitle("vs joint = (bound - joint bound) / joint bound (×: bound / joint bound where that exceeds 11); cert. gap = (bound - lower bound) / bound");
        return table;
    }
}
