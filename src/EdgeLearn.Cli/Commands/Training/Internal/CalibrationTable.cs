using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Scenarios;
using EdgeLearn.Training.Calibration;
using Spectre.Console;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary><c>calibrate</c>'s table of fitted constants, sized to fit 80 columns whatever the values.</summary>
internal static class CalibrationTable
{
    /// <summary>One row per constant: symbol, its field under <c>learning.</c>, value, spread over the pilots, the input
    /// scenario's value and the seconds of the measurement it came from.</summary>
    /// <param name="title">The table's title.</param>
    /// <param name="constants">The fitted constants.</param>
    /// <param name="before">The input scenario's learning constants ("was").</param>
    public static Table Of(string title, IEnumerable<CalibratedConstant> constants, LearningSpec before)
    {
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle(Markup.Escape(title)) };
        table.AddColumn("symbol");
        table.AddColumn("learning.");
        table.AddColumn(new TableColumn("value").RightAligned());
        table.AddColumn(new TableColumn("spread").RightAligned());
        table.AddColumn(new TableColumn("was").RightAligned());
        table.AddColumn(new TableColumn("s").RightAligned());
        foreach (var c in constants)
        {
            table.AddRow(Markup.Escape(c.Symbol), Markup.Escape(c.Field.Replace("learning.", "", StringComparison.Ordinal)), CellText.Fit(c.Value, 8),
                CellText.Fit(c.Spread, 6, 2), Was(c.Name, before), CellText.Fit(c.Compute.Seconds, 5, 2));
        }

        table.Caption = new TableTitle("value = mean over the pilots, spread = their standard deviation, was = the input scenario's value, s = seconds of the measurement it came from; the report file says how each was measured");
        return table;
    }

    private static string Was(string name, LearningSpec l) => name switch
    {
        "smoothness" => W(l.Smoothness),
        "stepSize" => W(l.StepSize),
        "pretrainStepSize" => W(l.PretrainStepSize),
        "plConstant" => W(l.PlConstant),
        "gradientVariance" => W(l.GradientVariance),
        "pretrainGradientVariance" => W(l.PretrainGradientVariance),
        "pretrainInitialGap" => W(l.PretrainInitialGap),
        "targetInitialGap" => W(l.TargetInitialGap),
        "shift.gap" => W(l.Shift.Gap),
        "shift.wasserstein" => W(l.Shift.Wasserstein),
        "shift.dataLipschitz" => W(l.Shift.DataLipschitz),
        _ => string.Empty,
    };

    private static string W(double value) => CellText.Fit(value, 7);
}
