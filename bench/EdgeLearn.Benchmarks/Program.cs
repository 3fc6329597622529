using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EdgeLearn.Benchmarks;

/// <summary>
/// Runs the benchmarks of this assembly. <c>--dry</c> (used by CI) runs every benchmark once, in process,
/// so benchmarks cannot rot, and exits non-zero if any fails validation or throws; otherwise
/// BenchmarkDotNet's switcher takes the arguments (e.g. <c>--filter *Planner*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (!args.Contains("--dry"))
        {
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return AllSucceeded(summaries) ? 0 : 1;
        }

        // One invocation per case is enough to keep benchmarks from rotting; the largest planner fleets would take minutes.
        Environment.SetEnvironmentVariable(Planning.PlannerSizes.SmallOnly, "1");
        var types = typeof(Program).Assembly.GetTypes().Where(IsBenchmarkClass).ToArray();
        if (types.Length == 0)
        {
            Console.WriteLine("No benchmarks in this assembly; nothing to run.");
            return 0;
        }

        // Job.Dry: one launch, no warm-up, one iteration. In process, so `dotnet run --no-build` needs no rebuild.
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        // A class's own [SimpleJob] would run beside the dry job (real iterations, out of process): keep the dry one only.
        var dry = types.Select(t => BenchmarkConverter.TypeToBenchmarks(t, config))
            .Select(info => new BenchmarkRunInfo([.. info.BenchmarksCases.Where(c => c.Job.Id == Job.Dry.Id)], info.Type, info.Config))
            .ToArray();
        var results = BenchmarkRunner.Run(dry);
        return AllSucceeded(results) ? 0 : 1;
    }

    private static bool IsBenchmarkClass(Type type) =>
        type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        && type.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), inherit: true));

    private static bool AllSucceeded(IEnumerable<Summary> summaries)
    {
        var ok = true;
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors)
            {
                ok = false;
                foreach (var error in summary.ValidationErrors.Where(e => e.IsCritical))
                {
                    Console.Error.WriteLine($"Benchmark validation failed: {error.Message}");
                }
            }

            foreach (var report in summary.Reports.Where(r => !r.Success))
            {
                ok = false;
                Console.Error.WriteLine($"Benchmark failed: {report.BenchmarkCase.DisplayInfo}");
            }

            if (summary.Reports.Length < summary.BenchmarksCases.Length)
            {
                ok = false;
                Console.Error.WriteLine($"Benchmark run incomplete: {summary.Reports.Length} of {summary.BenchmarksCases.Length} reported.");
            }
        }

        return ok;
    }
}
