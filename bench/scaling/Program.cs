using System.Globalization;
using ScottPlot;

namespace EdgeLearn.ScalingPlot;

/// <summary>
/// Draws docs/img/scaling.png from docs/scaling.csv (rows what,K,seconds,peak_mb as bench/scaling/measure.sh writes
/// them, plus the fixed solve's rows from BenchmarkDotNet): time and peak memory against the fleet size K, log-log, with
/// the targets of issue 10 marked. Usage: dotnet run --project bench/scaling -- docs/scaling.csv docs/img/scaling.png
/// </summary>
public static class Program
{
    private static readonly (string What, string Label)[] Series =
    [
        ("generate", "scenario generate"),
        ("fixed-solve", "fixed-(M, N) solve, cold (library)"),
        ("plan", "plan --json"),
        ("compare", "compare --json (6 schemes)"),
    ];

    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: EdgeLearn.ScalingPlot SCALING.csv OUT.png");
            return 2;
        }

        var rows = File.ReadAllLines(args[0]).Skip(1).Where(l => l.Length > 0).Select(Row.Parse).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(1, 2);
        Plot time = multiplot.GetPlot(0), memory = multiplot.GetPlot(1);
        foreach (var (what, label) in Series)
        {
            var own = rows.Where(r => r.What == what).OrderBy(r => r.K).ToArray();
            if (own.Length == 0) continue;
            var line = time.Add.Scatter(own.Select(r => Math.Log10(r.K)).ToArray(), own.Select(r => Math.Log10(r.Seconds)).ToArray());
            line.LegendText = label;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            var measured = own.Where(r => r.PeakMb is not null).ToArray();
            if (measured.Length == 0) continue;
            var peak = memory.Add.Scatter(measured.Select(r => Math.Log10(r.K)).ToArray(), measured.Select(r => Math.Log10(r.PeakMb!.Value)).ToArray());
            peak.LegendText = label;
            peak.LineWidth = 2;
            peak.MarkerSize = 7;
            peak.Color = line.Color;
        }

        // Issue 10's targets, set on the library's times (BenchmarkDotNet, docs/performance.md), which the tool's lines
        // here include: plan under 2 s at 10,000 and 10 s at 100,000; compare under 60 s at 100,000; fixed solve under
        // 50 ms at 10,000; 300 MB at 100,000.
        (double K, double Seconds, string Label)[] timeTargets = [(1e4, 2, "target, library plan: 2 s"), (1e5, 10, "library plan: 10 s"), (1e5, 60, "library compare: 60 s"), (1e4, 0.05, "solve: 50 ms")];
        foreach (var (k, seconds, label) in timeTargets)
        {
            var marker = time.Add.Marker(Math.Log10(k), Math.Log10(seconds), MarkerShape.OpenTriangleDown, 12, Colors.Red);
            time.Add.Text(label, Math.Log10(k) + 0.08, Math.Log10(seconds)).LabelFontSize = 11;
            _ = marker;
        }

        memory.Add.Marker(5, Math.Log10(300), MarkerShape.OpenTriangleDown, 12, Colors.Red);
        memory.Add.Text("300 MB", 5.08, Math.Log10(300)).LabelFontSize = 11;

        double[] ks = rows.Select(r => (double)r.K).ToArray();
        Decades(time, bottom: true, ks);
        Decades(time, bottom: false, rows.Select(r => r.Seconds));
        Decades(memory, bottom: true, ks);
        Decades(memory, bottom: false, rows.Where(r => r.PeakMb is not null).Select(r => r.PeakMb!.Value));
        time.Title("Time against fleet size K (2 vCPUs)");
        time.XLabel("devices K");
        time.YLabel("seconds");
        memory.Title("Peak resident memory");
        memory.XLabel("devices K");
        memory.YLabel("MB");
        time.ShowLegend(Alignment.UpperLeft);
        memory.ShowLegend(Alignment.UpperLeft);
        multiplot.SavePng(args[1], 1400, 600);
        Console.WriteLine($"Wrote {args[1]} from {rows.Length} measurements.");
        return 0;
    }

    /// <summary>Log axis: values are log10; ticks at every power of ten the values span, labelled 10, 1,000, 0.01 ….</summary>
    private static void Decades(Plot plot, bool bottom, IEnumerable<double> values)
    {
        double[] v = values.Where(x => x > 0).ToArray();
        int lo = (int)Math.Floor(Math.Log10(v.Min())), hi = (int)Math.Ceiling(Math.Log10(v.Max()));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int e = lo; e <= hi; e++)
        {
            string label = e >= 0 ? Math.Pow(10, e).ToString("N0", CultureInfo.InvariantCulture)
                : e >= -3 ? Math.Pow(10, e).ToString("0.###", CultureInfo.InvariantCulture)
                : FormattableString.Invariant($"1e{e}");
            ticks.AddMajor(e, label);
            for (int m = 2; m < 10 && e < hi; m++) ticks.AddMinor(e + Math.Log10(m));
        }

        if (bottom)
        {
            plot.Axes.Bottom.TickGenerator = ticks;
            plot.Axes.SetLimitsX(lo - 0.1, hi + 0.3); // room for the last label
        }
        else
        {
            plot.Axes.Left.TickGenerator = ticks;
            plot.Axes.SetLimitsY(lo - 0.1, hi + 0.1);
        }
    }

    /// <summary>One measurement: what ran, at which K, how long, and its peak memory (none for library timings).</summary>
    private sealed record Row(string What, int K, double Seconds, double? PeakMb)
    {
        public static Row Parse(string line)
        {
            var f = line.Split(',');
            return new Row(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture),
                f.Length > 3 && f[3].Length > 0 ? double.Parse(f[3], CultureInfo.InvariantCulture) : null);
        }
    }
}
