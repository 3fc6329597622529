using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

/// <summary>The implicit derivatives that the joint Newton step of the fixed-(M, N) solve is built on, against
/// central differences of the device's own price search and energy.</summary>
public class DeadlineSlopesTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    private static (double Pi, double Energy) SolveAt(in DeviceModel d, double lambda, double tau)
    {
        double pi = 0;
        d.SolveDeadline(lambda, tau, ref pi, 1e-15);
        d.Respond(lambda, pi, out double b, out double tc, out double tu);
        return (pi, d.Energy(b, tc, tu));
    }

    [Fact]
    public void Slopes_MatchCentralDifferences_OnRandomDevicesPricesAndDeadlines()
    {
        var random = new Random(11);
        int compared = 0;
        for (int trial = 0; trial < 1000; trial++)
        {
            var spec = Default.Devices[random.Next(Default.Devices.Count)];
            double a = Math.Exp(random.NextDouble() * 8 - 6);
            // Wide boxes, and the narrow [b, b + 1] boxes that integer rounding solves in.
            double lo = 1 + random.Next(300), hi = random.Next(2) == 0 ? 600 : lo + 1;
            var d = DeviceModel.Create(spec, Default.Channel.NoisePsdWPerHz, Default.Model.UploadBits, a, lo, hi, fixedSpeed: false);
            double lambda = Math.Exp(random.NextDouble() * 20 - 14);
            double tau = d.MinTime * (1 + Math.Exp(random.NextDouble() * 8 - 6));
            double pi = 0, exponent = 0;
            d.SolveDeadline(lambda, tau, ref pi, ref exponent, 1e-15, 100, withEnergy: true, out var s);

            const double h = 1e-6;
            var later = SolveAt(d, lambda, tau * (1 + h));
            var sooner = SolveAt(d, lambda, tau * (1 - h));
            var dearer = SolveAt(d, lambda * (1 + h), tau);
            var cheaper = SolveAt(d, lambda * (1 - h), tau);
            // Skip points next to a kink of the response (a bound starts or stops binding): one-sided differences disagree.
            var here = SolveAt(d, lambda, tau);
            if (!Smooth(sooner.Pi, here.Pi, later.Pi) || !Smooth(cheaper.Pi, here.Pi, dearer.Pi)
                || !Smooth(sooner.Energy, here.Energy, later.Energy) || !Smooth(cheaper.Energy, here.Energy, dearer.Energy))
                continue;
            compared++;
            AssertClose((later.Pi - sooner.Pi) / (2 * h * tau), s.PriceByDeadline, pi / tau, "dπ/dτ", trial);
            AssertClose((dearer.Pi - cheaper.Pi) / (2 * h * lambda), s.PriceByEnergyPrice, pi / lambda, "dπ/dΛ", trial);
            AssertClose(here.Energy, s.Energy, here.Energy, "e", trial);
            AssertClose((later.Energy - sooner.Energy) / (2 * h * tau), s.EnergyByDeadline, here.Energy / tau, "de/dτ", trial);
            AssertClose((dearer.Energy - cheaper.Energy) / (2 * h * lambda), s.EnergyByEnergyPrice, here.Energy / lambda, "de/dΛ", trial);
        }
        Assert.True(compared >= 250, $"only {compared} smooth points compared");
    }

    private static bool Smooth(double before, double at, double after)
    {
        double left = at - before, right = after - at;
        return Math.Abs(left - right) <= 0.01 * Math.Max(Math.Abs(left), Math.Abs(right)) + 1e-300;
    }

    // Relative to the quantity's own scale (π/τ for dπ/dτ, …): 1e-4 is far above the differences' error at h = 1e-6.
    private static void AssertClose(double expected, double actual, double scale, string what, int trial) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Abs(scale) + 1e-4 * Math.Abs(expected),
            $"trial {trial}: {what} differenced {expected:R}, analytic {actual:R}");
}
