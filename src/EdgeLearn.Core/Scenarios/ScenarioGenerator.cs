namespace EdgeLearn.Scenarios;

/// <summary>
/// Random but realistic scenarios for trying the planner on something other than the default:
/// devices at random distances with path-loss gains, heterogeneous CPUs and data sizes.
/// </summary>
public static class ScenarioGenerator
{
    /// <summary>Nearest device distance, metres.</summary>
    public const double MinDistanceM = 50;

    /// <summary>Farthest device distance, metres.</summary>
    public const double MaxDistanceM = 500;

    /// <summary>Slowest device CPU, cycles/s.</summary>
    public const double MinDeviceFrequencyHz = 0.5e9;

    /// <summary>Fastest device CPU, cycles/s.</summary>
    public const double MaxDeviceFrequencyHz = 2e9;

    /// <summary>Smallest local data set, samples.</summary>
    public const int MinDatasetSize = 200;

    /// <summary>Largest local data set, samples.</summary>
    public const int MaxDatasetSize = 1200;

    /// <summary>Energy budget per device, J (Emax = 30 J × K).</summary>
    public const double EnergyPerDeviceJ = 30;

    /// <summary>Delay budget, s (Tmax, independent of K).</summary>
    public const double DelayBudgetS = 300;

    /// <summary>Generates a scenario; the same arguments always give the same scenario.</summary>
    /// <param name="devices">Number of devices K (≥ 1).</param>
    /// <param name="seed">Seed of the random draws; any integer.</param>
    /// <returns>
    /// A valid scenario named <c>generated-K{devices}-seed{seed}</c>: device k (<c>dev-k</c>) at a distance
    /// uniform in [50, 500] m with gain 10^(−PL/10), PL = 128.1 + 37.6 log10(d / 1 km) dB; fkmax uniform in
    /// [0.5e9, 2e9] Hz; Dk uniform in [200, 1200] with bkmax = Dk; every other constant as in model.md §7;
    /// budgets Emax = 30 J × K and Tmax = 300 s, which leave room for many rounds.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="devices"/> is below 1.</exception>
    public static Scenario Generate(int devices, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        var random = new Random(seed);
        var list = new DeviceSpec[devices];
        for (var k = 0; k < devices; k++)
        {
            var distance = Uniform(random, MinDistanceM, MaxDistanceM);
            var frequency = Uniform(random, MinDeviceFrequencyHz, MaxDeviceFrequencyHz);
            var datasetSize = random.Next(MinDatasetSize, MaxDatasetSize + 1);
            list[k] = DefaultScenario.Device($"dev-{k}", PathLoss.Gain(distance), frequency, datasetSize);
        }

        var template = DefaultScenario.Create();
        return template with
        {
            Name = $"generated-K{devices}-seed{seed}",
            Devices = list,
            Budget = new BudgetSpec { EnergyJ = EnergyPerDeviceJ * devices, DelayS = DelayBudgetS },
        };
    }

    private static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());
}
