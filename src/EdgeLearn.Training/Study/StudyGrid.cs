using System.Globalization;
using EdgeLearn.Data.Shift;
using EdgeLearn.Planning;

namespace EdgeLearn.Training.Study;

/// <summary>Which component of the task data's shift a study sweeps.</summary>
public enum ShiftKind
{
    /// <summary>Rotation of the task images, degrees (<see cref="ShiftConfig.RotationDegrees"/>).</summary>
    Rotate,

    /// <summary>Fraction of task images inverted (<see cref="ShiftConfig.InvertFraction"/>).</summary>
    Invert,

    /// <summary>Gaussian pixel noise on the task images (<see cref="ShiftConfig.NoiseStd"/>).</summary>
    Noise,
}

/// <summary>The shift levels of a study: one component of the task data's shift, at several values.</summary>
/// <param name="Kind">The component swept.</param>
/// <param name="Levels">Its values, in the order given (rotations in degrees).</param>
public sealed record ShiftSweep(ShiftKind Kind, IReadOnlyList<double> Levels)
{
    /// <summary>The option's name of the component: <c>rotate</c>, <c>invert</c> or <c>noise</c>.</summary>
    public string Name => Name_(Kind);

    /// <summary>The base shift with the swept component set to <paramref name="level"/>.</summary>
    public ShiftConfig Apply(ShiftConfig baseShift, double level)
    {
        ArgumentNullException.ThrowIfNull(baseShift);
        return Kind switch
        {
            ShiftKind.Rotate => baseShift with { RotationDegrees = level },
            ShiftKind.Invert => baseShift with { InvertFraction = level },
            _ => baseShift with { NoiseStd = level },
        };
    }

    /// <summary>The swept component's value in <paramref name="shift"/>.</summary>
    public double LevelOf(ShiftConfig shift) => LevelOf(Kind, shift);

    /// <summary>The value of component <paramref name="kind"/> in <paramref name="shift"/>.</summary>
    public static double LevelOf(ShiftKind kind, ShiftConfig shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return kind switch
        {
            ShiftKind.Rotate => shift.RotationDegrees,
            ShiftKind.Invert => shift.InvertFraction,
            _ => shift.NoiseStd,
        };
    }

    /// <summary>How a level reads in tables and figures: <c>45°</c>, <c>invert 0.25</c>, <c>noise 0.1</c>.</summary>
    public string Label(double level) => Kind == ShiftKind.Rotate
        ? level.ToString("G4", CultureInfo.InvariantCulture) + "°"
        : $"{Name} {level.ToString("G4", CultureInfo.InvariantCulture)}";

    /// <summary>The axis title of a figure against this shift.</summary>
    public string AxisTitle => Kind switch
    {
        ShiftKind.Rotate => "rotation of the task images (degrees)",
        ShiftKind.Invert => "fraction of task images inverted",
        _ => "pixel noise on the task images (std)",
    };

    /// <summary>Parses <c>KIND:V1,V2,…</c> (KIND rotate, invert or noise), e.g. <c>rotate:0,45,90</c>.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="sweep">The sweep, when valid.</param>
    /// <param name="error">Why it is not, naming the option, the value and the rule.</param>
    /// <returns>Whether it parsed.</returns>
    public static bool TryParse(string text, out ShiftSweep? sweep, out string? error)
    {
        sweep = null;
        error = null;
        string rule = "it must be KIND:V1,V2,... with KIND rotate (degrees, -360 to 360), invert (0 to 1) or noise (0 to 1), e.g. rotate:0,45,90";
        int colon = (text ?? "").IndexOf(':', StringComparison.Ordinal);
        if (text is null || colon < 0)
        {
            error = $"--shift is '{text}'; {rule}.";
            return false;
        }

        ShiftKind? kind = text[..colon].Trim().ToLowerInvariant() switch
        {
            "rotate" => ShiftKind.Rotate,
            "invert" => ShiftKind.Invert,
            "noise" => ShiftKind.Noise,
            _ => null,
        };
        if (kind is null || !Levels_(text[(colon + 1)..], out double[] levels))
        {
            error = $"--shift is '{text}'; {rule}.";
            return false;
        }

        double limit = kind == ShiftKind.Rotate ? 360 : 1, low = kind == ShiftKind.Rotate ? -360 : 0;
        if (levels.Any(l => l < low || l > limit))
        {
            error = $"--shift is '{text}'; every {Name_(kind.Value)} level must be between {low} and {limit}.";
            return false;
        }

        sweep = new ShiftSweep(kind.Value, levels);
        return true;
    }

    private static bool Levels_(string list, out double[] levels)
    {
        var values = new List<double>();
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                levels = [];
                return false;
            }

            values.Add(v);
        }

        levels = [.. values.Distinct()];
        return levels.Length > 0;
    }

    private static string Name_(ShiftKind kind) => kind switch
    {
        ShiftKind.Rotate => "rotate",
        ShiftKind.Invert => "invert",
        _ => "noise",
    };
}

/// <summary>A plan a study runs in every cell: a scheme of model.md §6, or <c>joint-pretrain</c> (joint with at least
/// one pre-training round, to see what forcing pre-training costs where the joint plan switches it off).</summary>
/// <param name="Name">Name in the results.</param>
/// <param name="Scheme">The scheme planned.</param>
/// <param name="MinPretrainRounds">Fewest pre-training rounds (1 for joint-pretrain, else 0).</param>
public sealed record StudyScheme(string Name, Scheme Scheme, int MinPretrainRounds)
{
    /// <summary>Name of joint with pre-training forced on.</summary>
    public const string JointPretrainName = "joint-pretrain";

    /// <summary>The six schemes of model.md §6, joint first.</summary>
    public static IReadOnlyList<StudyScheme> All { get; } = SchemeNames.All.Select(s => new StudyScheme(s.ToName(), s, 0)).ToArray();

    /// <summary>Joint with pre-training forced on (M ≥ 1).</summary>
    public static StudyScheme JointPretrain { get; } = new(JointPretrainName, Scheme.Joint, 1);

    /// <summary>Parses a scheme name (those of <see cref="All"/>, or <c>joint-pretrain</c>).</summary>
    public static StudyScheme? Parse(string name) =>
        string.Equals(name, JointPretrainName, StringComparison.OrdinalIgnoreCase) ? JointPretrain
        : SchemeNames.TryParse(name, out Scheme scheme) ? All.First(s => s.Scheme == scheme)
        : null;

    /// <summary>The planner options of this plan.</summary>
    public PlannerOptions PlannerOptions => new() { MinPretrainRounds = MinPretrainRounds };
}

/// <summary>One point of a study: budgets scaled from the scenario's, a shift of the task data and a fleet size. Every
/// scheme is planned in it, for every seed, and trained when <see cref="Train"/> is set.</summary>
/// <param name="Key">Unique name, e.g. <c>e0.5-d1-rotate0-k10</c> (file names, the <c>cell</c> column).</param>
/// <param name="EnergyFactor">Factor on the scenario's energy budget Emax.</param>
/// <param name="DelayFactor">Factor on the scenario's delay budget Tmax.</param>
/// <param name="Shift">The task data's shift.</param>
/// <param name="Devices">Fleet size K.</param>
/// <param name="Sweeps">The sweeps the cell belongs to (<c>energy</c>, <c>delay</c>, <c>shift</c>, <c>devices</c>, <c>grid</c>).</param>
/// <param name="Train">Whether its plans are trained.</param>
public sealed record StudyCell(string Key, double EnergyFactor, double DelayFactor, ShiftConfig Shift, int Devices, IReadOnlyList<string> Sweeps, bool Train);

/// <summary>
/// What a study sweeps (issue 11): one factor at a time around the scenario (energy budget, delay budget, shift, and
/// optionally the fleet size), plus a coarse energy × delay grid for the frontier figure, planned for every scheme and
/// seed, and trained when asked.
/// </summary>
public sealed record StudyGrid
{
    /// <summary>Sweep names, in the order of the <c>sweeps</c> column.</summary>
    public static IReadOnlyList<string> SweepNames { get; } = ["energy", "delay", "shift", "devices", "grid"];

    /// <summary>Factors on Emax of the energy sweep; default ×0.25, ×0.5, ×1, ×2, ×4.</summary>
    public IReadOnlyList<double> EnergyFactors { get; init; } = [0.25, 0.5, 1, 2, 4];

    /// <summary>Factors on Tmax of the delay sweep; default ×0.25 … ×4.</summary>
    public IReadOnlyList<double> DelayFactors { get; init; } = [0.25, 0.5, 1, 2, 4];

    /// <summary>The shift sweep; default rotations 0°, 15°, 30°, 45°, 60°, 90°; null for none.</summary>
    public ShiftSweep? Shift { get; init; } = new(ShiftKind.Rotate, [0, 15, 30, 45, 60, 90]);

    /// <summary>Fleet sizes K of the devices sweep; null (default) for none. A smaller K keeps the scenario's first K
    /// devices; a larger one adds copies of its devices in turn (ids suffixed <c>-cN</c>).</summary>
    public IReadOnlyList<int>? DeviceCounts { get; init; }

    /// <summary>Energy factors of the 2-D grid; default ×0.25 … ×4 in steps of √2; empty for no grid.</summary>
    public IReadOnlyList<double> GridEnergyFactors { get; init; } = Geometric(0.25, 4, 9);

    /// <summary>Delay factors of the 2-D grid; default ×0.25 … ×4 in steps of √2; empty for no grid.</summary>
    public IReadOnlyList<double> GridDelayFactors { get; init; } = Geometric(0.25, 4, 9);

    /// <summary>Seeds of every cell (data, model, minibatches, calibration); default 1, 2, 3.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];

    /// <summary>The plans of every cell; default the six schemes.</summary>
    public IReadOnlyList<StudyScheme> Schemes { get; init; } = StudyScheme.All;

    /// <summary>Train the cells of the one-factor sweeps (else plan only); default false.</summary>
    public bool Train { get; init; }

    /// <summary>Train the 2-D grid's cells too; default false (planning only: the grid has many cells).</summary>
    public bool TrainGrid { get; init; }

    /// <summary>The default grid (five budgets each way, six rotations, three seeds, a 9 × 9 planning grid).</summary>
    public static StudyGrid Default { get; } = new();

    /// <summary>The <c>--quick</c> grid: ×0.5, ×1, ×2 of each budget, rotations 0°, 45°, 90°, one seed, a 5 × 5 planning grid.</summary>
    public static StudyGrid Quick { get; } = new()
    {
        EnergyFactors = [0.5, 1, 2],
        DelayFactors = [0.5, 1, 2],
        Shift = new ShiftSweep(ShiftKind.Rotate, [0, 45, 90]),
        GridEnergyFactors = Geometric(0.25, 4, 5),
        GridDelayFactors = Geometric(0.25, 4, 5),
        Seeds = [1],
    };

    /// <summary><paramref name="count"/> factors from <paramref name="from"/> to <paramref name="to"/> in equal ratios,
    /// rounded to 4 significant digits (so ×√2 is 1.414).</summary>
    public static double[] Geometric(double from, double to, int count) =>
        [.. Enumerable.Range(0, count).Select(i => count == 1 ? from : Round4(from * Math.Pow(to / from, i / (double)(count - 1))))];

    /// <summary>Checks the grid; one line per problem naming the option, the value and the rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Factors("--energy", EnergyFactors, errors, allowEmpty: false);
        Factors("--delay", DelayFactors, errors, allowEmpty: false);
        Factors("--grid-energy", GridEnergyFactors, errors, allowEmpty: true);
        Factors("--grid-delay", GridDelayFactors, errors, allowEmpty: true);
        if ((GridEnergyFactors.Count == 0) != (GridDelayFactors.Count == 0))
        {
            errors.Add("--grid-energy and --grid-delay must both be none (no grid) or both list factors.");
        }

        if (DeviceCounts is { } counts && (counts.Count == 0 || counts.Any(k => k is < 1 or > 100_000)))
        {
            errors.Add($"--devices is '{string.Join(",", counts)}'; every fleet size must be a whole number from 1 to 100000.");
        }

        if (Seeds.Count == 0 || Seeds.Distinct().Count() != Seeds.Count)
        {
            errors.Add($"--seeds is '{string.Join(",", Seeds)}'; it must list at least one seed, each once.");
        }

        if (Schemes.Count == 0 || Schemes.Select(s => s.Name).Distinct().Count() != Schemes.Count)
        {
            errors.Add($"--schemes is '{string.Join(",", Schemes.Select(s => s.Name))}'; it must list at least one scheme, each once.");
        }

        return errors;
    }

    /// <summary>The cells, each once, in a fixed order: the centre (the scenario itself), the energy, delay, shift and
    /// devices sweeps, then the grid. A cell shared by several sweeps (the centre belongs to all) is listed once with
    /// all of them.</summary>
    /// <param name="baseShift">The shift of the centre (the command line's --rotate, --invert, --noise).</param>
    /// <param name="baseDevices">The scenario's fleet size.</param>
    public IReadOnlyList<StudyCell> Cells(ShiftConfig baseShift, int baseDevices)
    {
        ArgumentNullException.ThrowIfNull(baseShift);
        var cells = new List<(double E, double D, ShiftConfig S, int K, List<string> Sweeps, bool Train)>();
        void Add(double e, double d, ShiftConfig s, int k, string sweep, bool train)
        {
            int i = cells.FindIndex(c => c.E == e && c.D == d && c.S == s && c.K == k);
            if (i < 0)
            {
                cells.Add((e, d, s, k, [sweep], train));
                return;
            }

            if (!cells[i].Sweeps.Contains(sweep))
            {
                cells[i].Sweeps.Add(sweep);
            }

            cells[i] = cells[i] with { Train = cells[i].Train || train };
        }

        foreach (double e in EnergyFactors)
        {
            Add(e, 1, baseShift, baseDevices, "energy", Train);
        }

        foreach (double d in DelayFactors)
        {
            Add(1, d, baseShift, baseDevices, "delay", Train);
        }

        if (Shift is { } shift)
        {
            foreach (double level in shift.Levels)
            {
                Add(1, 1, shift.Apply(baseShift, level), baseDevices, "shift", Train);
            }
        }

        foreach (int k in DeviceCounts ?? [])
        {
            Add(1, 1, baseShift, k, "devices", Train);
        }

        foreach (double d in GridDelayFactors)
        {
            foreach (double e in GridEnergyFactors)
            {
                Add(e, d, baseShift, baseDevices, "grid", TrainGrid);
            }
        }

        return [.. cells.Select(c => new StudyCell(Key(c.E, c.D, c.S, c.K), c.E, c.D, c.S,
            c.K, [.. SweepNames.Where(c.Sweeps.Contains)], c.Train))];
    }

    /// <summary>A shift's short name in keys: <c>rotate45</c>, <c>rotate0-invert0.25</c>, …</summary>
    public static string ShiftKey(ShiftConfig shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        string key = "rotate" + G(shift.RotationDegrees);
        if (shift.InvertFraction != 0)
        {
            key += "-invert" + G(shift.InvertFraction);
        }

        if (shift.NoiseStd != 0)
        {
            key += "-noise" + G(shift.NoiseStd);
        }

        return key;
    }

    private static string Key(double e, double d, ShiftConfig s, int k) => $"e{G(e)}-d{G(d)}-{ShiftKey(s)}-k{k}";

    private static string G(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double Round4(double v) => double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void Factors(string option, IReadOnlyList<double> factors, List<string> errors, bool allowEmpty)
    {
        if ((factors.Count == 0 && !allowEmpty) || factors.Any(f => !double.IsFinite(f) || f <= 0 || f > 1000) || factors.Distinct().Count() != factors.Count)
        {
            errors.Add($"{option} is '{string.Join(",", factors.Select(f => f.ToString(CultureInfo.InvariantCulture)))}'; it must list distinct factors greater than 0 and at most 1000{(allowEmpty ? " (or be empty)" : "")}.");
        }
    }
}
