using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration;

namespace EdgeLearn.Training.Study;

/// <summary>One cell and seed of a study, as stored in <c>cells/KEY-seedS.json</c>: its rows and, for trained plans,
/// the full training summaries (in scheme order; null where a scheme was not trained).</summary>
/// <param name="Fingerprint">The setup's fingerprint; a stored result is reused only when it matches.</param>
/// <param name="Cell">The cell.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Rows">One row per scheme.</param>
/// <param name="Summaries">The training summaries, one per scheme (null where not trained).</param>
public sealed record StudyCellResult(string Fingerprint, StudyCell Cell, int Seed, IReadOnlyList<StudyRow> Rows, IReadOnlyList<TrainingSummary?> Summaries);

/// <summary>One shift level's calibration for one seed, as stored in <c>calibrations/SHIFT-seedS.json</c>.</summary>
/// <param name="Fingerprint">The setup's fingerprint.</param>
/// <param name="ShiftKey">The shift (<see cref="StudyGrid.ShiftKey"/>).</param>
/// <param name="RotateDeg">Rotation of the task images.</param>
/// <param name="InvertFraction">Fraction inverted.</param>
/// <param name="NoiseStd">Pixel noise.</param>
/// <param name="Seed">Seed of the pilots.</param>
/// <param name="ScenarioJson">The calibrated scenario (the study's scenario with learning and model.uploadBits fitted).</param>
/// <param name="Report">How every constant was measured.</param>
public sealed record StudyCalibration(string Fingerprint, string ShiftKey, double RotateDeg, double InvertFraction, double NoiseStd, int Seed, string ScenarioJson, CalibrationReport Report);

/// <summary>Where a study stands, reported after every cell and calibration.</summary>
/// <param name="Done">Cell × seed units finished (including those reused from an earlier run).</param>
/// <param name="Total">All of them.</param>
/// <param name="Fraction">Share of the estimated work done, in [0, 1] (a trained cell weighs far more than a planned one).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Remaining">Estimated time left (from the work done in this run), null before anything was computed.</param>
/// <param name="Line">What just finished, one line.</param>
public sealed record StudyProgress(int Done, int Total, double Fraction, TimeSpan Elapsed, TimeSpan? Remaining, string Line);

/// <summary>The outcome of a study: every cell and seed in grid order, and the calibrations.</summary>
/// <param name="Setup">The setup.</param>
/// <param name="Cells">Results in grid order (cells, then seeds).</param>
/// <param name="Calibrations">Calibrations in shift, then seed order.</param>
/// <param name="Computed">Cell × seed units computed in this run (the rest were reused).</param>
public sealed record StudyResult(StudySetup Setup, IReadOnlyList<StudyCellResult> Cells, IReadOnlyList<StudyCalibration> Calibrations, int Computed)
{
    /// <summary>Every row, in grid order (cell, seed, scheme).</summary>
    public IEnumerable<StudyRow> Rows => Cells.SelectMany(c => c.Rows);
}

/// <summary>
/// The study engine (issue 11): plans every scheme in every cell and seed of a grid and trains where asked, one result
/// file per cell and seed in a folder, so that a run that stops resumes where it stopped. Up to
/// <see cref="StudySetup.Parallel"/> cells run at once; each is computed from its own seed, so the results do not depend
/// on it. Also the engine of the fidelity benchmark (bench/fidelity).
/// </summary>
public sealed class StudyRunner
{
    /// <summary>Weight of a planned-only cell in the progress estimate, against 1 for a trained one.</summary>
    private const double PlanWeight = 0.02;

    /// <summary>Weight of a calibration in the progress estimate (14 s against about 30 s for a trained cell on MNIST).</summary>
    private const double CalibrationWeight = 0.5;

    /// <summary>The progress of the run in flight (a runner runs one study at a time).</summary>
    private Tracker? _tracker;

    private readonly StudySetup _setup;
    private readonly string _folder;
    private readonly string _fingerprint;
    private readonly ConcurrentDictionary<string, Lazy<StudyCalibration>> _calibrations = new();
    private readonly ConcurrentDictionary<string, Lazy<TrainingData>> _data = new();
    private readonly ConcurrentDictionary<string, int> _dataUsers = new();

    /// <summary>A runner that keeps its results in <paramref name="folder"/> (created when missing).</summary>
    public StudyRunner(StudySetup setup, string folder)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(folder);
        _setup = setup;
        _folder = folder;
        _fingerprint = setup.Fingerprint();
    }

    /// <summary>Everything that would stop the study before its first cell, one line each: a dataset that cannot be
    /// loaded, data or options the calibration or the model cannot use, a scenario whose model size does not fit. Loads
    /// the centre's data (seconds) when the study needs data.</summary>
    public static IReadOnlyList<string> Check(StudySetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var errors = setup.Grid.Validate().ToList();
        if (errors.Count > 0 || !setup.NeedsData)
        {
            return errors;
        }

        int seed = setup.Grid.Seeds[0];
        if (!setup.Data.TryLoad(setup.Scenario, seed, out TrainingData? data, out var problems))
        {
            return problems;
        }

        var model = setup.Training with { Seed = seed };
        if (setup.Calibration is { } calibration)
        {
            return Calibrator.Check(data!, model, calibration);
        }

        // Without calibration the scenario's model size must be the model's: check it with the first scheme that has a plan.
        foreach (var scheme in setup.Grid.Schemes)
        {
            if (Planner.Plan(setup.Scenario, scheme.Scheme, scheme.PlannerOptions).Plan is { } p)
            {
                return TwoStageTrainer.Check(setup.Scenario, p, data!, model);
            }
        }

        return [];
    }

    /// <summary>Runs the grid: cells whose result file holds this setup's fingerprint are reused, every other one is
    /// computed and its file written as soon as it is done.</summary>
    /// <param name="progress">Receives a report after every cell and seed (from worker threads, one at a time).</param>
    /// <param name="cancellationToken">Stops the run between cells and rounds; finished cells stay in the folder.</param>
    /// <returns>Every result, in grid order.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public StudyResult Run(IProgress<StudyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "cells"));
        Directory.CreateDirectory(Path.Combine(_folder, "calibrations"));
        var cells = _setup.Cells();
        var units = cells.SelectMany(c => _setup.Grid.Seeds.Select(s => (Cell: c, Seed: s))).ToArray();
        var results = new StudyCellResult?[units.Length];
        double totalWork = units.Sum(u => Weight(u.Cell)), reusedWork = 0;
        int done = 0;
        for (int i = 0; i < units.Length; i++)
        {
            if (Stored(units[i].Cell, units[i].Seed) is { } stored)
            {
                results[i] = stored;
                reusedWork += Weight(units[i].Cell);
                done++;
            }
        }

        foreach (var unit in units.Where((u, i) => results[i] is null && u.Cell.Train))
        {
            _dataUsers.AddOrUpdate(DataKey(unit.Cell, unit.Seed), 1, (_, n) => n + 1);
        }

        // Calibrations still to run weigh in the estimate too (about half a trained cell each on MNIST).
        int calibrationsToRun = _setup.Calibration is null ? 0
            : units.Where((u, i) => results[i] is null).Select(u => $"{StudyGrid.ShiftKey(u.Cell.Shift)}-seed{u.Seed}").Distinct()
                .Count(key => TryRead<StudyCalibration>(Path.Combine(_folder, "calibrations", key + ".json"))?.Fingerprint != _fingerprint);
        var tracker = new Tracker(progress, units.Length, done, totalWork + (CalibrationWeight * calibrationsToRun), reusedWork);
        _tracker = tracker;
        int[] pending = [.. Enumerable.Range(0, units.Length).Where(i => results[i] is null)];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _setup.Parallel), CancellationToken = cancellationToken };
        try
        {
            ForEach(pending, options, i =>
            {
                var (cell, seed) = units[i];
                var result = Compute(cell, seed, cancellationToken);
                Write(CellPath(cell, seed), result);
                results[i] = result;
                tracker.Done(Weight(cell), Describe(cell, seed, result));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // One worker's failure (a full disk, a cancellation inside a training) ends the run as that failure, not as a wrapper.
            var first = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        var shiftOrder = cells.Select(c => StudyGrid.ShiftKey(c.Shift)).Distinct().ToList();
        var calibrations = _calibrations.Values.Where(l => l.IsValueCreated).Select(l => l.Value)
            .Concat(StoredCalibrations()).DistinctBy(c => (c.ShiftKey, c.Seed))
            .Where(c => units.Any(u => StudyGrid.ShiftKey(u.Cell.Shift) == c.ShiftKey && u.Seed == c.Seed))
            .OrderBy(c => shiftOrder.IndexOf(c.ShiftKey)).ThenBy(c => c.Seed).ToArray();
        return new StudyResult(_setup, [.. results.Select(r => r!)], calibrations, tracker.Computed);
    }

    /// <summary>Cell × seed units of the grid whose result is already in the folder with this setup's fingerprint (what
    /// <see cref="Run"/> will reuse, and what an interrupted run has kept).</summary>
    public int Finished() =>
        _setup.Cells().Sum(c => _setup.Grid.Seeds.Count(seed => Stored(c, seed) is not null));

    /// <summary>Result files in the folder for this grid's cells and seeds that are not reused because they were made
    /// with other options (another fingerprint, or planned where this study trains).</summary>
    public int Stale() =>
        _setup.Cells().Sum(c => _setup.Grid.Seeds.Count(seed => File.Exists(CellPath(c, seed)) && Stored(c, seed) is null));

    /// <summary>The setup's fingerprint (<see cref="StudySetup.Fingerprint"/>), stored in every result file.</summary>
    public string Fingerprint => _fingerprint;

    /// <summary>Runs <paramref name="body"/> for every index in order of the list (no buffering: at most
    /// <see cref="ParallelOptions.MaxDegreeOfParallelism"/> in flight), so the data of the cells in flight is all that is held.</summary>
    private static void ForEach(int[] indices, ParallelOptions options, Action<int> body) =>
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(indices, EnumerablePartitionerOptions.NoBuffering), options, body);

    /// <summary>Reads every result stored in a study folder (cells and calibrations), whatever their fingerprint.</summary>
    public static (IReadOnlyList<StudyCellResult> Cells, IReadOnlyList<StudyCalibration> Calibrations) Load(string folder)
    {
        static T[] Read<T>(string dir) => Directory.Exists(dir)
            ? [.. Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(f => StudyJson.Deserialize<T>(File.ReadAllText(f)))]
            : [];
        return (Read<StudyCellResult>(Path.Combine(folder, "cells")), Read<StudyCalibration>(Path.Combine(folder, "calibrations")));
    }

    /// <summary>The cell's scenario: the (calibrated) centre scenario with the cell's budgets and fleet.</summary>
    public static Scenario CellScenario(Scenario centre, StudyCell cell)
    {
        ArgumentNullException.ThrowIfNull(centre);
        ArgumentNullException.ThrowIfNull(cell);
        var devices = centre.Devices;
        int n = devices.Count;
        DeviceSpec[] fleet = cell.Devices == n
            ? [.. devices]
            : [.. Enumerable.Range(0, cell.Devices).Select(i => i < n ? devices[i] : devices[i % n] with { Id = $"{devices[i % n].Id}-c{i / n}" })];
        return centre with
        {
            Devices = fleet,
            Budget = new BudgetSpec { EnergyJ = centre.Budget.EnergyJ * cell.EnergyFactor, DelayS = centre.Budget.DelayS * cell.DelayFactor },
        };
    }

    private static double Weight(StudyCell cell) => cell.Train ? 1 : PlanWeight;

    private StudyCellResult Compute(StudyCell cell, int seed, CancellationToken cancellationToken)
    {
        try
        {
            return ComputeCell(cell, seed, cancellationToken);
        }
        finally
        {
            if (cell.Train)
            {
                ReleaseData(cell, seed);
            }
        }
    }

    private StudyCellResult ComputeCell(StudyCell cell, int seed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var schemes = _setup.Grid.Schemes;
        Scenario centre;
        try
        {
            centre = _setup.Calibration is null ? _setup.Scenario : Calibrated(cell.Shift, seed, cancellationToken);
        }
        catch (Exception e) when (e is CalibrationException or InvalidDataException)
        {
            string why = $"the calibration at {StudyGrid.ShiftKey(cell.Shift)} (seed {seed}) failed: {e.Message}";
            var budgets = CellScenario(_setup.Scenario, cell);
            var failed = schemes.Select(s => StudyRow.Unplanned(cell, seed, s.Name, budgets, StudyStatus.Failed, why)).ToArray();
            return new StudyCellResult(_fingerprint, cell, seed, failed, new TrainingSummary?[schemes.Count]);
        }

        var scenario = CellScenario(centre, cell);
        var rows = new StudyRow[schemes.Count];
        var summaries = new TrainingSummary?[schemes.Count];
        var plans = new Plan?[schemes.Count];
        for (int s = 0; s < schemes.Count; s++)
        {
            var planned = Planner.Plan(scenario, schemes[s].Scheme, schemes[s].PlannerOptions);
            rows[s] = StudyRow.Planned(cell, seed, schemes[s].Name, scenario, planned);
            plans[s] = planned.Plan;
        }

        if (cell.Train && plans.Any(p => p is not null))
        {
            {
                TrainingData? data = null;
                string? dataError = null;
                try
                {
                    data = Data(cell, seed, scenario);
                }
                catch (InvalidDataException e)
                {
                    dataError = e.Message;
                }

                var options = _setup.Training with { Seed = seed };
                for (int s = 0; s < schemes.Count; s++)
                {
                    if (plans[s] is not { } plan)
                    {
                        continue;
                    }

                    if (data is null)
                    {
                        rows[s] = rows[s] with { Status = StudyStatus.Failed, Reason = dataError };
                        continue;
                    }

                    if (!TwoStageTrainer.TryCreate(scenario, plan, data, options, out var trainer, out var problems))
                    {
                        rows[s] = rows[s] with { Status = StudyStatus.Failed, Reason = string.Join(" ", problems) };
                        continue;
                    }

                    try
                    {
                        var summary = trainer.Run(null, cancellationToken).Summary with { Scheme = schemes[s].Name };
                        summaries[s] = summary;
                        rows[s] = rows[s].WithTraining(summary);
                    }
                    catch (TrainingDivergedException e)
                    {
                        rows[s] = rows[s] with { Status = StudyStatus.Diverged, Reason = $"{e.Message} ({e.Stage} round {e.Round})" };
                    }
                }
            }
        }

        return new StudyCellResult(_fingerprint, cell, seed, rows, summaries);
    }

    /// <summary>The calibrated centre scenario of a shift level and seed: from its file when one with this setup's
    /// fingerprint exists, else calibrated now (once, however many cells ask at the same time).</summary>
    private Scenario Calibrated(Data.Shift.ShiftConfig shift, int seed, CancellationToken cancellationToken)
    {
        string key = $"{StudyGrid.ShiftKey(shift)}-seed{seed}";
        var lazy = _calibrations.GetOrAdd(key, _ => new Lazy<StudyCalibration>(() => Calibrate(shift, seed, key, cancellationToken)));
        StudyCalibration record;
        try
        {
            record = lazy.Value;
        }
        catch (Exception e) when (e is not CalibrationException)
        {
            _calibrations.TryRemove(new KeyValuePair<string, Lazy<StudyCalibration>>(key, lazy)); // a cancellation or I/O error is not the calibration's answer
            throw;
        }

        return ScenarioJson.Parse(record.ScenarioJson).Scenario ?? throw new InvalidDataException($"calibrations/{key}.json holds an invalid scenario.");
    }

    private StudyCalibration Calibrate(Data.Shift.ShiftConfig shift, int seed, string key, CancellationToken cancellationToken)
    {
        string path = Path.Combine(_folder, "calibrations", key + ".json");
        if (TryRead<StudyCalibration>(path) is { } stored && stored.Fingerprint == _fingerprint)
        {
            return stored;
        }

        if (!(_setup.Data with { Shift = shift }).TryLoad(_setup.Scenario, seed, out TrainingData? data, out var errors))
        {
            throw new InvalidDataException(string.Join(" ", errors));
        }

        _tracker?.Note($"calibrating {key} ({_setup.Calibration!.Repeats} pilots of {_setup.Calibration.PilotSteps} steps)");
        var result = Calibrator.Run(data!, _setup.Training with { Seed = seed }, _setup.Calibration!, null, cancellationToken);
        _tracker?.Calibrated(CalibrationWeight);
        var scenario = result.Apply(_setup.Scenario);
        if (ScenarioValidator.Validate(scenario) is { Count: > 0 } invalid)
        {
            throw new CalibrationException($"the fitted constants are not a valid scenario: {invalid[0].Message}");
        }

        var record = new StudyCalibration(_fingerprint, StudyGrid.ShiftKey(shift), shift.RotationDegrees, shift.InvertFraction, shift.NoiseStd, seed,
            ScenarioJson.Serialize(scenario), result.Report);
        Write(path, record);
        return record;
    }

    /// <summary>The training data of a cell (its shift, seed and fleet), loaded once and shared by the cells that need
    /// it; released when the last of them is done, so a long study holds only the data of the cells in flight.</summary>
    private TrainingData Data(StudyCell cell, int seed, Scenario scenario)
    {
        string key = DataKey(cell, seed);
        return _data.GetOrAdd(key, _ => new Lazy<TrainingData>(() =>
            (_setup.Data with { Shift = cell.Shift }).TryLoad(scenario, seed, out TrainingData? data, out var errors)
                ? data!
                : throw new InvalidDataException(string.Join(" ", errors)))).Value;
    }

    private void ReleaseData(StudyCell cell, int seed)
    {
        string key = DataKey(cell, seed);
        if (_dataUsers.AddOrUpdate(key, 0, (_, n) => n - 1) <= 0)
        {
            _data.TryRemove(key, out _);
        }
    }

    private static string DataKey(StudyCell cell, int seed) => $"{StudyGrid.ShiftKey(cell.Shift)}-k{cell.Devices}-seed{seed}";

    private StudyCellResult? Stored(StudyCell cell, int seed)
    {
        var stored = TryRead<StudyCellResult>(CellPath(cell, seed));
        return stored is not null && stored.Fingerprint == _fingerprint && stored.Cell.Train == cell.Train
            && stored.Rows.Select(r => r.Scheme).SequenceEqual(_setup.Grid.Schemes.Select(s => s.Name))
            ? stored with { Cell = cell, Rows = [.. stored.Rows.Select(r => r with { Sweeps = string.Join(';', cell.Sweeps) })] }
            : null;
    }

    private IEnumerable<StudyCalibration> StoredCalibrations()
    {
        string dir = Path.Combine(_folder, "calibrations");
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(TryRead<StudyCalibration>).Where(c => c is not null && c.Fingerprint == _fingerprint).Select(c => c!)
            : [];
    }

    private string CellPath(StudyCell cell, int seed) => Path.Combine(_folder, "cells", $"{cell.Key}-seed{seed}.json");

    private static T? TryRead<T>(string path) where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return StudyJson.Deserialize<T>(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a file cut short by a crash: computed again
        }
    }

    private static void Write<T>(string path, T value)
    {
        string temp = $"{path}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllText(temp, StudyJson.Serialize(value));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Counts the work done and reports it, one report at a time, with an estimate of the time left from the
    /// work done in this run.</summary>
    private sealed class Tracker(IProgress<StudyProgress>? progress, int total, int reused, double totalWork, double reusedWork)
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly double _reusedWork = reusedWork;
        private int _done = reused;
        private double _work = reusedWork;

        public int Computed { get; private set; }

        public void Done(double weight, string line)
        {
            lock (_gate)
            {
                _done++;
                Computed++;
                _work += weight;
                Report(line);
            }
        }

        public void Calibrated(double weight)
        {
            lock (_gate)
            {
                _work += weight;
            }
        }

        public void Note(string line)
        {
            lock (_gate)
            {
                Report(line);
            }
        }

        private void Report(string line)
        {
            var elapsed = _clock.Elapsed;
            double fresh = _work - _reusedWork;
            TimeSpan? remaining = fresh > 0 ? elapsed * (Math.Max(0, totalWork - _work) / fresh) : null;
            progress?.Report(new StudyProgress(_done, total, totalWork > 0 ? Math.Min(1, _work / totalWork) : 1, elapsed, remaining, line));
        }
    }

    private static string Describe(StudyCell cell, int seed, StudyCellResult result)
    {
        var joint = result.Rows[0];
        string what = joint.PredictedBound is { } bound
            ? FormattableString.Invariant($"{joint.Scheme} M = {joint.PretrainRounds}, N = {joint.FinetuneRounds}, bound {bound:G4}")
              + (joint.TestAccuracy is { } a ? FormattableString.Invariant($", accuracy {a:P1}") : "")
            : $"{joint.Scheme} {joint.Status}";
        int infeasible = result.Rows.Count(r => r.Status != StudyStatus.Planned);
        return string.Create(CultureInfo.InvariantCulture, $"{cell.Key} seed {seed}: {what}") + (infeasible > 0 ? $"; {infeasible} of {result.Rows.Count} schemes without a result" : "");
    }
}
