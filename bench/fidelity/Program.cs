using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeLearn.Fidelity;

/// <summary>
/// The fidelity benchmark of the calibrated bound (issue 7): calibrates every setting of the grid, plans every scheme,
/// trains each for real and writes docs/fidelity.md with the targets and every table. Runs on the study engine of
/// <c>edgelearn study</c> (one study per dataset); resumable: results are the study's cell files.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/fidelity -- [--out DIR] [--report FILE] [--seeds 1,2,3]
/// [--parts mnist,fashion,rotation] [--cache DIR] [--pilot-batch B] [--report-only] [--tiny]</c>. <c>--tiny</c> runs a seconds-long version
/// on synthetic data (CI), writing its report into the output folder unless --report is given. Results are the study
/// engine's cell files under <c>DIR/study-DATASET/</c>, each with a fingerprint of its options: a run with other options
/// (--pilot-batch) into the same --out computes its cells afresh instead of mixing them.
/// </remarks>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = Arguments.Parse(args);
        if (options.Error is { } error)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        Grid grid = options.Tiny ? Grid.Tiny() : Grid.Full(options.Seeds, options.Parts);
        if (options.PilotBatch is { } batch)
        {
            grid = grid with { Calibration = grid.Calibration with { PilotBatch = batch }, Description = grid.Description + $"; pilot batch {batch}" };
        }
        var clock = Stopwatch.StartNew();
        var runner = new Runner(grid, options.Out, options.Cache, Console.Error);
        if (!options.ReportOnly)
        {
            runner.Run();
        }

        var (runs, calibrations) = runner.Load();
        // The command that produces these results (a --report-only regeneration shows the run it reports on).
        string command = "dotnet run -c Release --project bench/fidelity -- " + string.Join(" ", Without(args, "--report-only", "--report"));
        string markdown = new Report(grid, runs, calibrations).Markdown(command, Machine());
        string report = options.Report ?? (options.Tiny ? Path.Combine(options.Out, "fidelity.md") : Path.Combine("docs", "fidelity.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(report))!);
        File.WriteAllText(report + ".tmp", markdown);
        File.Move(report + ".tmp", report, overwrite: true);
        Console.Error.WriteLine($"Wrote {report} ({runs.Count} runs, {calibrations.Count} calibrations, {clock.Elapsed.TotalMinutes:F1} min).");
        return 0;
    }

    /// <summary>The arguments without the given options (and the value of those that take one).</summary>
    private static IEnumerable<string> Without(string[] args, string flag, string option)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == flag)
            {
                continue;
            }

            if (args[i] == option)
            {
                i++;
                continue;
            }

            yield return args[i];
        }
    }

    private static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return $"{Environment.ProcessorCount} cores ({cpu}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private sealed record Arguments(string Out, string? Report, IReadOnlyList<int> Seeds, IReadOnlySet<string> Parts, string? Cache, bool ReportOnly, bool Tiny, string? Error)
    {
        /// <summary>Pilot batch of every calibration (null: the default).</summary>
        public int? PilotBatch { get; init; }

        public static Arguments Parse(string[] args)
        {
            string output = Path.Combine("runs", "fidelity");
            string? report = null, cache = null;
            IReadOnlyList<int> seeds = [1, 2, 3];
            IReadOnlySet<string> parts = new HashSet<string> { "mnist", "fashion", "rotation" };
            bool reportOnly = false, tiny = false;
            int? pilotBatch = null;
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                try
                {
                    switch (args[i])
                    {
                        case "--out": output = Next(); break;
                        case "--report": report = Next(); break;
                        case "--cache": cache = Next(); break;
                        case "--seeds": seeds = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                        case "--parts": parts = Next().Split(',').ToHashSet(); break;
                        case "--report-only": reportOnly = true; break;
                        case "--tiny": tiny = true; break;
                        case "--pilot-batch":
                            pilotBatch = int.Parse(Next(), CultureInfo.InvariantCulture);
                            if (pilotBatch < 1)
                            {
                                throw new ArgumentException("it must be at least 1.");
                            }

                            break;
                        default: return new Arguments(output, report, seeds, parts, cache, reportOnly, tiny, $"unknown option {args[i]}; see the remarks of bench/fidelity/Program.cs.");
                    }
                }
                catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
                {
                    return new Arguments(output, report, seeds, parts, cache, reportOnly, tiny, $"{args[i]}: {e.Message}");
                }
            }

            if (tiny)
            {
                output = args.Contains("--out") ? output : Path.Combine(Path.GetTempPath(), $"edgelearn-fidelity-tiny-{Guid.NewGuid():N}");
            }

            return new Arguments(output, report, seeds, parts, cache, reportOnly, tiny, null) { PilotBatch = pilotBatch };
        }
    }
}
