using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Explore.Api;

/// <summary>What the page shows for one scheme at one set of levers (JSON of <c>/api/plan</c>).</summary>
/// <param name="Scheme">Scheme name.</param>
/// <param name="Status">"planned", "infeasible" or "notConverged".</param>
/// <param name="Devices">K of the what-if scenario.</param>
/// <param name="Plan">The plan, when there is one.</param>
/// <param name="Infeasibility">Why no plan fits and the smallest budgets that would, when none does.</param>
/// <param name="Warning">A caveat to show (a search that stopped at an iteration cap), or null.</param>
/// <param name="ElapsedMs">Planning time on the server, ms (0 when the answer came from the cache).</param>
public sealed record PlanView(string Scheme, string Status, int Devices, PlanSummary? Plan, InfeasibilityView? Infeasibility,
    string? Warning, double ElapsedMs);

/// <summary>A plan re-checked by the cost model.</summary>
/// <param name="PretrainRounds">M.</param>
/// <param name="FinetuneRounds">N.</param>
/// <param name="ServerBatch">B0.</param>
/// <param name="ServerFrequencyHz">f0, Hz.</param>
/// <param name="Bound">Gbar of the integer plan.</param>
/// <param name="LowerBound">Certified lower bound on the optimum.</param>
/// <param name="Gap">(bound − lower) / bound.</param>
/// <param name="DelayS">T of the plan, s.</param>
/// <param name="EnergyJ">E of the plan, J.</param>
/// <param name="PretrainRoundS">One pre-training round's time, s.</param>
/// <param name="FinetuneRoundS">One fine-tuning round's time, s.</param>
/// <param name="EnergyBinds">Whether the energy budget binds.</param>
/// <param name="DelayBinds">Whether the delay budget binds.</param>
/// <param name="Binding">Every binding constraint in the CLI's words.</param>
/// <param name="DeviceStride">Every how many devices one is listed in <paramref name="DeviceList"/> (1: all).</param>
/// <param name="DeviceList">Per-device allocation and round costs (at most <see cref="PlanViews.MaxDevicesListed"/>).</param>
public sealed record PlanSummary(int PretrainRounds, int FinetuneRounds, int ServerBatch, double ServerFrequencyHz, double Bound,
    double LowerBound, double Gap, double DelayS, double EnergyJ, double PretrainRoundS, double FinetuneRoundS, bool EnergyBinds,
    bool DelayBinds, IReadOnlyList<string> Binding, int DeviceStride, IReadOnlyList<DeviceView> DeviceList);

/// <summary>One device's share of a fine-tuning round.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Batch">bk.</param>
/// <param name="FrequencyHz">fk, Hz.</param>
/// <param name="PowerW">pk, W.</param>
/// <param name="ComputeS">Compute time of a round, s.</param>
/// <param name="UploadS">Upload time of a round, s.</param>
/// <param name="EnergyJ">Energy of a round, J.</param>
/// <param name="MaxBatch">Its batch limit bkmax.</param>
/// <param name="MaxFrequencyHz">Its CPU frequency limit fkmax, Hz.</param>
/// <param name="MaxPowerW">Its transmit power limit Pkmax, W.</param>
public sealed record DeviceView(string Id, int Batch, double FrequencyHz, double PowerW, double ComputeS, double UploadS, double EnergyJ,
    int MaxBatch, double MaxFrequencyHz, double MaxPowerW);

/// <summary>Why no plan fits.</summary>
/// <param name="BindingBudget">"energy" or "delay".</param>
/// <param name="Message">The planner's sentence, with the smallest workable budgets.</param>
/// <param name="MinimumEnergyJ">Smallest energy budget that allows one fine-tuning round, J.</param>
/// <param name="MinimumDelayS">Smallest delay budget that allows one fine-tuning round, s.</param>
public sealed record InfeasibilityView(string BindingBudget, string Message, double MinimumEnergyJ, double MinimumDelayS);

/// <summary>Builds <see cref="PlanView"/>s from planner results, re-checking every plan with the cost model.</summary>
public static class PlanViews
{
    /// <summary>Devices listed at most; larger fleets list every n-th device.</summary>
    public const int MaxDevicesListed = 200;

    /// <summary>The view of <paramref name="result"/>.</summary>
    /// <param name="scenario">The what-if scenario it was planned on.</param>
    /// <param name="result">The planner's result.</param>
    /// <param name="elapsedMs">How long planning took, ms.</param>
    /// <returns>The view.</returns>
    /// <exception cref="InvalidOperationException">The plan fails the cost model's re-check (a planner bug).</exception>
    public static PlanView Create(Scenario scenario, PlanResult result, double elapsedMs)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(result);
        string status = result.Status switch
        {
            PlanStatus.Planned => "planned",
            PlanStatus.Infeasible => "infeasible",
            _ => "notConverged",
        };
        string? warning = result.Status == PlanStatus.NotConverged
            ? $"{result.Search.NotConvergedSolves} fixed-(M, N) solves stopped at an iteration cap; " +
              (result.HasPlan ? "the plan fits the budgets, but a better one may exist." : "the budgets may still admit a plan.")
            : null;
        var infeasibility = result.Infeasibility is { } why
            ? new InfeasibilityView(why.BindingBudget, why.Message, why.MinimumEnergyJ, why.MinimumDelayS)
            : null;
        return new PlanView(result.Scheme.ToName(), status, scenario.Devices.Count, result.Plan is { } plan ? Summary(scenario, plan) : null,
            infeasibility, warning, elapsedMs);
    }

    private static PlanSummary Summary(Scenario scenario, Plan plan)
    {
        var evaluation = PlanEvaluator.Evaluate(scenario, plan);
        if (!evaluation.Feasible)
        {
            throw new InvalidOperationException($"the {plan.Scheme.ToName()} plan fails the cost model's re-check: {evaluation.Violations[0].Describe()}");
        }

        int stride = (evaluation.Devices.Count + MaxDevicesListed - 1) / MaxDevicesListed;
        var devices = new List<DeviceView>();
        for (int k = 0; k < evaluation.Devices.Count; k += stride)
        {
            var d = evaluation.Devices[k];
            var spec = scenario.Devices[k];
            devices.Add(new DeviceView(d.Id, d.Batch, d.FrequencyHz, d.PowerW, d.Cost.ComputeTimeS, d.Cost.UploadTimeS, d.Cost.EnergyJ,
                spec.MaxBatch, spec.MaxFrequencyHz, spec.MaxPowerW));
        }

        var p = plan.Predicted;
        return new PlanSummary(plan.PretrainRounds, plan.FinetuneRounds, plan.Server.Batch, plan.Server.FrequencyHz, p.Bound, p.LowerBound,
            p.Gap, evaluation.DelayS, evaluation.EnergyJ, evaluation.PretrainRound.DelayS, evaluation.FinetuneRound.DelayS,
            BindingConstraints.Binds(evaluation, "budget.energyJ"), BindingConstraints.Binds(evaluation, "budget.delayS"),
            BindingConstraints.Names(evaluation), stride, devices);
    }
}
