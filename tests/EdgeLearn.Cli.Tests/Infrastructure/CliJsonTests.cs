using System.Text.Json;
using EdgeLearn.Cli.Infrastructure;

namespace EdgeLearn.Cli.Tests.Infrastructure;

public class CliJsonTests
{
    private sealed record Totals(double DelayS, double EnergyJ, double Bound, float Loss, double? Optional, double[] Series);

    [Fact]
    public void FileText_NonFiniteNumbers_AreWrittenAsNull_NotThrown()
    {
        var totals = new Totals(double.PositiveInfinity, double.NaN, double.NegativeInfinity, float.NaN, double.PositiveInfinity, [1.5, double.NaN]);

        var text = CliJson.FileText(totals);

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("delayS").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("energyJ").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("bound").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("loss").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("optional").ValueKind);
        Assert.Equal(1.5, root.GetProperty("series")[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("series")[1].ValueKind);
    }

    [Fact]
    public void FileText_FiniteNumbers_AreNumbersAsBefore()
    {
        var text = CliJson.FileText(new Totals(300, 1e-12, 0.25, 0.5f, null, [2]));

        Assert.Contains("\"delayS\": 300,", text, StringComparison.Ordinal);
        Assert.Contains("\"energyJ\": 1E-12,", text, StringComparison.Ordinal);
        Assert.Contains("\"optional\": null", text, StringComparison.Ordinal);
    }
}
