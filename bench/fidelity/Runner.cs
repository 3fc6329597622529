using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeLearn.Data.Shift;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training;
using EdgeLearn.Training.Calibration;

namespace EdgeLearn.Fidelity;

/// <summary>One trained plan of the grid (one file under <c>runs/</c>).</summary>
/// <param name="Setting">The setting's key, e.g. <c>mnist-rot0</c>.</param>
/// <param name="Dataset">Dataset.</param>
/// <param name="Rotation">Rotation of the task images.</param>
/// <param name="Budget">Budget variant name.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Plan">Plan kind: a scheme or <c>joint-pretrain</c>.</param>
/// <param name="Summary">The run's summary; null when the plan was infeasible.</param>
/// <param name="Infeasible">Why no plan fits, when none does.</param>
public sealed record RunRecord(string Setting, string Dataset, double Rotation, string Budget, int Seed, string Plan, TrainingSummary? Summary, string? Infeasible);

/// <summary>A calibrated scenario and its report (one file under <c>calibrations/</c>).</summary>
public sealed record CalibrationRecord(string Setting, int Seed, string ScenarioJson, CalibrationReport Report);

/// <summary>Runs the grid, one calibration per setting and seed and one training per cell, scheme and seed; every result
/// is a file, so an interrupted run resumes where it stopped.</summary>
public sealed class Runner(Grid grid, string folder, string? cache, TextWriter log)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public void Run()
    {
        Directory.CreateDirectory(Path.Combine(folder, "calibrations"));
        Directory.CreateDirectory(Path.Combine(folder, "runs"));
        int total = grid.Settings.Sum(s => s.Budgets.Count * (PlanKind.Schemes.Count + 1)) * grid.Seeds.Count, done = 0;
        var clock = Stopwatch.StartNew();
        foreach (var setting in grid.Settings)
        {
            foreach (int seed in grid.Seeds)
            {
                var source = new DataSource
                {
                    Dataset = setting.Dataset,
                    CacheDirectory = cache,
                    Shift = new ShiftConfig { RotationDegrees = setting.Rotation },
                    GeneralSize = grid.GeneralSize,
                    TestSize = grid.TestSize,
                };
                if (!source.TryLoad(grid.BaseScenario, seed, out TrainingData? data, out var errors))
                {
                    throw new InvalidOperationException(string.Join(" ", errors));
                }

                var options = grid.Training with { Seed = seed };
                Scenario calibrated = Calibrated(setting, seed, data!, options);
                foreach (var budget in setting.Budgets)
                {
                    Scenario scenario = budget.Apply(calibrated);
                    foreach (var kind in PlanKind.Schemes.Append(PlanKind.ForcedPretraining))
                    {
                        string path = Path.Combine(folder, "runs", $"{setting.Key}-{budget.Name}-seed{seed}-{kind.Name}.json");
                        done++;
                        if (File.Exists(path))
                        {
                            continue;
                        }

                        var record = Train(setting, budget, seed, kind, scenario, data!, options);
                        Write(path, record);
                        log.WriteLine(FormattableString.Invariant(
                            $"[{done}/{total}, {clock.Elapsed.TotalMinutes:F1} min] {setting.Key} {budget.Name} seed {seed} {kind.Name}: ")
                            + (record.Summary is { } s
                                ? FormattableString.Invariant($"M = {s.PretrainRounds}, N = {s.FinetuneRounds}, |grad F|^2 = {s.AverageSquaredGradientNorm:G3}, bound = {s.PredictedBound:G3}, acc = {s.FinalTestAccuracy:P1}")
                                : $"infeasible ({record.Infeasible})"));
                    }
                }
            }
        }
    }

    /// <summary>Every result in the folder.</summary>
    public static (IReadOnlyList<RunRecord> Runs, IReadOnlyList<CalibrationRecord> Calibrations) Load(string folder)
    {
        RunRecord[] runs = Directory.Exists(Path.Combine(folder, "runs"))
            ? Directory.GetFiles(Path.Combine(folder, "runs"), "*.json").Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(f), Json)!).ToArray()
            : [];
        CalibrationRecord[] calibrations = Directory.Exists(Path.Combine(folder, "calibrations"))
            ? Directory.GetFiles(Path.Combine(folder, "calibrations"), "*.json").Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<CalibrationRecord>(File.ReadAllText(f), Json)!).ToArray()
            : [];
        return (runs, calibrations);
    }

    private Scenario Calibrated(Setting setting, int seed, TrainingData data, TrainingOptions options)
    {
        string path = Path.Combine(folder, "calibrations", $"{setting.Key}-seed{seed}.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<CalibrationRecord>(File.ReadAllText(path), Json)!;
            return ScenarioJson.Parse(stored.ScenarioJson).Scenario ?? throw new InvalidDataException($"{path} holds an invalid scenario.");
        }

        var result = Calibrator.Run(data, options, grid.Calibration);
        Scenario scenario = result.Apply(grid.BaseScenario);
        Write(path, new CalibrationRecord(setting.Key, seed, ScenarioJson.Serialize(scenario), result.Report));
        log.WriteLine(FormattableString.Invariant(
            $"calibrated {setting.Key} seed {seed} in {result.Report.Total.Seconds:F1} s: L = {result.Learning.Smoothness:G3}, eta = {result.Learning.StepSize:G3}, mu = {result.Learning.PlConstant:G3}, sigma^2 = {result.Learning.GradientVariance:G3}, sigma0^2 = {result.Learning.PretrainGradientVariance:G3}, Gamma = {result.Learning.Shift.Gap:G3}"));
        return scenario;
    }

    private static RunRecord Train(Setting setting, BudgetVariant budget, int seed, PlanKind kind, Scenario scenario, TrainingData data, TrainingOptions options)
    {
        var planned = Planner.Plan(scenario, kind.Scheme, new PlannerOptions { MinPretrainRounds = kind.MinPretrainRounds });
        if (planned.Plan is not { } plan)
        {
            return new RunRecord(setting.Key, setting.Dataset, setting.Rotation, budget.Name, seed, kind.Name, null, planned.Infeasibility?.Message ?? "no plan");
        }

        var summary = TwoStageTrainer.Run(scenario, plan, data, options).Summary with { Scheme = kind.Name };
        return new RunRecord(setting.Key, setting.Dataset, setting.Rotation, budget.Name, seed, kind.Name, summary, null);
    }

    private static void Write<T>(string path, T value)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(value, Json));
        File.Move(temp, path, overwrite: true);
    }
}
