using System.ComponentModel;
using System.Globalization;
using System.Net;
using EdgeLearn.Cli.Commands.Planning.Internal;
using EdgeLearn.Cli.Commands.Training;
using EdgeLearn.Cli.Commands.Training.Internal;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Federation.Security;
using EdgeLearn.Federation.Server;
using EdgeLearn.Planning;
using EdgeLearn.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EdgeLearn.Cli.Commands.Federation;

/// <summary>Settings of <c>edgelearn server</c>: train's data, model and run options, the plan, and where and how to serve.</summary>
internal sealed class ServerSettings : TrainingRunSettings
{
    /// <summary>Plan file.</summary>
    [CommandOption("--plan <FILE>")]
    [Description("Plan JSON file to run (e.g. from 'edgelearn plan --json FILE'). Default: the joint plan of the scenario, planned now.")]
    public string? PlanPath { get; init; }

    /// <summary>Listen address.</summary>
    [CommandOption("--listen <HOST:PORT>")]
    [Description("Address and port to listen on: an IP address or localhost, and a port (0: a free one, printed on stderr). Default: 127.0.0.1:50051.")]
    public string Listen { get; init; } = "127.0.0.1:50051";

    /// <summary>State file.</summary>
    [CommandOption("--state <FILE>")]
    [Description("SQLite state file: every round is committed to it; a server restarted with the same file resumes at the first uncommitted round. Required.")]
    public string? State { get; init; }

    /// <summary>Certificates.</summary>
    [CommandOption("--certs <DIR>")]
    [Description("The folder 'edgelearn federation provision' wrote (or its server/ kit): the server's certificate and key and the CA that issued the devices'. Required unless --insecure.")]
    public string? Certs { get; init; }

    /// <summary>Plaintext.</summary>
    [CommandOption("--insecure")]
    [Description("Serve plaintext HTTP/2 without certificates, for a local demo only: any process can then act as any device.")]
    public bool Insecure { get; init; }

    /// <summary>Round timeout.</summary>
    [CommandOption("--round-timeout <SECONDS>")]
    [Description("Wall-clock seconds a fine-tuning round waits for the devices' updates; a device that misses it is dropped for that round (the others are aggregated with their weights renormalised). Default: 300.")]
    public double RoundTimeoutS { get; init; } = 300;

    /// <summary>The plan read from <see cref="PlanPath"/>; null to plan joint now. Valid after <see cref="Validate"/>.</summary>
    public Plan? Plan { get; private set; }

    /// <summary>The listen endpoint; valid after <see cref="Validate"/>.</summary>
    public IPEndPoint Endpoint { get; private set; } = new(IPAddress.Loopback, 50051);

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Option, string? Path)> InputPaths => [.. base.InputPaths, ("--plan", PlanPath), ("--state", State), ("--certs", Certs)];

    /// <inheritdoc/>
    public override ValidationResult Validate()
    {
        var lines = new List<string>();
        var baseResult = base.Validate();
        if (!baseResult.Successful)
        {
            lines.Add(baseResult.Message ?? "The settings are invalid.");
        }

        if (SeedList is not null)
        {
            lines.Add($"--seeds is '{SeedList}'; a server runs one seed: give --seed S.");
        }

        if (State is null)
        {
            lines.Add("--state is missing; it must name the SQLite file the server commits every round to (e.g. --state state.db).");
        }
        else if (Directory.Exists(State))
        {
            lines.Add($"--state is '{State}', a folder; it must be a file (e.g. {Path.Combine(State, "state.db")}).");
        }

        if (Certs is null && !Insecure)
        {
            lines.Add("--certs is missing; it must name the folder 'edgelearn federation provision' wrote, or give --insecure for a plaintext local demo.");
        }
        else if (Certs is not null && Insecure)
        {
            lines.Add("--certs and --insecure were both given; give one.");
        }

        if (!(RoundTimeoutS > 0 && RoundTimeoutS <= 86_400))
        {
            lines.Add(FormattableString.Invariant($"--round-timeout is {RoundTimeoutS}; it must be more than 0 and at most 86400 seconds."));
        }

        if (FederationText.ParseEndpoint(Listen) is { } endpoint)
        {
            Endpoint = endpoint;
        }
        else
        {
            lines.Add($"--listen is '{Listen}'; it must be HOST:PORT with HOST an IP address or localhost and PORT 0 to 65535 (e.g. 127.0.0.1:50051).");
        }

        if (PlanPath is not null && baseResult.Successful)
        {
            Plan = PlanFile.Load(PlanPath, Scenario, lines)?.Plan;
        }

        return lines.Count > 0 ? ValidationResult.Error(string.Join("\n", lines)) : ValidationResult.Success();
    }
}

/// <summary>
/// <c>edgelearn server</c>: runs a plan as the server of a real federation — the M pre-training rounds on its general
/// data, then the N fine-tuning rounds with device agents (<c>edgelearn device</c>) over gRPC with mutual TLS — and
/// writes what <c>train</c> writes (summary.json, rounds.csv, rounds.json, plan.json, training.png, the weights) plus
/// federation.json (misses, traffic, wall-clock per round). Every round is committed to --state; a restart with the
/// same file resumes. Exit code 2 for bad input, 3 for a plan that breaks the scenario's constraints.
/// </summary>
internal sealed class ServerCommand(CliOutput output) : Command<ServerSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ServerSettings settings, CancellationToken cancellationToken)
    {
        output.Warn(settings.Warnings);
        var scenario = settings.Scenario;
        Plan plan = settings.Plan ?? PlanJoint(settings, cancellationToken);
        var violated = PlanEvaluator.Evaluate(scenario, plan).Violations;
        if (violated.Count > 0 && !settings.AllowViolations)
        {
            throw new UserInputException(ExitCodes.Infeasible,
                [$"Unable to serve: the plan {PlanText.Violates(violated)}; fix the plan, or add --allow-violations to run it anyway."]);
        }

        var kit = LoadCertificates(settings);
        int seed = settings.Seeds[0];
        var data = TrainingDataLoader.Load(settings, scenario, seed);
        var options = settings.TrainingOptions with { Seed = seed };
        if (!TwoStageTrainer.TryCreate(scenario, plan, data, options, out var trainer, out var problems))
        {
            throw new UserInputException([.. problems.Select(p => $"Unable to serve: {p}")]);
        }

        var identity = FederatedRun.Identity(scenario, data, trainer.ParameterCount, seed);
        var provenance = RunProvenance.Create(output, context, settings, scenario) with
        {
            PlanSha256 = Provenance.PlanHash(plan),
            InitialWeightsSha256 = settings.InitialWeightsSha256,
            Dataset = data.Source.Config.BaseDataset,
            Seeds = [seed],
            Data = [new DataIdentity(seed, data.Source.General.Count, data.Source.Task.Count, data.Source.TaskTest.Count, identity.DataSha256)],
        };
        using OutputFolder? folder = settings.Out is { } path ? OutputFolder.Create(path, settings.Force) : null;
        if (kit is null)
        {
            output.Warn("warning: --insecure: serving plaintext HTTP/2 without certificates; any process that reaches the port can act as any device. Use it for local demos only.");
        }

        var run = new FederatedRunOptions
        {
            StatePath = settings.State!,
            RoundTimeout = TimeSpan.FromSeconds(settings.RoundTimeoutS),
            Server = new FederationServerOptions { Listen = settings.Endpoint, Certificates = kit },
            // Refusals and dropped devices are warnings (shown with --quiet too); registrations and the end are status.
            Log = line =>
            {
                if (line.StartsWith("refused", StringComparison.Ordinal) || line.Contains("round timeout", StringComparison.Ordinal))
                {
                    output.Warn($"server: {line}");
                }
                else
                {
                    output.Status($"server: {line}");
                }
            },
            Listening = address => output.Status(
                $"Serving the {plan.Scheme.ToName()} plan on scenario '{scenario.Name}' at {address} ({(kit is null ? "plaintext, --insecure" : "mutual TLS")}): M = {plan.PretrainRounds}, N = {plan.FinetuneRounds}, {scenario.Devices.Count} devices ({string.Join(", ", scenario.Devices.Select(d => d.Id).Take(5))}{(scenario.Devices.Count > 5 ? ", …" : "")}); state {settings.State}; seed {seed}."),
        };
        FederatedResult result;
        try
        {
            result = TrainingProgress.Run(output, "", plan, progress =>
                FederatedRun.RunAsync(trainer, scenario, plan, identity, options, run, progress, cancellationToken).GetAwaiter().GetResult());
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"--state is '{settings.State}'; {e.Message}");
        }
        catch (IOException e) when (e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--listen is '{settings.Listen}'; the server cannot listen there ({e.Message.TrimEnd('.')}).");
        }
        catch (TrainingDivergedException e)
        {
            throw new UserInputException($"Unable to train: {e.Message} The committed rounds are in {settings.State}.");
        }

        var summary = result.Training.Summary with { Provenance = provenance };
        var training = result.Training with { Summary = summary };
        output.Console.Write(TrainingOutput.PlanVersusActual(summary));
        foreach (string line in TrainingOutput.ViolationLines(summary))
        {
            output.Console.MarkupLine(Markup.Escape(line));
        }

        output.Console.Write(TrainingOutput.Run(summary));
        output.Console.MarkupLine(Markup.Escape(FederationText.Describe(result, scenario.Devices.Count)));
        if (folder is not null)
        {
            TrainingOutput.WriteRun(folder, training, plan);
            WeightFiles.Write(folder, training);
            folder.WriteJson("federation.json", FederationSummary.From(result, scenario, run.RoundTimeout, kit is not null));
            folder.Commit();
            output.Status($"Wrote summary.json, rounds.csv, rounds.json, plan.json, training.png, federation.json and the weights to {folder.Path}.");
        }

        return ExitCodes.Ok;
    }

    private static CertificateKit? LoadCertificates(ServerSettings settings)
    {
        if (settings.Certs is null)
        {
            return null;
        }

        try
        {
            return CertificateKit.Server(settings.Certs);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new UserInputException($"--certs is '{settings.Certs}'; {e.Message}");
        }
    }

    private Plan PlanJoint(ServerSettings settings, CancellationToken cancellationToken)
    {
        var result = PlanningDisplay.Run(output, progress => Planner.Plan(settings.Scenario, Scheme.Joint, null, progress, cancellationToken));
        if (PlanText.NotConvergedWarning(result) is { } warning) output.Warn(warning);
        if (result.HasPlan) return result.Plan;
        var (why, exitCode) = PlanText.NoPlan(result);
        throw new UserInputException(exitCode, [$"Unable to serve: the joint scheme has no {(result.IsInfeasible ? "feasible " : "")}plan; {why}"]);
    }
}

/// <summary>federation.json: what the federation saw besides the training (docs/formats.md, "Federation").</summary>
/// <param name="RunId">The run's id (the state file's).</param>
/// <param name="Secure">Whether mutual TLS was used.</param>
/// <param name="ResumedAfterRound">The committed round the last start resumed after; null when it started afresh.</param>
/// <param name="Devices">K.</param>
/// <param name="RoundTimeoutS">The wall-clock round timeout, s.</param>
/// <param name="FinetuneRounds">Fine-tuning rounds run by this start of the server.</param>
/// <param name="MeanRoundWallClockS">Mean wall-clock seconds from a round's opening to its closing (this start).</param>
/// <param name="MaxRoundWallClockS">The slowest round's, s.</param>
/// <param name="AssignmentBytesPerDevice">Mean serialized size of an assignment (model included), bytes.</param>
/// <param name="UpdateBytesPerDevice">Mean serialized size of an accepted update (gradient included), bytes.</param>
/// <param name="Misses">Every miss: round, device, reason, refusal code.</param>
/// <param name="ReportedEnergyJ">Σ of the energies the devices reported with their accepted updates, J.</param>
internal sealed record FederationSummary(string RunId, bool Secure, int? ResumedAfterRound, int Devices, double RoundTimeoutS, int FinetuneRounds,
    double MeanRoundWallClockS, double MaxRoundWallClockS, double AssignmentBytesPerDevice, double UpdateBytesPerDevice,
    IReadOnlyList<FederationSummary.MissRow> Misses, double ReportedEnergyJ)
{
    /// <summary>One miss.</summary>
    /// <param name="Round">Fine-tuning round.</param>
    /// <param name="Device">Device id.</param>
    /// <param name="Reason">"timeout" or the refusal.</param>
    /// <param name="Refused">The refusal code's name, or null for a timeout.</param>
    internal sealed record MissRow(int Round, string Device, string Reason, string? Refused);

    /// <summary>Builds it from a run.</summary>
    public static FederationSummary From(FederatedResult result, EdgeLearn.Scenarios.Scenario scenario, TimeSpan timeout, bool secure)
    {
        var traffic = result.Traffic;
        return new FederationSummary(
            result.RunId, secure, result.ResumedAfterRound, scenario.Devices.Count, timeout.TotalSeconds, traffic.RoundSeconds.Count,
            traffic.RoundSeconds.Count == 0 ? 0 : traffic.RoundSeconds.Average(), traffic.RoundSeconds.Count == 0 ? 0 : traffic.RoundSeconds.Max(),
            traffic.Assignments == 0 ? 0 : (double)traffic.AssignmentBytes / traffic.Assignments,
            traffic.Updates == 0 ? 0 : (double)traffic.UpdateBytes / traffic.Updates,
            [.. result.Misses.Select(m => new MissRow(m.Round, m.DeviceId, m.Reason,
                m.Refused == EdgeLearn.Federation.Protocol.RefusalReason.Unspecified ? null : RoundCoordinator.ReasonName(m.Refused)))],
            result.Reports.Sum(r => r.EnergyJ));
    }
}

/// <summary>Parsing and wording shared by <c>server</c> and <c>device</c>.</summary>
internal static class FederationText
{
    /// <summary>HOST:PORT with HOST an IP address (IPv6 in brackets) or localhost; null when it is not one.</summary>
    public static IPEndPoint? ParseEndpoint(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return null;
        }

        string host = value[..colon].Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : null;
    }

    /// <summary>One line on what the federation saw.</summary>
    public static string Describe(FederatedResult result, int devices)
    {
        var traffic = result.Traffic;
        string rounds = traffic.RoundSeconds.Count == 0
            ? "no fine-tuning round ran in this start"
            : FormattableString.Invariant($"{traffic.RoundSeconds.Count} fine-tuning rounds at {traffic.RoundSeconds.Average():F3} s wall-clock each (slowest {traffic.RoundSeconds.Max():F3} s)");
        string bytes = traffic.Updates == 0 ? "" : FormattableString.Invariant(
            $", {traffic.AssignmentBytes / (double)Math.Max(1, traffic.Assignments) / 1024:F0} KiB down and {traffic.UpdateBytes / (double)traffic.Updates / 1024:F0} KiB up per device and round");
        string misses = result.Misses.Count == 0 ? "no misses" : $"{result.Misses.Count} misses ({string.Join(", ", result.Misses.Take(5).Select(m => $"{m.DeviceId} in round {m.Round}: {m.Reason}"))}{(result.Misses.Count > 5 ? ", …" : "")})";
        string resumed = result.ResumedAfterRound is { } r ? $"; resumed after round {r}" : "";
        return $"Federation: {devices} devices, {rounds}{bytes}; {misses}{resumed}.";
    }
}
