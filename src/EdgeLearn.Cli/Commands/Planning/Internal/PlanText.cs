using System.Globalization;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Planning;
using Spectre.Console;

namespace EdgeLearn.Cli.Commands.Planning.Internal;

/// <summary>Number formats, binding-constraint names and the tables shared by <c>plan</c>, <c>compare</c> and <c>evaluate</c>.</summary>
internal static class PlanText
{
    /// <summary>Devices listed before a per-device table is cut short.</summary>
    public const int MaxDeviceRows = 50;

    /// <summary>The warning for a plan whose search hit an iteration cap (<see cref="PlanStatus.NotConverged"/>); null otherwise.</summary>
    public static string? NotConvergedWarning(PlanResult result) => result.Status != PlanStatus.NotConverged ? null :
        $"warning: {result.Scheme.ToName()}: {result.Search.NotConvergedSolves} fixed-(M, N) solves stopped at an iteration cap; the plan fits the budgets " +
        "(re-checked by the cost model) and its lower bound holds, but a better plan may exist.";

    /// <summary>Why a result has no plan, as one sentence, and the exit code that goes with it: 3 when the budgets
    /// admit no plan, 1 when the solver's searches stopped at their caps before finding one.</summary>
    public static (string Why, int ExitCode) NoPlan(PlanResult result) => result.IsInfeasible
        ? (result.Infeasibility.Message, ExitCodes.Infeasible)
        : ($"the solver's searches stopped at their iteration caps ({result.Search.NotConvergedSolves} solves) before finding a plan that passes " +
           "the cost model's re-check; this is a solver failure, not a proof that no plan fits: please report the scenario.", ExitCodes.InternalError);

    /// <summary>How many constraints a plan names in one line before it says "and n more".</summary>
    public const int MaxViolationNames = 5;

    /// <summary>"violates 2 constraint(s): budget.energyJ is 2487.9, must be ≤ 300 (slack -2187.9); …": the violated
    /// constraints in one clause, the first <see cref="MaxViolationNames"/> named.</summary>
    public static string Violates(IReadOnlyList<ConstraintCheck> violated)
    {
        var named = string.Join("; ", violated.Take(MaxViolationNames).Select(c => c.Describe()));
        var more = violated.Count > MaxViolationNames ? $"; and {violated.Count - MaxViolationNames} more" : string.Empty;
        return $"violates {violated.Count} constraint(s): {named}{more}";
    }

    /// <summary>A number in invariant culture; "—" for NaN, "∞" for infinities.</summary>
    public static string Number(double value, string format) =>
        double.IsNaN(value) ? "—"
        : double.IsPositiveInfinity(value) ? "∞"
        : double.IsNegativeInfinity(value) ? "-∞"
        : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A number in at most <paramref name="width"/> characters, so that a table cell never wraps at 80 columns:
    /// as many decimals as fit ("1452.1", "0.13588"), else scientific ("1.5E+07", and "1E-28" rather than "0"); "—" for NaN, "∞" for infinities.</summary>
    public static string Compact(double value, int width)
    {
        if (!double.IsFinite(value))
        {
            return Number(value, "G");
        }

        foreach (var format in new[] { "0.######", "G6", "G5", "G4", "G3", "G2", "G1", "0E+0" })
        {
            var text = value.ToString(format, CultureInfo.InvariantCulture);
            if (text.Length <= width && (value == 0 || text.Trim('-') != "0"))
            {
                return text;
            }
        }

        return value.ToString("0E+0", CultureInfo.InvariantCulture);
    }

    /// <summary>Characters of a device id shown in a table; longer ids end in "…" so that no table wraps.</summary>
    public const int IdWidth = 12;

    /// <summary>A device id as a table shows it: at most <see cref="IdWidth"/> characters ("sensor-nort…").</summary>
    public static string ShortId(string id) => id.Length <= IdWidth ? id : string.Concat(id.AsSpan(0, IdWidth - 1), "…");

    /// <summary>An integer in invariant culture.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A relative quantity as a percentage, e.g. 0.0123 → "1.23 %".</summary>
    public static string Percent(double fraction, string format = "0.###") => Number(100 * fraction, format) + " %";

    /// <summary>Whether a satisfied constraint has (relatively) no slack left (<see cref="BindingConstraints.Binds(ConstraintCheck)"/>).</summary>
    public static bool Binds(ConstraintCheck c) => BindingConstraints.Binds(c);

    /// <summary>The binding constraints in words, as one line (<see cref="BindingConstraints.Summary"/>).</summary>
    public static string BindingSummary(PlanEvaluation evaluation) => BindingConstraints.Summary(evaluation);

    /// <summary>The constraint called <paramref name="name"/>.</summary>
    public static ConstraintCheck Constraint(PlanEvaluation evaluation, string name) =>
        evaluation.Constraints.First(c => c.Name == name);

    /// <summary>Per-device table: id, batch, frequency, power, compute and upload time, energy per round.</summary>
    public static Table Devices(PlanEvaluation evaluation)
    {
        var table = new Table { Title = new TableTitle("Devices (one fine-tuning round)"), Border = TableBorder.Rounded };
        table.AddColumn(new TableColumn("id").NoWrap());
        foreach (var column in new[] { "bk", "fk (GHz)", "pk (W)", "compute (s)", "upload (s)", "energy (J)" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var d in evaluation.Devices.Take(MaxDeviceRows))
        {
            table.AddRow(
                Markup.Escape(PlanText.ShortId(d.Id)),
                Number(d.Batch),
                Compact(d.FrequencyHz / 1e9, 7),
                Compact(d.PowerW, 7),
                Compact(d.Cost.ComputeTimeS, 8),
                Compact(d.Cost.UploadTimeS, 8),
                Compact(d.Cost.EnergyJ, 8));
        }

        if (evaluation.Devices.Count > MaxDeviceRows)
        {
            table.Caption = new TableTitle($"first {MaxDeviceRows} of {evaluation.Devices.Count} devices");
        }

        return table;
    }

    /// <summary>A two-column "quantity | value" table; values right-aligned (numbers) unless <paramref name="textValues"/>.</summary>
    public static Table KeyValues(string title, IEnumerable<(string Quantity, string Value)> rows, bool textValues = false)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        table.AddColumn("quantity");
        table.AddColumn(textValues ? new TableColumn("value") : new TableColumn("value").RightAligned());
        foreach (var (quantity, value) in rows)
        {
            table.AddRow(Markup.Escape(quantity), Markup.Escape(value));
        }

        return table;
    }

    /// <summary>Delay and energy against their budgets: predicted, budget, slack and whether it binds.</summary>
    public static Table Budgets(PlanEvaluation evaluation)
    {
        var table = new Table { Title = new TableTitle("Budgets"), Border = TableBorder.Rounded };
        table.AddColumn("budget");
        foreach (var column in new[] { "predicted", "budget", "slack", "slack (%)", "status" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var (label, name) in new[] { ("delay T (s)", "budget.delayS"), ("energy E (J)", "budget.energyJ") })
        {
            var c = Constraint(evaluation, name);
            table.AddRow(
                label,
                Compact(c.Value, 10),
                Compact(c.Limit, 8),
                Compact(c.Slack, 8),
                Compact(100 * c.Slack / c.Limit, 7) + " %",
                !c.Satisfied ? "[red]VIOLATED[/]" : Binds(c) ? "binds" : "slack");
        }

        return table;
    }
}
