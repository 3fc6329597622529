using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EdgeLearn.Benchmarks.Learning;

/// <summary>Adds a samples-per-second column (1 / time per operation) for benchmarks whose operation is one training sample.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new SamplesPerSecondColumn());
    }

    private sealed class SamplesPerSecondColumn : IColumn
    {
        public string Id => nameof(SamplesPerSecondColumn);

        public string ColumnName => "Samples/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Training samples per second (forward + backward + SGD), 1e9 / mean ns per sample";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (1e9 / mean.Value).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "NA";
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
