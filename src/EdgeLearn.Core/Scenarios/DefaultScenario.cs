
namespace EdgeLearn.Scenarios;

/// <summary>The embedded default scenario of model.md §7, used when no <c>--scenario</c> file is given.</summary>
public static class DefaultScenario
{
    /// <summary>Number of devices K of the default scenario.</summary>
    public const int DeviceCount = 10;

    /// <summary>N0 = −174 dBm/Hz, as listed in model.md §7 (3.981e-21 W/Hz).</summary>
    public const double NoisePsdWPerHz = 3.981e-21;

    /// <summary>S = 101,770 parameters × 32 bits, uploaded per device per fine-tuning round.</summary>
    public const double UploadBits = 101_770 * 32;

    /// <summary>Distance of device k from the server, metres: 50 + 200 (k/9).</summary>
    /// <param name="k">Device index, 0 ≤ k &lt; <see cref="DeviceCount"/>.</param>
    /// <returns>The distance in metres (50 m for k = 0, 250 m for k = 9).</returns>
    public static double DistanceM(int k) => 50.0 + (200.0 * (k / 9.0));

    /// <summary>Builds the default scenario exactly as model.md §7 lists it.</summary>
    /// <returns>
    /// K = 10 devices <c>dev-0</c>…<c>dev-9</c> at <see cref="DistanceM"/>, gains from <see cref="PathLoss.Gain"/>;
    /// devices fkmax 1e9 Hz, kappa 1e-28, c 1e7, Pmax 0.2 W, W 1e6 Hz, Dk = bkmax = 600;
    /// server f0max 1e10 Hz, kappa0 1e-31, c0 1e7, B0max 1024; N0 3.981e-21 W/Hz; S 3,256,640 bits;
    /// no downlink cost; Emax 300 J, Tmax 300 s; Mmax = Nmax = 5000; learning constants
    /// L 10, eta 0.05, eta0 0.05, mu 0.1, sigma² 50, sigma0² 50, Phi0 2.3, Phi 2.3, W1 1.0, G 0.1.
    /// </returns>
    public static Scenario Create()
    {
        var devices = new DeviceSpec[DeviceCount];
        for (var k = 0; k < devices.Length; k++)
        {
            devices[k] = Device($"dev-{k}", PathLoss.Gain(DistanceM(k)), 1e9, 600);
        }

        return new Scenario
        {
            Name = "default",
            Server = Server(),
            Devices = devices,
            Channel = new ChannelSpec { NoisePsdWPerHz = NoisePsdWPerHz },
            Downlink = new DownlinkSpec { DelayS = 0, EnergyJ = 0 },
            Model = new ModelSpec { UploadBits = UploadBits },
            Budget = new BudgetSpec { EnergyJ = 300, DelayS = 300 },
            Limits = new LimitsSpec { MaxPretrainRounds = 5000, MaxFinetuneRounds = 5000 },
            Learning = Learning(),
        };
    }

    /// <summary>The server of §7: f0max 1e10 Hz, kappa0 1e-31, c0 1e7 cycles/sample, B0max 1024.</summary>
    internal static ServerSpec Server() => new()
    {
        MaxFrequencyHz = 1e10,
        Kappa = 1e-31,
        CyclesPerSample = 1e7,
        MaxBatch = 1024,
    };

    /// <summary>A §7 device with the given gain, frequency and data size (bkmax = Dk).</summary>
    internal static DeviceSpec Device(string id, double channelGain, double maxFrequencyHz, int datasetSize) => new()
    {
        Id = id,
        MaxFrequencyHz = maxFrequencyHz,
        Kappa = 1e-28,
        CyclesPerSample = 1e7,
        MaxPowerW = 0.2,
        BandwidthHz = 1e6,
        ChannelGain = channelGain,
        DatasetSize = datasetSize,
        MaxBatch = datasetSize,
    };

    /// <summary>The learning constants of §7 (until calibration replaces them).</summary>
    internal static LearningSpec Learning() => new()
    {
        Smoothness = 10,
        StepSize = 0.05,
        PretrainStepSize = 0.05,
        PlConstant = 0.1,
        GradientVariance = 50,
        PretrainGradientVariance = 50,
        PretrainInitialGap = 2.3,
        TargetInitialGap = 2.3,
        Shift = new ShiftSpec { Wasserstein = 1.0, DataLipschitz = 0.1 },
    };
}
