using EdgeLearn.Data.Shift;
using EdgeLearn.Training.Study;
using FsCheck.Xunit;

namespace EdgeLearn.Training.Tests.Study;

public sealed class StudyGridPropertyTests
{
    /// <summary>Random grids: 1–6 factors each way from a small set (so that sweeps and grid overlap), 0–4 shift levels.</summary>
    private static StudyGrid Grid(int seed, out ShiftConfig centre)
    {
        var random = new Random(seed);
        double[] pool = [0.25, 0.5, 1, 1.5, 2, 4];
        double[] Pick(int min) => [.. pool.OrderBy(_ => random.Next()).Take(random.Next(min, pool.Length + 1))];
        double[] levels = [.. new double[] { 0, 15, 30, 45, 90 }.OrderBy(_ => random.Next()).Take(random.Next(0, 5))];
        centre = new ShiftConfig { RotationDegrees = random.Next(2) == 0 ? 0 : 30, NoiseStd = random.Next(2) * 0.1 };
        bool grid = random.Next(2) == 0;
        return new StudyGrid
        {
            EnergyFactors = Pick(1),
            DelayFactors = Pick(1),
            Shift = levels.Length == 0 ? null : new ShiftSweep(ShiftKind.Rotate, levels),
            DeviceCounts = random.Next(2) == 0 ? null : [3, 10, 20],
            GridEnergyFactors = grid ? Pick(1) : [],
            GridDelayFactors = grid ? Pick(1) : [],
            Seeds = [1],
        };
    }

    [Property(MaxTest = 200, Replay = "(20261130,20261131)")]
    public bool Cells_AnyGrid_AreDistinctWithDistinctKeys(int seed)
    {
        var cells = Grid(seed, out var centre).Cells(centre, 10);

        return cells.Select(c => c.Key).Distinct().Count() == cells.Count
            && cells.Select(c => (c.EnergyFactor, c.DelayFactor, c.Shift, c.Devices)).Distinct().Count() == cells.Count;
    }

    [Property(MaxTest = 200, Replay = "(20261130,20261131)")]
    public bool Cells_AnyGrid_HoldEveryLevelOfEverySweepExactlyOnce(int seed)
    {
        var grid = Grid(seed, out var centre);
        var cells = grid.Cells(centre, 10);
        bool Once(string sweep, IEnumerable<StudyCell> expected) =>
            cells.Where(c => c.Sweeps.Contains(sweep)).OrderBy(c => c.Key, StringComparer.Ordinal)
                .SequenceEqual(expected.OrderBy(c => c.Key, StringComparer.Ordinal));
        StudyCell At(double e, double d, ShiftConfig s, int k) => cells.Single(c => c.EnergyFactor == e && c.DelayFactor == d && c.Shift == s && c.Devices == k);

        return Once("energy", grid.EnergyFactors.Select(e => At(e, 1, centre, 10)))
            && Once("delay", grid.DelayFactors.Select(d => At(1, d, centre, 10)))
            && Once("shift", (grid.Shift?.Levels ?? []).Select(l => At(1, 1, grid.Shift!.Apply(centre, l), 10)))
            && Once("devices", (grid.DeviceCounts ?? []).Select(k => At(1, 1, centre, k)))
            && Once("grid", grid.GridDelayFactors.SelectMany(d => grid.GridEnergyFactors.Select(e => At(e, d, centre, 10))))
            && cells.All(c => c.Sweeps.Count > 0 && !c.Train);
    }

    [Property(MaxTest = 200, Replay = "(20261130,20261131)")]
    public bool Frontier_AnyBounds_LiesBetweenTheGridBudgetsAroundTheCrossing(int seed)
    {
        // Bounds falling with energy (as Gbar does), with random infeasible cells at the low end.
        var random = new Random(seed);
        double[] energies = [0.25, 0.5, 1, 2, 4];
        int infeasible = random.Next(0, 3);
        var rows = new List<StudyRow>();
        double bound = 0.1 + random.NextDouble();
        for (int i = 0; i < energies.Length; i++)
        {
            bound *= 0.3 + (0.7 * random.NextDouble());
            rows.Add(new StudyRow
            {
                Cell = $"e{energies[i]}", Sweeps = "grid", EnergyFactor = energies[i], DelayFactor = 1, RotateDeg = 0, InvertFraction = 0, NoiseStd = 0,
                Devices = 10, BudgetEnergyJ = energies[i], BudgetDelayS = 1, Seed = 1, Scheme = "joint",
                Status = i < infeasible ? StudyStatus.Infeasible : StudyStatus.Planned, PredictedBound = i < infeasible ? null : bound,
            });
        }

        double target = 0.01 + random.NextDouble();
        var point = new StudyAnalysis(rows, null).Frontier(target).Single();
        var reached = rows.Where(r => r.PredictedBound <= target).Select(r => r.EnergyFactor).ToArray();
        if (reached.Length == 0)
        {
            return point.EnergyFactor is null;
        }

        double first = reached.Min();
        double below = energies.Where(e => e < first).DefaultIfEmpty(first).Max();
        return point.EnergyFactor is { } e && e <= first * (1 + 1e-12) && e >= below * (1 - 1e-12)
            && point.AtGridEdge == (first == energies[0] || rows.First(r => r.EnergyFactor == below).PredictedBound is null);
    }
}
