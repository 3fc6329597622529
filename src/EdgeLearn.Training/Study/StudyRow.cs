using System.Globalization;
using System.Text;
using EdgeLearn.Planning;

namespace EdgeLearn.Training.Study;

/// <summary>What happened to one scheme in one cell and seed of a study.</summary>
public static class StudyStatus
{
    /// <summary>A plan was found (and trained, when the cell trains).</summary>
    public const string Planned = "planned";

    /// <summary>No plan fits the cell's budgets.</summary>
    public const string Infeasible = "infeasible";

    /// <summary>The planner stopped at an iteration cap without a plan.</summary>
    public const string NotConverged = "not-converged";

    /// <summary>The plan was found but its training diverged (a non-finite or exploding loss).</summary>
    public const string Diverged = "diverged";

    /// <summary>The plan was found but could not be trained (for example the data does not fit the fleet).</summary>
    public const string Failed = "failed";
}

/// <summary>
/// One row of <c>cells.csv</c> and <c>cells.json</c>: one cell × scheme × seed of a study, with the plan, what the
/// planner predicts and, when trained, what was measured (docs/formats.md, "Study"). Fields that do not apply
/// (a plan's numbers when infeasible, measurements when not trained) are null and empty in the CSV.
/// </summary>
public sealed record StudyRow
{
    /// <summary>The cell's key (<see cref="StudyCell.Key"/>).</summary>
    public required string Cell { get; init; }

    /// <summary>The sweeps the cell belongs to, separated by <c>;</c>.</summary>
    public required string Sweeps { get; init; }

    /// <summary>Factor on the scenario's Emax.</summary>
    public required double EnergyFactor { get; init; }

    /// <summary>Factor on the scenario's Tmax.</summary>
    public required double DelayFactor { get; init; }

    /// <summary>Rotation of the task images, degrees.</summary>
    public required double RotateDeg { get; init; }

    /// <summary>Fraction of task images inverted.</summary>
    public required double InvertFraction { get; init; }

    /// <summary>Pixel noise on the task images.</summary>
    public required double NoiseStd { get; init; }

    /// <summary>Fleet size K.</summary>
    public required int Devices { get; init; }

    /// <summary>The cell's energy budget Emax, J.</summary>
    public required double BudgetEnergyJ { get; init; }

    /// <summary>The cell's delay budget Tmax, s.</summary>
    public required double BudgetDelayS { get; init; }

    /// <summary>Seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Scheme (<see cref="StudyScheme.Name"/>).</summary>
    public required string Scheme { get; init; }

    /// <summary>One of <see cref="StudyStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Whether no plan fits the cell's budgets.</summary>
    public bool Infeasible => Status == StudyStatus.Infeasible;

    /// <summary>Why there is no plan or no training, one line; null when there is nothing to say.</summary>
    public string? Reason { get; init; }

    /// <summary>M.</summary>
    public int? PretrainRounds { get; init; }

    /// <summary>N.</summary>
    public int? FinetuneRounds { get; init; }

    /// <summary>B0 (0 when M = 0).</summary>
    public int? ServerBatch { get; init; }

    /// <summary>Smallest device batch bk.</summary>
    public int? DeviceBatchMin { get; init; }

    /// <summary>Mean device batch.</summary>
    public double? DeviceBatchMean { get; init; }

    /// <summary>Largest device batch.</summary>
    public int? DeviceBatchMax { get; init; }

    /// <summary>The plan's bound Gbar.</summary>
    public double? PredictedBound { get; init; }

    /// <summary>Certified lower bound of the relaxation at the plan's (M, N).</summary>
    public double? LowerBound { get; init; }

    /// <summary>Predicted delay, s.</summary>
    public double? PredictedDelayS { get; init; }

    /// <summary>Predicted energy, J.</summary>
    public double? PredictedEnergyJ { get; init; }

    /// <summary>Whether the plan was trained (and the measured fields are set).</summary>
    public bool Trained { get; init; }

    /// <summary>Final test accuracy, in [0, 1].</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Test accuracy after pre-training (null when M = 0).</summary>
    public double? PretrainTestAccuracy { get; init; }

    /// <summary>Measured mean |∇F|² over the fine-tuning rounds.</summary>
    public double? AvgSqGradNorm { get; init; }

    /// <summary>Its standard error.</summary>
    public double? AvgSqGradNormStdErr { get; init; }

    /// <summary>Whether the measured |∇F|² stayed at or under the bound.</summary>
    public bool? BoundHeld { get; init; }

    /// <summary>Simulated delay of the run, s.</summary>
    public double? DelayS { get; init; }

    /// <summary>Simulated energy of the run, J.</summary>
    public double? EnergyJ { get; init; }

    /// <summary>The CSV header, in column order. Nothing in a row depends on the clock or on how many cells ran at once,
    /// so the same study gives the same file, resumed or not (wall-clock times are in the cell files' summaries).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "cell", "sweeps", "energyFactor", "delayFactor", "rotateDeg", "invertFraction", "noiseStd", "devices",
        "budgetEnergyJ", "budgetDelayS", "seed", "scheme", "status", "infeasible", "reason",
        "pretrainRounds", "finetuneRounds", "serverBatch", "deviceBatchMin", "deviceBatchMean", "deviceBatchMax",
        "predictedBound", "lowerBound", "predictedDelayS", "predictedEnergyJ",
        "trained", "testAccuracy", "pretrainTestAccuracy", "avgSqGradNorm", "avgSqGradNormStdErr", "boundHeld",
        "delayS", "energyJ",
    ];

    /// <summary>The row before training: the plan (or why there is none).</summary>
    public static StudyRow Planned(StudyCell cell, int seed, string scheme, Scenarios.Scenario scenario, PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(result);
        var row = Unplanned(cell, seed, scheme, scenario,
            result.Plan is not null ? StudyStatus.Planned : result.IsInfeasible ? StudyStatus.Infeasible : StudyStatus.NotConverged,
            result.Plan is not null ? null : result.Infeasibility?.Message ?? "the planner stopped at an iteration cap without a plan");
        if (result.Plan is not { } plan)
        {
            return row;
        }

        int[] batches = [.. plan.Devices.Select(d => d.Batch)];
        return row with
        {
            PretrainRounds = plan.PretrainRounds,
            FinetuneRounds = plan.FinetuneRounds,
            ServerBatch = plan.PretrainRounds > 0 ? plan.Server.Batch : 0,
            DeviceBatchMin = batches.Min(),
            DeviceBatchMean = batches.Average(),
            DeviceBatchMax = batches.Max(),
            PredictedBound = plan.Predicted.Bound,
            LowerBound = plan.Predicted.LowerBound,
            PredictedDelayS = plan.Predicted.DelayS,
            PredictedEnergyJ = plan.Predicted.EnergyJ,
        };
    }

    /// <summary>The row of a cell, seed and scheme without a plan: its place in the grid, its budgets and why.</summary>
    public static StudyRow Unplanned(StudyCell cell, int seed, string scheme, Scenarios.Scenario scenario, string status, string? reason)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(scenario);
        return new StudyRow
        {
            Cell = cell.Key,
            Sweeps = string.Join(';', cell.Sweeps),
            EnergyFactor = cell.EnergyFactor,
            DelayFactor = cell.DelayFactor,
            RotateDeg = cell.Shift.RotationDegrees,
            InvertFraction = cell.Shift.InvertFraction,
            NoiseStd = cell.Shift.NoiseStd,
            Devices = cell.Devices,
            BudgetEnergyJ = scenario.Budget.EnergyJ,
            BudgetDelayS = scenario.Budget.DelayS,
            Seed = seed,
            Scheme = scheme,
            Status = status,
            Reason = reason,
        };
    }

    /// <summary>The row with a run's measurements.</summary>
    public StudyRow WithTraining(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return this with
        {
            Trained = true,
            TestAccuracy = summary.FinalTestAccuracy,
            PretrainTestAccuracy = summary.PretrainTestAccuracy,
            AvgSqGradNorm = summary.AverageSquaredGradientNorm,
            AvgSqGradNormStdErr = summary.AverageSquaredGradientNormStdErr,
            BoundHeld = summary.BoundHeld,
            DelayS = summary.DelayS,
            EnergyJ = summary.EnergyJ,
        };
    }

    /// <summary>The rows as CSV (RFC 4180: a header line, invariant numbers in round-trip form, quoted text where needed).</summary>
    public static string Csv(IEnumerable<StudyRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append(string.Join(',', Columns)).Append('\n');
        foreach (var r in rows)
        {
            object?[] values =
            [
                r.Cell, r.Sweeps, r.EnergyFactor, r.DelayFactor, r.RotateDeg, r.InvertFraction, r.NoiseStd, r.Devices,
                r.BudgetEnergyJ, r.BudgetDelayS, r.Seed, r.Scheme, r.Status, r.Infeasible, r.Reason,
                r.PretrainRounds, r.FinetuneRounds, r.ServerBatch, r.DeviceBatchMin, r.DeviceBatchMean, r.DeviceBatchMax,
                r.PredictedBound, r.LowerBound, r.PredictedDelayS, r.PredictedEnergyJ,
                r.Trained, r.TestAccuracy, r.PretrainTestAccuracy, r.AvgSqGradNorm, r.AvgSqGradNormStdErr, r.BoundHeld,
                r.DelayS, r.EnergyJ,
            ];
            text.Append(string.Join(',', values.Select(Field))).Append('\n');
        }

        return text.ToString();
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s when s.IndexOfAny([',', '"', '\n', '\r']) >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
