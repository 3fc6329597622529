using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using EdgeLearn.Bound;
using EdgeLearn.Costs;
using EdgeLearn.Scenarios;
using EdgeLearn.Scenarios.Internal;

namespace EdgeLearn.Planning;

/// <summary>
/// Re-checks any plan against a scenario with the independent cost model (model.md §2) and the bound
/// (§4): every constraint with its slack, the totals and Gbar. Used on every plan the planner returns
/// and by <c>edgelearn evaluate</c> to audit plans made elsewhere.
/// </summary>
public static class PlanEvaluator
{
    /// <summary>What keeps a plan from being evaluated against a scenario, one message each in the words the plan JSON
    /// path uses: device count and ids, rounds and batches below their minimum, frequencies and powers that are not
    /// finite numbers or lie outside <see cref="PlanRanges"/> (the server's frequency too, also with M = 0), an unregistered scheme. The plan can be evaluated when there are none.</summary>
    /// <param name="scenario">A valid scenario.</param>
    /// <param name="plan">The plan.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    public static IReadOnlyList<string> Mismatches(Scenario scenario, Plan plan)
    {
        ScenarioValidator.ThrowIfInvalid(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        return MismatchesOf(scenario, plan);
    }

    private static List<string> MismatchesOf(Scenario scenario, Plan plan)
    {
        var errors = new List<string>();
        if (!SchemeNames.All.Contains(plan.Scheme))
            errors.Add($"scheme is {(int)plan.Scheme}; it must be one of {SchemeNames.Valid}.");
        if (plan.Devices is null || plan.Server is null || plan.Predicted is null)
        {
            errors.Add($"{(plan.Devices is null ? "devices" : plan.Server is null ? "server" : "predicted")} is null; it must be present.");
            return errors;
        }
        if (plan.Devices.Count != scenario.Devices.Count)
        {
            errors.Add($"devices has {plan.Devices.Count} entries; the scenario has {scenario.Devices.Count} devices.");
            return errors;
        }
        for (int k = 0; k < plan.Devices.Count; k++)
        {
            var device = plan.Devices[k];
            if (device is null)
            {
                errors.Add($"devices[{k}] is null; it must be an object with id, batch, frequencyHz and powerW.");
                continue;
            }
            if (device.Id != scenario.Devices[k].Id)
                errors.Add($"devices[{k}].id is {Paths.Quote(device.Id)}; it must be {Paths.Quote(scenario.Devices[k].Id)}, the scenario's device {k}.");
            if (device.Batch < 1)
                errors.Add($"devices[{k}].batch is {device.Batch}; it must be at least 1.");
            InRange(errors, $"devices[{k}].frequencyHz", device.FrequencyHz, PlanRanges.FrequencyHz);
            InRange(errors, $"devices[{k}].powerW", device.PowerW, PlanRanges.PowerW);
        }
        if (plan.PretrainRounds < 0) errors.Add($"pretrainRounds is {plan.PretrainRounds}; it must be at least 0.");
        if (plan.FinetuneRounds < 1) errors.Add($"finetuneRounds is {plan.FinetuneRounds}; it must be at least 1.");
        if (plan.Server.Batch < 1) errors.Add($"server.batch is {plan.Server.Batch}; it must be at least 1.");
        InRange(errors, "server.frequencyHz", plan.Server.FrequencyHz, PlanRanges.FrequencyHz);
        return errors;
    }

    /// <summary>A plan's frequency or power must be a finite number inside its <see cref="PlanRanges"/> range, so
    /// that its round time and energy stay finite (a frequency of 0 would take forever, a power of 1e308 overflow).</summary>
    private static void InRange(List<string> errors, string path, double value, ValueRange range)
    {
        if (!double.IsFinite(value)) errors.Add(FormattableString.Invariant($"{path} is {value}; it must be a finite number."));
        else if (!range.Contains(value)) errors.Add(FormattableString.Invariant($"{path} is {value}; it {range.Rule}."));
    }

    /// <summary>Evaluates a plan that has no <see cref="Mismatches"/> with the scenario.</summary>
    /// <param name="scenario">A valid scenario.</param>
    /// <param name="plan">The plan.</param>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    /// <exception cref="ArgumentException">The plan has a mismatch (the message is the first).</exception>
    public static PlanEvaluation Evaluate(Scenario scenario, Plan plan)
    {
        ScenarioValidator.ThrowIfInvalid(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        var mismatch = MismatchesOf(scenario, plan);
        if (mismatch.Count > 0) throw new ArgumentException(mismatch[0], nameof(plan));
        return EvaluateValid(scenario, plan);
    }

    /// <summary>Checks a plan against a scenario and, when nothing keeps it from being evaluated, evaluates it: the
    /// <see cref="Mismatches"/> check and <see cref="Evaluate"/> in one pass.</summary>
    /// <param name="scenario">A valid scenario.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="evaluation">The evaluation, when there are no mismatches.</param>
    /// <param name="mismatches">What keeps the plan from being evaluated (empty when <paramref name="evaluation"/> is set).</param>
    /// <returns>Whether the plan was evaluated.</returns>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule of <see cref="ScenarioValidator"/>.</exception>
    public static bool TryEvaluate(Scenario scenario, Plan plan, [NotNullWhen(true)] out PlanEvaluation? evaluation, out IReadOnlyList<string> mismatches)
    {
        ScenarioValidator.ThrowIfInvalid(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        mismatches = MismatchesOf(scenario, plan);
        evaluation = mismatches.Count == 0 ? EvaluateValid(scenario, plan) : null;
        return evaluation is not null;
    }

    /// <summary>Evaluates a plan of the solver's against the scenario it solved (both checked already).</summary>
    internal static PlanEvaluation EvaluateValid(Scenario scenario, Plan plan)
    {
        var constraints = new List<ConstraintCheck>();
        int m = plan.PretrainRounds, n = plan.FinetuneRounds;
        var server = scenario.Server;

        RoundCost pretrain = CostModel.PretrainRound(scenario, plan);
        if (m > 0)
        {
            constraints.Add(Upper("server.frequencyHz", plan.Server.FrequencyHz, server.MaxFrequencyHz));
            constraints.Add(Lower("server.frequencyHz", plan.Server.FrequencyHz, 0, strict: true));
            constraints.Add(Upper("server.batch", plan.Server.Batch, server.MaxBatch));
        }

        RoundBreakdown round = CostModel.FinetuneRound(scenario, plan.Devices);
        var devices = new DeviceCheck[plan.Devices.Count];
        for (int k = 0; k < devices.Length; k++)
        {
            var d = scenario.Devices[k];
            var a = plan.Devices[k];
            devices[k] = new DeviceCheck(d.Id, a.Batch, a.FrequencyHz, a.PowerW, round.Devices[k]);
            string p = $"devices[{k}]";
            constraints.Add(Upper(p + ".powerW", a.PowerW, d.MaxPowerW));
            constraints.Add(Lower(p + ".powerW", a.PowerW, 0, strict: true));
            constraints.Add(Upper(p + ".frequencyHz", a.FrequencyHz, d.MaxFrequencyHz));
            constraints.Add(Lower(p + ".frequencyHz", a.FrequencyHz, 0, strict: true));
            constraints.Add(Upper(p + ".batch", a.Batch, d.MaxBatch));
        }
        var finetune = round.Round;
        var total = CostModel.Total(m, pretrain, n, finetune);
        constraints.Insert(0, Upper("budget.delayS", total.DelayS, scenario.Budget.DelayS));
        constraints.Insert(0, Upper("budget.energyJ", total.EnergyJ, scenario.Budget.EnergyJ));
        constraints.Add(Upper("pretrainRounds", m, scenario.Limits.MaxPretrainRounds));
        constraints.Add(Upper("finetuneRounds", n, scenario.Limits.MaxFinetuneRounds));

        var batches = new double[devices.Length];
        for (int k = 0; k < batches.Length; k++) batches[k] = plan.Devices[k].Batch;
        double bound = ConvergenceBound.Value(scenario, m, n, plan.Server.Batch, batches);
        return new PlanEvaluation(total.DelayS, total.EnergyJ, bound, pretrain, finetune, devices, constraints);
    }

    private static ConstraintCheck Upper(string name, double value, double limit) =>
        new(name, "≤", value, limit, limit - value, value <= limit && !double.IsNaN(value));

    private static ConstraintCheck Lower(string name, double value, double limit, bool strict) =>
        new(name, strict ? ">" : "≥", value, limit, value - limit, strict ? value > limit : value >= limit);
}

/// <summary>A plan re-checked by the cost model.</summary>
/// <param name="DelayS">T = M t0 + N tFT, s.</param>
/// <param name="EnergyJ">E = M e0 + N eFT, J.</param>
/// <param name="Bound">Gbar of the plan.</param>
/// <param name="PretrainRound">Cost of one pre-training round.</param>
/// <param name="FinetuneRound">Cost of one fine-tuning round (downlink included).</param>
/// <param name="Devices">Per-device round costs.</param>
/// <param name="Constraints">Every constraint with its slack.</param>
public sealed record PlanEvaluation(double DelayS, double EnergyJ, double Bound, RoundCost PretrainRound, RoundCost FinetuneRound,
    IReadOnlyList<DeviceCheck> Devices, IReadOnlyList<ConstraintCheck> Constraints)
{
    /// <summary>Whether every constraint holds.</summary>
    public bool Feasible => Constraints.All(c => c.Satisfied);

    /// <summary>The constraints that do not hold, in <see cref="Constraints"/> order (empty when <see cref="Feasible"/>).</summary>
    public IReadOnlyList<ConstraintCheck> Violations => [.. Constraints.Where(c => !c.Satisfied)];
}

/// <summary>One device's allocation and its round cost.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Batch">bk.</param>
/// <param name="FrequencyHz">fk.</param>
/// <param name="PowerW">pk.</param>
/// <param name="Cost">Compute and upload time and energy of one round.</param>
public sealed record DeviceCheck(string Id, int Batch, double FrequencyHz, double PowerW, DeviceRoundCost Cost);

/// <summary>One constraint: value, relation, limit and slack (positive means room to spare).</summary>
/// <param name="Name">JSON path of the quantity, e.g. <c>devices[2].powerW</c> or <c>budget.energyJ</c>.</param>
/// <param name="Relation">"≤", "≥" or "&gt;".</param>
/// <param name="Value">The plan's value.</param>
/// <param name="Limit">The scenario's limit.</param>
/// <param name="Slack">Room to spare (negative when violated).</param>
/// <param name="Satisfied">Whether the constraint holds.</param>
public sealed record ConstraintCheck(string Name, string Relation, double Value, double Limit, double Slack, bool Satisfied)
{
    /// <summary>One line for a user, e.g. "devices[3].powerW is 0.5, must be ≤ 0.2 (slack -0.3)".</summary>
    /// <returns>The constraint in words, numbers in the invariant culture.</returns>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} is {Value:G6}, must be {Relation} {Limit:G6} (slack {Slack:G4})");
}
