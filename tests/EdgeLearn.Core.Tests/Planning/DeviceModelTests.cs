using EdgeLearn.Planning.Internal;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Core.Tests.Planning;

public class DeviceModelTests
{
    private static readonly Scenario Default = DefaultScenario.Create();

    private static DeviceModel Device(int k, bool fixedSpeed = false) =>
        DeviceModel.Create(Default.Devices[k], Default.Channel.NoisePsdWPerHz, Default.Model.UploadBits, 0.25, 1, 600, fixedSpeed);

    private static double Lagrangian(in DeviceModel d, double lambda, double pi, double b, double tc, double tu) =>
        d.A / b + lambda * d.Energy(b, tc, tu) + pi * (tc + tu);

    [Theory]
    [InlineData(0, 1e-4, 1e-3)]
    [InlineData(9, 1e-4, 1e-3)]
    [InlineData(5, 0.05, 1.0)]
    [InlineData(5, 1e-6, 1e-6)]
    [InlineData(3, 0.0, 1e-2)]
    public void Respond_MinimizesTheLagrangianOverRandomFeasiblePoints(int k, double lambda, double pi)
    {
        var d = Device(k);
        d.Respond(lambda, pi, out double b, out double tc, out double tu);
        double best = Lagrangian(d, lambda, pi, b, tc, tu);
        var random = new Random(7);

        for (int i = 0; i < 20_000; i++)
        {
            double bb = 1 + random.NextDouble() * 599;
            double tcc = bb * d.C / d.Fmax * Math.Exp(random.NextDouble() * 6);
            double tuu = d.TuMin * Math.Exp(random.NextDouble() * 6);
            Assert.True(Lagrangian(d, lambda, pi, bb, tcc, tuu) >= best * (1 - 1e-12),
                $"point b={bb} tc={tcc} tu={tuu} beats the response b={b} tc={tc} tu={tu}");
        }
        Assert.Equal(best, d.DualValue(lambda, pi), 1e-12 * best);
    }

    [Theory]
    [InlineData(0, 1e-4, 0.5)]
    [InlineData(9, 1e-4, 0.5)]
    [InlineData(4, 0.02, 3.0)]
    [InlineData(4, 1e-7, 30.0)]
    public void SolveDeadline_ResponseJustMeetsTheDeadline(int k, double lambda, double tau)
    {
        var d = Device(k);
        double pi = 0;

        d.SolveDeadline(lambda, tau, ref pi, 1e-13);
        d.Respond(lambda, pi, out _, out double tc, out double tu);

        Assert.True(pi > 0);
        Assert.Equal(tau, tc + tu, 1e-11 * tau);
    }

    [Fact]
    public void SolveDeadline_FixedSpeedWithRoomToSpare_HasZeroTimePrice()
    {
        var d = Device(0, fixedSpeed: true);
        double pi = 1;

        d.SolveDeadline(lambda: 1.0, tau: 1000, ref pi);

        Assert.Equal(0.0, pi);
    }

    [Theory]
    [InlineData(1e-6, 0.05)]
    [InlineData(1e-4, 0.02)]
    [InlineData(0.0, 0.01)]
    public void ServerRespond_TimePriceIsMinusTheDerivativeOfItsValue(double lambda, double t0)
    {
        var server = ServerModel.Create(Default.Server, a: 16.7, lo: 1, hi: 1024, fixedSpeed: false);
        double Value(double t)
        {
            double b = server.Respond(lambda, t, out _);
            return server.A / b + lambda * server.Energy(b, t);
        }

        server.Respond(lambda, t0, out double price);
        double h = 1e-7 * t0;
        double numeric = -(Value(t0 + h) - Value(t0 - h)) / (2 * h);

        Assert.Equal(numeric, price, 1e-5 * Math.Abs(numeric) + 1e-12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void OptimalUploadTime_AtTheFullPowerShift_ReachesTheFastestUpload_AndNotBelowIt(int k)
    {
        // Above FullPowerShift the upload time is TuMin without a Lambert W; just below it the direct route agrees.
        var d = Device(k);
        const double lambda = 1e-3;
        double piFull = d.FullPowerShift * lambda * d.K0;

        Assert.Equal(d.TuMin, d.OptimalUploadTime(lambda, piFull * (1 + 1e-9)));
        Assert.Equal(d.TuMin, d.OptimalUploadTime(lambda, piFull * 10));
        double below = d.OptimalUploadTime(lambda, piFull * (1 - 1e-6));
        Assert.True(below > d.TuMin && below < d.TuMin * (1 + 1e-5), $"{below:R} against TuMin {d.TuMin:R}");
    }
}
