using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Costs;

/// <summary>
/// The delay and energy model of <c>docs/model.md</c> §2 as small pure functions.
/// This is the independent cost model: the planner's results are always re-checked with it.
/// </summary>
public static class CostModel
{
    /// <summary>Uplink rate r(p) = W log2(1 + p h / (N0 W)), bits/s.</summary>
    /// <param name="powerW">Transmit power p, W (≥ 0).</param>
    /// <param name="bandwidthHz">Bandwidth W, Hz (&gt; 0).</param>
    /// <param name="channelGain">Channel power gain h, linear (&gt; 0).</param>
    /// <param name="noisePsdWPerHz">Noise power spectral density N0, W/Hz (&gt; 0).</param>
    public static double UplinkRateBps(double powerW, double bandwidthHz, double channelGain, double noisePsdWPerHz) =>
        bandwidthHz * Log2OnePlus(powerW * channelGain / (noisePsdWPerHz * bandwidthHz));

    /// <summary>The power that uploads <paramref name="bits"/> in exactly <paramref name="uploadTimeS"/>:
    /// p = (N0 W / h)(2^(S / (W t)) − 1), W (the inverse of the rate).</summary>
    /// <param name="uploadTimeS">Upload time t, s (&gt; 0).</param>
    /// <param name="bits">Bits to upload S (&gt; 0).</param>
    /// <param name="bandwidthHz">Bandwidth W, Hz.</param>
    /// <param name="channelGain">Channel power gain h.</param>
    /// <param name="noisePsdWPerHz">Noise PSD N0, W/Hz.</param>
    public static double PowerForUploadTime(double uploadTimeS, double bits, double bandwidthHz, double channelGain, double noisePsdWPerHz) =>
        noisePsdWPerHz * bandwidthHz / channelGain * ExpMinusOne(Math.Log(2.0) * bits / (bandwidthHz * uploadTimeS));

    /// <summary>log2(1 + x) without losing a small x: 1 + 1e-20 is 1 in double precision, which made the rate of a
    /// weak link exactly 0 and its upload time infinite; below 1e-8 the series x − x²/2 + x³/3 is exact to double
    /// precision (larger x as before).</summary>
    private static double Log2OnePlus(double x) =>
        x is >= 0 and < 1e-8 ? x * (1.0 - x * (0.5 - x / 3.0)) / Math.Log(2.0) : Math.Log2(1.0 + x);

    /// <summary>e^y − 1 without losing a small y (the series y + y²/2 + y³/6 below 1e-8; larger y as before).</summary>
    private static double ExpMinusOne(double y) =>
        y is >= 0 and < 1e-8 ? y * (1.0 + y * (0.5 + y / 6.0)) : Math.Exp(y) - 1.0;

    /// <summary>Compute time of one minibatch, c b / f, s.</summary>
    /// <param name="cyclesPerSample">c, cycles per sample.</param>
    /// <param name="batch">b, samples.</param>
    /// <param name="frequencyHz">f, cycles/s (&gt; 0).</param>
    public static double ComputeTimeS(double cyclesPerSample, double batch, double frequencyHz) =>
        cyclesPerSample * batch / frequencyHz;

    /// <summary>Compute energy of one minibatch, kappa c b f², J.</summary>
    /// <param name="kappa">Effective switched capacitance kappa.</param>
    /// <param name="cyclesPerSample">c, cycles per sample.</param>
    /// <param name="batch">b, samples.</param>
    /// <param name="frequencyHz">f, cycles/s.</param>
    public static double ComputeEnergyJ(double kappa, double cyclesPerSample, double batch, double frequencyHz) =>
        kappa * cyclesPerSample * batch * frequencyHz * frequencyHz;

    /// <summary>Upload time S / r, s (infinite when the rate is zero).</summary>
    /// <param name="bits">S, bits.</param>
    /// <param name="rateBps">r, bits/s.</param>
    public static double UploadTimeS(double bits, double rateBps) => bits / rateBps;

    /// <summary>Upload energy p S / r, J.</summary>
    /// <param name="powerW">p, W.</param>
    /// <param name="bits">S, bits.</param>
    /// <param name="rateBps">r, bits/s.</param>
    public static double UploadEnergyJ(double powerW, double bits, double rateBps) =>
        powerW == 0.0 ? (rateBps > 0 ? 0.0 : double.PositiveInfinity) : powerW * bits / rateBps;

    /// <summary>Delay and energy of one pre-training round: t0 = c0 B0 / f0, e0 = kappa0 c0 B0 f0².</summary>
    /// <param name="server">The server.</param>
    /// <param name="batch">B0.</param>
    /// <param name="frequencyHz">f0, cycles/s.</param>
    public static RoundCost PretrainRound(ServerSpec server, double batch, double frequencyHz) =>
        new(ComputeTimeS(server.CyclesPerSample, batch, frequencyHz),
            ComputeEnergyJ(server.Kappa, server.CyclesPerSample, batch, frequencyHz));

    /// <summary>Delay and energy of device k in one fine-tuning round:
    /// tk = ck bk / fk + S / rk(pk), ek = kappak ck bk fk² + pk S / rk(pk).</summary>
    /// <param name="device">The device.</param>
    /// <param name="noisePsdWPerHz">N0, W/Hz.</param>
    /// <param name="uploadBits">S, bits.</param>
    /// <param name="batch">bk.</param>
    /// <param name="frequencyHz">fk.</param>
    /// <param name="powerW">pk.</param>
    public static DeviceRoundCost DeviceRound(DeviceSpec device, double noisePsdWPerHz, double uploadBits,
        double batch, double frequencyHz, double powerW)
    {
        double rate = UplinkRateBps(powerW, device.BandwidthHz, device.ChannelGain, noisePsdWPerHz);
        double computeTime = ComputeTimeS(device.CyclesPerSample, batch, frequencyHz);
        double computeEnergy = ComputeEnergyJ(device.Kappa, device.CyclesPerSample, batch, frequencyHz);
        return new DeviceRoundCost(computeTime, UploadTimeS(uploadBits, rate), computeEnergy, UploadEnergyJ(powerW, uploadBits, rate));
    }

    /// <summary>Delay and energy of one pre-training round of a plan ((0, 0) when it has no pre-training).</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="plan">The plan.</param>
    public static RoundCost PretrainRound(Scenario scenario, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plan);
        return plan.PretrainRounds > 0 ? PretrainRound(scenario.Server, plan.Server.Batch, plan.Server.FrequencyHz) : new RoundCost(0, 0);
    }

    /// <summary>One fine-tuning round of a plan: every device's cost, the round's delay tFT = tdl + max_k tk (the server
    /// waits for the slowest device) and energy eFT = edl + Σk ek, devices summed in order, downlink added last.</summary>
    /// <param name="scenario">The scenario (devices, channel, model size, downlink).</param>
    /// <param name="devices">The plan's allocation of every device, in the scenario's order.</param>
    /// <param name="channelGains">Each device's power gain this round; empty for the scenario's gains hk.</param>
    /// <returns>The round and its devices.</returns>
    /// <remarks>The planner's re-check (<see cref="Planning.PlanEvaluator"/>) and the training ledger both use this, so a
    /// change to the per-round cost is made here once.</remarks>
    public static RoundBreakdown FinetuneRound(Scenario scenario, IReadOnlyList<DeviceAllocation> devices, ReadOnlySpan<double> channelGains = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count != scenario.Devices.Count || (!channelGains.IsEmpty && channelGains.Length != devices.Count))
        {
            throw new ArgumentException($"{devices.Count} allocations and {channelGains.Length} gains for {scenario.Devices.Count} devices.", nameof(devices));
        }

        var costs = new DeviceRoundCost[devices.Count];
        double slowest = 0, energy = 0;
        for (int k = 0; k < costs.Length; k++)
        {
            DeviceSpec device = channelGains.IsEmpty ? scenario.Devices[k] : scenario.Devices[k] with { ChannelGain = channelGains[k] };
            DeviceAllocation a = devices[k];
            costs[k] = DeviceRound(device, scenario.Channel.NoisePsdWPerHz, scenario.Model.UploadBits, a.Batch, a.FrequencyHz, a.PowerW);
            slowest = Math.Max(slowest, costs[k].DelayS);
            energy += costs[k].EnergyJ;
        }

        return new RoundBreakdown(new RoundCost(scenario.Downlink.DelayS + slowest, scenario.Downlink.EnergyJ + energy), costs);
    }

    /// <summary>Totals of the two stages: T = M t0 + N tFT and E = M e0 + N eFT.</summary>
    /// <param name="pretrainRounds">M.</param>
    /// <param name="pretrainRound">Cost of one pre-training round.</param>
    /// <param name="finetuneRounds">N.</param>
    /// <param name="finetuneRound">Cost of one fine-tuning round (downlink included).</param>
    public static RoundCost Total(int pretrainRounds, RoundCost pretrainRound, int finetuneRounds, RoundCost finetuneRound) =>
        new(pretrainRounds * pretrainRound.DelayS + finetuneRounds * finetuneRound.DelayS,
            pretrainRounds * pretrainRound.EnergyJ + finetuneRounds * finetuneRound.EnergyJ);
}

/// <summary>Delay and energy of one round (or of a whole run).</summary>
/// <param name="DelayS">Delay, s.</param>
/// <param name="EnergyJ">Energy, J.</param>
public readonly record struct RoundCost(double DelayS, double EnergyJ);

/// <summary>One fine-tuning round: its delay and energy, and every device's share.</summary>
/// <param name="Round">tFT and eFT.</param>
/// <param name="Devices">Each device's compute and upload time and energy, in the scenario's order.</param>
public sealed record RoundBreakdown(RoundCost Round, IReadOnlyList<DeviceRoundCost> Devices);

/// <summary>One device's share of a fine-tuning round.</summary>
/// <param name="ComputeTimeS">ck bk / fk, s.</param>
/// <param name="UploadTimeS">S / rk(pk), s.</param>
/// <param name="ComputeEnergyJ">kappak ck bk fk², J.</param>
/// <param name="UploadEnergyJ">pk S / rk(pk), J.</param>
public readonly record struct DeviceRoundCost(double ComputeTimeS, double UploadTimeS, double ComputeEnergyJ, double UploadEnergyJ)
{
    /// <summary>tk = compute time + upload time, s.</summary>
    public double DelayS => ComputeTimeS + UploadTimeS;

    /// <summary>ek = compute energy + upload energy, J.</summary>
    public double EnergyJ => ComputeEnergyJ + UploadEnergyJ;
}
