namespace EdgeLearn.Federation.Server;

/// <summary>What a device must share with the server to join its run (checked at registration): the scenario, the
/// model's size, the seed and the data (a hash over every image and label, so every device holds the shard
/// <c>train</c> would give it).</summary>
/// <param name="ScenarioSha256">SHA-256 of the scenario (docs/formats.md, "Provenance").</param>
/// <param name="ModelParameters">Parameters of the model built from the run's options.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="DataSha256">The data's SHA-256 (<c>DataIdentity</c>).</param>
public sealed record RunIdentity(string ScenarioSha256, long ModelParameters, int Seed, string DataSha256)
{
    /// <summary>The contract version this build speaks (proto/edgelearn/v1).</summary>
    public const uint ProtocolVersion = 1;

    /// <summary>What differs between this (the server's) and a device's identity, one phrase each; empty when they match.</summary>
    /// <param name="device">The device's.</param>
    /// <param name="protocolVersion">The contract version the device speaks.</param>
    /// <returns>The differences.</returns>
    public IReadOnlyList<string> Differences(RunIdentity device, uint protocolVersion)
    {
        ArgumentNullException.ThrowIfNull(device);
        var differences = new List<string>();
        if (protocolVersion != ProtocolVersion)
        {
            differences.Add($"it speaks protocol version {protocolVersion}, the server {ProtocolVersion}");
        }

        if (device.ScenarioSha256 != ScenarioSha256)
        {
            differences.Add("its scenario differs from the server's (another --scenario file)");
        }

        if (device.ModelParameters != ModelParameters)
        {
            differences.Add($"its model has {device.ModelParameters} parameters, the server's {ModelParameters} (--model, --hidden)");
        }

        if (device.Seed != Seed)
        {
            differences.Add($"its seed is {device.Seed}, the server's {Seed}");
        }
        else if (device.DataSha256 != DataSha256)
        {
            differences.Add("its data differ from the server's (--dataset, --rotate, --invert, --noise, --split, --general-size, --test-size)");
        }

        return differences;
    }
}
