using System.ComponentModel;
using System.Globalization;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Scenarios;

/// <summary>Settings of <c>edgelearn scenario show</c>: the scenario and an optional JSON copy of it.</summary>
internal sealed class ShowScenarioSettings : ScenarioSettings
{
    /// <summary>Scenario JSON output file; none when absent.</summary>
    [CommandOption("--json <FILE>")]
    [Description("Also write the scenario (the default one without --scenario) as an editable JSON file (docs/formats.md) to FILE, atomically; it loads back identically.")]
    public string? Json { get; init; }

    /// <inheritdoc/>
    public override ValidationResult Validate() =>
        OutputPath.CheckFile("--json", Json) is { Successful: false } json ? json
        : OutputPath.CheckDistinct([("--scenario", ScenarioPath)], [("--json", Json)]) is { Successful: false } same ? same
        : base.Validate();
}

/// <summary><c>edgelearn scenario show [--scenario FILE] [--json FILE]</c>: the scenario as readable tables, and optionally
/// as a JSON file to edit (the way to start from the default scenario).</summary>
internal sealed class ShowScenarioCommand(CliOutput output) : Command<ShowScenarioSettings>
{
    /// <summary>Devices listed before the table is cut short.</summary>
    public const int MaxDeviceRows = 50;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, ShowScenarioSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var s = settings.Scenario;
        var console = output.Console;
        console.MarkupLineInterpolated($"[bold]Scenario '{s.Name}'[/] from {settings.Source}: {s.Devices.Count} devices");
        console.WriteLine();
        console.Write(Devices(s));
        console.Write(System(s));
        console.Write(Learning(s.Learning));
        if (settings.Json is { } path)
        {
            AtomicFile.WriteAllText(path, ScenarioJson.Serialize(s));
            output.Status($"Wrote the scenario '{s.Name}' ({s.Devices.Count} devices) to {path}.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>One row per device; short headers and numbers sized to their columns, so the table fits 80 columns;
    /// the units in the caption.</summary>
    private static Table Devices(Scenario s)
    {
        var table = new Table { Title = new TableTitle("Devices"), Border = TableBorder.Rounded };
        table.AddColumn(new TableColumn("id").NoWrap());
        foreach (var column in new[] { "fmax", "kappa", "c", "Pmax", "W", "gain", "Dk", "bmax" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var d in s.Devices.Take(MaxDeviceRows))
        {
            table.AddRow(
                Markup.Escape(PlanText.ShortId(d.Id)),
                Compact(d.MaxFrequencyHz / 1e9, 4),
                Number(d.Kappa, "G2"),
                Number(d.CyclesPerSample, "G2"),
                Compact(d.MaxPowerW, 4),
                Compact(d.BandwidthHz / 1e6, 4),
                Number(PathLoss.ToDb(d.ChannelGain), "0.0"),
                Compact(d.DatasetSize, 6),
                Compact(d.MaxBatch, 6));
        }

        string shown = s.Devices.Count > MaxDeviceRows ? $"first {MaxDeviceRows} of {s.Devices.Count} devices; " : string.Empty;
        table.Caption = new TableTitle(
            $"{shown}fmax in GHz, kappa = effective capacitance, c = cycles per sample, Pmax in W, W = bandwidth in MHz, gain = channel gain in dB, Dk = samples, bmax = max batch");
        return table;
    }

    private static Table System(Scenario s)
    {
        var table = new Table { Title = new TableTitle("Server, channel and budgets"), Border = TableBorder.Rounded };
        table.AddColumn("quantity");
        table.AddColumn("JSON");
        table.AddColumn(new TableColumn("value").RightAligned());
        Row(table, "server max freq. f0max (GHz)", "server.maxFrequencyHz", Number(s.Server.MaxFrequencyHz / 1e9, "0.###"));
        Row(table, "server capacitance kappa0", "server.kappa", Number(s.Server.Kappa, "G3"));
        Row(table, "server cycles per sample c0", "server.cyclesPerSample", Number(s.Server.CyclesPerSample, "G3"));
        Row(table, "server max batch B0max", "server.maxBatch", Number(s.Server.MaxBatch, "0"));
        Row(table, "noise PSD N0 (W/Hz)", "channel.noisePsdWPerHz", Number(s.Channel.NoisePsdWPerHz, "G4"));
        Row(table, "noise PSD N0 (dBm/Hz)", string.Empty, Number(PathLoss.ToDb(s.Channel.NoisePsdWPerHz) + 30, "0.0"));
        Row(table, "upload size S (bits)", "model.uploadBits", Compact(s.Model.UploadBits, 14));
        Row(table, "downlink delay tdl (s)", "downlink.delayS", Number(s.Downlink.DelayS, "G4"));
        Row(table, "downlink energy edl (J)", "downlink.energyJ", Number(s.Downlink.EnergyJ, "G4"));
        Row(table, "energy budget Emax (J)", "budget.energyJ", Number(s.Budget.EnergyJ, "G6"));
        Row(table, "delay budget Tmax (s)", "budget.delayS", Number(s.Budget.DelayS, "G6"));
        Row(table, "max pre-training rounds Mmax", "limits.maxPretrainRounds", Number(s.Limits.MaxPretrainRounds, "0"));
        Row(table, "max fine-tuning rounds Nmax", "limits.maxFinetuneRounds", Number(s.Limits.MaxFinetuneRounds, "0"));
        return table;
    }

    private static Table Learning(LearningSpec l)
    {
        var table = new Table { Title = new TableTitle("Learning constants (docs/model.md §4)"), Border = TableBorder.Rounded };
        table.AddColumn("constant");
        table.AddColumn("JSON (learning.)");
        table.AddColumn(new TableColumn("value").RightAligned());
        Row(table, "smoothness L", "smoothness", Number(l.Smoothness, "G6"));
        Row(table, "step size eta", "stepSize", Number(l.StepSize, "G6"));
        Row(table, "pre-training step size eta0", "pretrainStepSize", Number(l.PretrainStepSize, "G6"));
        Row(table, "PL constant mu", "plConstant", Number(l.PlConstant, "G6"));
        Row(table, "gradient variance sigma²", "gradientVariance", Number(l.GradientVariance, "G6"));
        Row(table, "pre-training variance sigma0²", "pretrainGradientVariance", Number(l.PretrainGradientVariance, "G6"));
        Row(table, "initial general gap Phi0", "pretrainInitialGap", Number(l.PretrainInitialGap, "G6"));
        Row(table, "initial target gap Phi", "targetInitialGap", Number(l.TargetInitialGap, "G6"));
        Row(table, "Wasserstein distance W1", "shift.wasserstein", Number(l.Shift.Wasserstein, "G6"));
        Row(table, "data Lipschitz constant G", "shift.dataLipschitz", Number(l.Shift.DataLipschitz, "G6"));
        if (l.Shift.OptimumGap is { } optimumGap)
        {
            Row(table, "optimum gap Gamma* = F0* - F*", "shift.optimumGap", Number(optimumGap, "G6"));
        }

        if (l.Shift.MeasuredGap is { } gap)
        {
            Row(table, "shift gap Gamma (measured)", "shift.gap", Number(gap, "G6"));
            Row(table, "G W1 (unused: Gamma is)", string.Empty, Number(l.Shift.Wasserstein * l.Shift.DataLipschitz, "G6"));
        }
        else
        {
            Row(table, "shift gap Gamma = G W1", string.Empty, Number(l.Shift.Gap, "G6"));
        }
        return table;
    }

    private static void Row(Table table, string quantity, string json, string value) =>
        table.AddRow(Markup.Escape(quantity), Markup.Escape(json), value);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Compact(double value, int width) => CellText.Fit(value, width, 3);
}
