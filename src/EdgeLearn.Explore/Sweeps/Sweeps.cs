using EdgeLearn.Explore.Api;
using EdgeLearn.Explore.Levers;
using EdgeLearn.Planning;

namespace EdgeLearn.Explore.Sweeps;

/// <summary>One point of the bound-against-energy curves: a scheme planned at one energy budget.</summary>
/// <param name="Scheme">Scheme name.</param>
/// <param name="EnergyJ">The energy budget, J.</param>
/// <param name="Status">"planned", "infeasible" or "notConverged".</param>
/// <param name="Bound">Gbar, or null without a plan.</param>
/// <param name="PretrainRounds">M, or null without a plan.</param>
/// <param name="FinetuneRounds">N, or null without a plan.</param>
public sealed record CurvePoint(string Scheme, double EnergyJ, string Status, double? Bound, int? PretrainRounds, int? FinetuneRounds);

/// <summary>One cell of the (energy, delay) heat map.</summary>
/// <param name="Row">Index of the delay budget (0: smallest).</param>
/// <param name="Column">Index of the energy budget (0: smallest).</param>
/// <param name="EnergyJ">The energy budget, J.</param>
/// <param name="DelayS">The delay budget, s.</param>
/// <param name="Status">"planned", "infeasible" or "notConverged".</param>
/// <param name="Bound">Gbar, or null without a plan.</param>
/// <param name="PretrainRounds">M (0: pre-training switched off), or null without a plan.</param>
public sealed record MapCell(int Row, int Column, double EnergyJ, double DelayS, string Status, double? Bound, int? PretrainRounds);

/// <summary>The sweeps behind the page's curves and heat map: plans over a grid of budgets around the current levers,
/// yielded coarse to fine as they are solved, stopping at once when cancelled.</summary>
public static class BudgetSweeps
{
    /// <summary>Energy budgets of the curves.</summary>
    public const int CurvePoints = 17;

    /// <summary>Energy and delay budgets of the heat map (per side).</summary>
    public const int MapSide = 21;

    /// <summary>The energy budgets of the curves: <see cref="CurvePoints"/> across the energy slider, equal ratios.</summary>
    /// <param name="space">The explored space.</param>
    /// <returns>Ascending budgets, J.</returns>
    public static IReadOnlyList<double> CurveEnergies(ExploreSpace space) => space.EnergyJ.Spaced(CurvePoints);

    /// <summary>The heat map's energy budgets (columns), J.</summary>
    /// <param name="space">The explored space.</param>
    /// <returns>Ascending budgets.</returns>
    public static IReadOnlyList<double> MapEnergies(ExploreSpace space) => space.EnergyJ.Spaced(MapSide);

    /// <summary>The heat map's delay budgets (rows), s.</summary>
    /// <param name="space">The explored space.</param>
    /// <returns>Ascending budgets.</returns>
    public static IReadOnlyList<double> MapDelays(ExploreSpace space) => space.DelayS.Spaced(MapSide);

    /// <summary>Every scheme's bound across <see cref="CurveEnergies"/>, at the request's other levers.</summary>
    /// <param name="plans">The planner.</param>
    /// <param name="request">The checked request (its energy budget is replaced by each point's).</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <returns>The points, coarse to fine in energy, every scheme at each energy.</returns>
    public static IEnumerable<CurvePoint> Curves(PlanService plans, LeverRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(request);
        var energies = CurveEnergies(plans.Space);
        foreach (int i in SweepOrder.Indices(energies.Count))
        {
            var (levers, scenario) = plans.WithBudgets(request.Levers, energies[i], request.Levers.DelayS);
            foreach (var scheme in SchemeNames.All)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var view = plans.PlanInBackground(levers, scenario, scheme, cancellationToken);
                yield return new CurvePoint(view.Scheme, energies[i], view.Status, view.Plan?.Bound, view.Plan?.PretrainRounds, view.Plan?.FinetuneRounds);
            }
        }
    }

    /// <summary>The request's scheme over the (energy, delay) grid, at the request's other levers.</summary>
    /// <param name="plans">The planner.</param>
    /// <param name="request">The checked request (its budgets are replaced by each cell's).</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <returns>The cells, coarse to fine.</returns>
    public static IEnumerable<MapCell> Map(PlanService plans, LeverRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(request);
        var energies = MapEnergies(plans.Space);
        var delays = MapDelays(plans.Space);
        foreach (var (row, column) in SweepOrder.Cells(delays.Count, energies.Count))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (levers, scenario) = plans.WithBudgets(request.Levers, energies[column], delays[row]);
            var view = plans.PlanInBackground(levers, scenario, request.Scheme, cancellationToken);
            yield return new MapCell(row, column, energies[column], delays[row], view.Status, view.Plan?.Bound, view.Plan?.PretrainRounds);
        }
    }
}
