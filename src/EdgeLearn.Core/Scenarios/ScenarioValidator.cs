using EdgeLearn.Scenarios.Internal;

namespace EdgeLearn.Scenarios;

/// <summary>
/// Checks every field of a scenario against the limits of model.md §1, §4 and §5, whether it came from
/// JSON or was built in code, and reports all violations at once.
/// </summary>
public static class ScenarioValidator
{
    /// <summary>Finds every rule the scenario breaks.</summary>
    /// <param name="scenario">The scenario to check.</param>
    /// <returns>
    /// One <see cref="ScenarioError"/> per violation, paths in formats.md names
    /// (e.g. <c>devices[3].maxPowerW is -0.1; it must be positive.</c>); empty when the scenario is valid.
    /// </returns>
    /// <remarks>
    /// Rules: frequencies, capacitances, cycles, powers, bandwidths, gains, noise, upload bits and budgets
    /// positive and finite; batch limits and data sizes at least 1; at least one device, ids non-empty and
    /// unique; downlink costs, variances, gaps, W1 and G zero or positive and finite; L positive;
    /// 1e-9/L ≤ eta, eta0 ≤ 1/L; 0 &lt; mu ≤ L with mu eta0 ≥ 1e-15; |Gamma*| ≤ 1e12; Mmax ≥ 0; Nmax ≥ 1; and every value inside its physical range of
    /// <see cref="ScenarioRanges"/>.
    /// </remarks>
    public static IReadOnlyList<ScenarioError> Validate(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var errors = new List<ScenarioError>();
        if (scenario.Name is null)
        {
            errors.Add(new ScenarioError("name", "null", "must be a string"));
        }

        ValidateServer(scenario.Server, errors);
        ValidateDevices(scenario.Devices, errors);

        if (Present(scenario.Channel, "channel", errors))
        {
            InRange(scenario.Channel.NoisePsdWPerHz, ScenarioRanges.NoisePsdWPerHz, "channel.noisePsdWPerHz", errors);
        }

        if (Present(scenario.Downlink, "downlink", errors))
        {
            InRange(scenario.Downlink.DelayS, ScenarioRanges.DownlinkCost, "downlink.delayS", errors);
            InRange(scenario.Downlink.EnergyJ, ScenarioRanges.DownlinkCost, "downlink.energyJ", errors);
        }

        if (Present(scenario.Model, "model", errors))
        {
            InRange(scenario.Model.UploadBits, ScenarioRanges.UploadBits, "model.uploadBits", errors);
        }

        if (Present(scenario.Budget, "budget", errors))
        {
            InRange(scenario.Budget.EnergyJ, ScenarioRanges.EnergyBudgetJ, "budget.energyJ", errors);
            InRange(scenario.Budget.DelayS, ScenarioRanges.DelayBudgetS, "budget.delayS", errors);
        }

        if (Present(scenario.Limits, "limits", errors))
        {
            AtLeast(scenario.Limits.MaxPretrainRounds, 0, "limits.maxPretrainRounds", errors, ScenarioRanges.Rounds);
            AtLeast(scenario.Limits.MaxFinetuneRounds, 1, "limits.maxFinetuneRounds", errors, ScenarioRanges.Rounds);
        }

        ValidateLearning(scenario.Learning, errors);
        return errors;
    }

    /// <summary>Whether the scenario breaks no rule.</summary>
    /// <param name="scenario">The scenario to check.</param>
    /// <returns><c>true</c> when <see cref="Validate"/> finds nothing.</returns>
    public static bool IsValid(Scenario scenario) => Validate(scenario).Count == 0;

    /// <summary>Throws when the scenario breaks a rule: the library's entry points call this first.</summary>
    /// <param name="scenario">The scenario to check.</param>
    /// <param name="paramName">The caller's argument name (filled in by the compiler).</param>
    /// <exception cref="ArgumentNullException">The scenario is null.</exception>
    /// <exception cref="InvalidScenarioException">The scenario breaks a rule; the message is the first error, as the JSON path words it.</exception>
    public static void ThrowIfInvalid(Scenario scenario, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(scenario))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(scenario, paramName);
        var errors = Validate(scenario);
        if (errors.Count > 0) throw new InvalidScenarioException(errors, paramName);
    }

    private static void ValidateServer(ServerSpec? server, List<ScenarioError> errors)
    {
        if (!Present(server, "server", errors))
        {
            return;
        }

        InRange(server.MaxFrequencyHz, ScenarioRanges.FrequencyHz, "server.maxFrequencyHz", errors);
        InRange(server.Kappa, ScenarioRanges.Kappa, "server.kappa", errors);
        InRange(server.CyclesPerSample, ScenarioRanges.CyclesPerSample, "server.cyclesPerSample", errors);
        AtLeast(server.MaxBatch, 1, "server.maxBatch", errors, ScenarioRanges.Samples);
    }

    private static void ValidateDevices(IReadOnlyList<DeviceSpec>? devices, List<ScenarioError> errors)
    {
        if (!Present(devices, "devices", errors))
        {
            return;
        }

        if (devices.Count == 0)
        {
            errors.Add(new ScenarioError("devices", "empty", "must list at least one device"));
            return;
        }

        var firstIndexOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < devices.Count; k++)
        {
            var path = Paths.Index("devices", k);
            var device = devices[k];
            if (!Present(device, path, errors))
            {
                continue;
            }

            var idPath = Paths.Join(path, "id");
            if (string.IsNullOrWhiteSpace(device.Id))
            {
                errors.Add(new ScenarioError(idPath, Paths.Quote(device.Id), "must not be empty"));
            }
            else if (device.Id.Any(char.IsControl))
            {
                // A tab breaks the tables; an escape or bell would reach the user's terminal from a scenario file.
                errors.Add(new ScenarioError(idPath, Paths.Quote(device.Id), "must not contain control characters (tab, newline, escape, …)"));
            }
            else if (!firstIndexOfId.TryAdd(device.Id, k))
            {
                var first = Paths.Join(Paths.Index("devices", firstIndexOfId[device.Id]), "id");
                errors.Add(new ScenarioError(idPath, Paths.Quote(device.Id), $"must be unique ({first} is the same)"));
            }

            InRange(device.MaxFrequencyHz, ScenarioRanges.FrequencyHz, Paths.Join(path, "maxFrequencyHz"), errors);
            InRange(device.Kappa, ScenarioRanges.Kappa, Paths.Join(path, "kappa"), errors);
            InRange(device.CyclesPerSample, ScenarioRanges.CyclesPerSample, Paths.Join(path, "cyclesPerSample"), errors);
            InRange(device.MaxPowerW, ScenarioRanges.PowerW, Paths.Join(path, "maxPowerW"), errors);
            InRange(device.BandwidthHz, ScenarioRanges.BandwidthHz, Paths.Join(path, "bandwidthHz"), errors);
            InRange(device.ChannelGain, ScenarioRanges.ChannelGain, Paths.Join(path, "channelGain"), errors);
            AtLeast(device.DatasetSize, 1, Paths.Join(path, "datasetSize"), errors, ScenarioRanges.Samples);
            AtLeast(device.MaxBatch, 1, Paths.Join(path, "maxBatch"), errors, ScenarioRanges.Samples);
            if (device.MaxBatch > device.DatasetSize && device.DatasetSize >= 1)
            {
                // A minibatch draws from the device's own data: it cannot be larger than that data.
                errors.Add(new ScenarioError(Paths.Join(path, "maxBatch"), Paths.Text(device.MaxBatch),
                    $"must be at most the device's datasetSize ({Paths.Text(device.DatasetSize)})"));
            }
        }
    }

    private static void ValidateLearning(LearningSpec? learning, List<ScenarioError> errors)
    {
        if (!Present(learning, "learning", errors))
        {
            return;
        }

        var smoothnessValid = InRange(learning.Smoothness, ScenarioRanges.Smoothness, "learning.smoothness", errors);
        var l = learning.Smoothness;
        StepSize(learning.StepSize, "learning.stepSize", smoothnessValid, l, errors);
        StepSize(learning.PretrainStepSize, "learning.pretrainStepSize", smoothnessValid, l, errors);
        if (Positive(learning.PlConstant, "learning.plConstant", errors) && smoothnessValid && learning.PlConstant > l)
        {
            errors.Add(new ScenarioError(
                "learning.plConstant",
                Paths.Text(learning.PlConstant),
                $"must be at most L = {Paths.Text(l)} (learning.smoothness)"));
        }
        else if (double.IsFinite(learning.PlConstant) && learning.PlConstant > 0 && double.IsFinite(learning.PretrainStepSize)
            && learning.PretrainStepSize > 0 && learning.PlConstant * learning.PretrainStepSize < ScenarioRanges.MinPlTimesPretrainStepSize)
        {
            errors.Add(new ScenarioError(
                "learning.plConstant",
                Paths.Text(learning.PlConstant),
                $"must be at least {Paths.Text(ScenarioRanges.MinPlTimesPretrainStepSize)} / eta0 = {Paths.Text(ScenarioRanges.MinPlTimesPretrainStepSize / learning.PretrainStepSize)} (learning.pretrainStepSize is {Paths.Text(learning.PretrainStepSize)}), else pre-training's contraction 1 - mu eta0 rounds to 1"));
        }

        InRange(learning.GradientVariance, ScenarioRanges.LossScale, "learning.gradientVariance", errors);
        InRange(learning.PretrainGradientVariance, ScenarioRanges.LossScale, "learning.pretrainGradientVariance", errors);
        InRange(learning.PretrainInitialGap, ScenarioRanges.LossScale, "learning.pretrainInitialGap", errors);
        InRange(learning.TargetInitialGap, ScenarioRanges.LossScale, "learning.targetInitialGap", errors);
        if (Present(learning.Shift, "learning.shift", errors))
        {
            InRange(learning.Shift.Wasserstein, ScenarioRanges.Shift, "learning.shift.wasserstein", errors);
            InRange(learning.Shift.DataLipschitz, ScenarioRanges.Shift, "learning.shift.dataLipschitz", errors);
            if (learning.Shift.MeasuredGap is { } gap)
            {
                InRange(gap, ScenarioRanges.LossScale, "learning.shift.gap", errors);
            }

            if (learning.Shift.OptimumGap is { } optimumGap && !(double.IsFinite(optimumGap) && optimumGap >= -learning.Shift.Gap))
            {
                errors.Add(new ScenarioError("learning.shift.optimumGap", Paths.Text(optimumGap),
                    $"must be a finite number of at least -Gamma = {Paths.Text(-learning.Shift.Gap)} (the shift gap), so that Lemma 2's penalty Gamma + Gamma* is not negative"));
            }
            else if (learning.Shift.OptimumGap is { } largeGap && !ScenarioRanges.OptimumGap.Contains(largeGap))
            {
                errors.Add(new ScenarioError("learning.shift.optimumGap", Paths.Text(largeGap), ScenarioRanges.OptimumGap.Rule));
            }
        }
    }

    private static void StepSize(double eta, string path, bool smoothnessValid, double smoothness, List<ScenarioError> errors)
    {
        if (Positive(eta, path, errors) && smoothnessValid && eta > 1.0 / smoothness)
        {
            errors.Add(new ScenarioError(
                path,
                Paths.Text(eta),
                $"must be at most 1/L = {Paths.Text(1.0 / smoothness)} (learning.smoothness is {Paths.Text(smoothness)})"));
        }
        else if (eta > 0 && smoothnessValid && eta * smoothness < ScenarioRanges.MinStepSizeTimesSmoothness)
        {
            errors.Add(new ScenarioError(
                path,
                Paths.Text(eta),
                $"must be at least {Paths.Text(ScenarioRanges.MinStepSizeTimesSmoothness)}/L = {Paths.Text(ScenarioRanges.MinStepSizeTimesSmoothness / smoothness)} (learning.smoothness is {Paths.Text(smoothness)}), so that the bound 2 Delta / (eta N) stays finite"));
        }
    }

    private static bool Present<T>([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] T? value, string path, List<ScenarioError> errors)
        where T : class
    {
        if (value is not null)
        {
            return true;
        }

        errors.Add(new ScenarioError(path, "missing", "is required"));
        return false;
    }

    private static bool Finite(double value, string path, List<ScenarioError> errors)
    {
        if (double.IsFinite(value))
        {
            return true;
        }

        errors.Add(new ScenarioError(path, Paths.Text(value), "must be a finite number"));
        return false;
    }

    private static bool Positive(double value, string path, List<ScenarioError> errors)
    {
        if (!Finite(value, path, errors))
        {
            return false;
        }

        if (value > 0)
        {
            return true;
        }

        errors.Add(new ScenarioError(path, Paths.Text(value), "must be positive"));
        return false;
    }

    private static bool NonNegative(double value, string path, List<ScenarioError> errors)
    {
        if (!Finite(value, path, errors))
        {
            return false;
        }

        if (value >= 0)
        {
            return true;
        }

        errors.Add(new ScenarioError(path, Paths.Text(value), "must be zero or positive"));
        return false;
    }

    private static void AtLeast(int value, int minimum, string path, List<ScenarioError> errors, ValueRange range)
    {
        if (value < minimum)
        {
            errors.Add(new ScenarioError(path, Paths.Text(value), $"must be at least {Paths.Text(minimum)}"));
        }
        else if (!range.Contains(value))
        {
            errors.Add(new ScenarioError(path, Paths.Text(value), range.Rule));
        }
    }

    /// <summary>Checks one value as a scenario field with <paramref name="range"/> is checked: finite, positive (zero too
    /// when the range starts at 0), inside the range, in the same words (<c>budget.energyJ is -1; it must be positive.</c>).
    /// For front ends that set a field from elsewhere than a file, e.g. the explorer's API.</summary>
    /// <param name="value">The value.</param>
    /// <param name="range">The field's range (<see cref="ScenarioRanges"/>).</param>
    /// <param name="path">The name to report, e.g. <c>budget.energyJ</c>.</param>
    /// <returns>The error, or null when the value passes.</returns>
    public static ScenarioError? CheckValue(double value, ValueRange range, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<ScenarioError>(1);
        return InRange(value, range, path, errors) ? null : errors[0];
    }

    /// <summary>Finite, positive (zero too when the range starts at 0) and inside <paramref name="range"/>; the sign
    /// rule is reported first, in the words it always had.</summary>
    private static bool InRange(double value, ValueRange range, string path, List<ScenarioError> errors)
    {
        if (range.Min > 0 ? !Positive(value, path, errors) : !NonNegative(value, path, errors))
        {
            return false;
        }

        if (range.Contains(value))
        {
            return true;
        }

        errors.Add(new ScenarioError(path, Paths.Text(value), range.Rule));
        return false;
    }
}
