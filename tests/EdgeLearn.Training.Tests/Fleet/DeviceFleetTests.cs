using EdgeLearn.Training.Fleet;

namespace EdgeLearn.Training.Tests.Fleet;

public sealed class DeviceFleetTests
{
    [Fact]
    public void Run_FleetOfDeviceWorkers_IsBitIdenticalToTheInProcessDevices()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, pretrainRounds: 3, finetuneRounds: 6);
        var data = Fixtures.Data(scenario);
        var options = Fixtures.Options() with { Parallelism = 2 };
        var inProcess = TwoStageTrainer.Run(scenario, plan, data, options);

        var fleet = new RecordingFleet(scenario.Devices.Select((_, k) => DeviceWorker.Create(scenario, plan, data, k, options)).ToArray());
        var viaFleet = new TwoStageTrainer(scenario, plan, data, options).Run(new TrainingHooks { Fleet = fleet });

        Assert.Equal(inProcess.FinalWeights!.Parameters.ToArray(), viaFleet.FinalWeights!.Parameters.ToArray());
        Assert.Equal(inProcess.Rounds, viaFleet.Rounds);
        Assert.Equal([1, 2, 3, 4, 5, 6], fleet.Rounds);
    }

    [Fact]
    public void DeviceWorker_SameRoundAndModel_SameGradientWhateverCameBefore()
    {
        var scenario = Fixtures.Scenario();
        var plan = Fixtures.Plan(scenario, 0, 4);
        var data = Fixtures.Data(scenario);
        var model = new float[Fixtures.ParameterCount];
        for (int i = 0; i < model.Length; i++)
        {
            model[i] = 0.01f * ((i % 13) - 6);
        }

        var fresh = DeviceWorker.Create(scenario, plan, data, 1, Fixtures.Options());
        var used = DeviceWorker.Create(scenario, plan, data, 1, Fixtures.Options());
        used.Compute(1, model);
        used.Compute(2, model);

        double a = fresh.Compute(3, model);
        var gradient = fresh.Gradient.ToArray();
        double b = used.Compute(3, model);

        Assert.Equal(a, b);
        Assert.Equal(gradient, used.Gradient.ToArray());
        Assert.Equal(scenario.Devices[1].Id, fresh.Id);
        fresh.Compute(4, model);
        Assert.NotEqual(gradient, fresh.Gradient.ToArray());
    }

    [Fact]
    public void Run_ADeviceMissesARound_AggregatesTheOthersWithRenormalisedWeights()
    {
        var scenario = Fixtures.Scenario(devices: 3);
        var plan = Fixtures.Plan(scenario, 0, 1);
        var data = Fixtures.Data(scenario);
        var options = Fixtures.Options();
        var workers = scenario.Devices.Select((_, k) => DeviceWorker.Create(scenario, plan, data, k, options)).ToArray();
        var trainer = new TwoStageTrainer(scenario, plan, data, options);
        float[] start = new float[Fixtures.ParameterCount];
        var before = new TrainingHooks { RoundCompleted = c => { if (c.Round == 0) c.Parameters.CopyTo(start, 0); }, Fleet = new RecordingFleet(workers, missing: 1) };

        var result = trainer.Run(before);

        // Expected: w1 = w0 − η (ρ0 g0 + ρ2 g2) / (ρ0 + ρ2), the fixture's devices holding equal data (ρ = 1/3 each).
        double loss0 = workers[0].Compute(1, start);
        var g0 = workers[0].Gradient.ToArray();
        double loss2 = workers[2].Compute(1, start);
        var g2 = workers[2].Gradient.ToArray();
        var final = result.FinalWeights!.Parameters.Span;
        float eta = (float)scenario.Learning.StepSize;
        for (int i = 0; i < final.Length; i++)
        {
            Assert.Equal(start[i] - (eta * 0.5f * (g0[i] + g2[i])), final[i], 1e-5f);
        }

        Assert.Equal((loss0 + loss2) / 2, result.Rounds[^1].TrainingLoss!.Value, 1e-6);
    }

    [Fact]
    public void Run_NoDeviceDelivers_LeavesTheModelAndRecordsNoLoss()
    {
        var scenario = Fixtures.Scenario(devices: 2);
        var plan = Fixtures.Plan(scenario, 0, 2);
        var data = Fixtures.Data(scenario);
        var options = Fixtures.Options();
        var workers = scenario.Devices.Select((_, k) => DeviceWorker.Create(scenario, plan, data, k, options)).ToArray();
        float[]? initial = null;

        var result = new TwoStageTrainer(scenario, plan, data, options).Run(new TrainingHooks
        {
            Fleet = new RecordingFleet(workers, missing: -1),
            RoundCompleted = c => initial ??= c.Parameters,
        });

        Assert.Equal(initial, result.FinalWeights!.Parameters.ToArray());
        Assert.All(result.Rounds.Skip(1), r => Assert.Null(r.TrainingLoss));
    }

    /// <summary>Runs every worker in device order on the calling thread and records the rounds asked for; leaves out
    /// device <c>missing</c> (every device when −1).</summary>
    private sealed class RecordingFleet(DeviceWorker[] workers, int? missing = null) : IDeviceFleet
    {
        private readonly double[] _losses = new double[workers.Length];

        public List<int> Rounds { get; } = [];

        public void ComputeRound(int round, ReadOnlySpan<float> parameters, Span<bool> delivered, CancellationToken cancellationToken)
        {
            Rounds.Add(round);
            for (int k = 0; k < workers.Length; k++)
            {
                delivered[k] = missing != -1 && missing != k;
                if (delivered[k])
                {
                    _losses[k] = workers[k].Compute(round, parameters);
                }
            }
        }

        public ReadOnlySpan<float> Gradient(int device) => workers[device].Gradient;

        public double Loss(int device) => _losses[device];
    }
}
