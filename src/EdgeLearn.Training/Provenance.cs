using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeLearn.Data.Datasets;
using EdgeLearn.Planning;
using EdgeLearn.Scenarios;

namespace EdgeLearn.Training;

/// <summary>The exact data one seed's run used (docs/formats.md, "Provenance"): its sizes and a SHA-256 over every image
/// and label of the general data, each device's task data in device order and the task test set.</summary>
/// <param name="Seed">The seed the data was built with (it draws the split, the shift and the synthetic images).</param>
/// <param name="GeneralSamples">Images of the general data.</param>
/// <param name="TaskSamples">Images of all devices' task data.</param>
/// <param name="TestSamples">Images of the task test set.</param>
/// <param name="Sha256">The data hash, lowercase hex (<see cref="Of"/>).</param>
public sealed record DataIdentity(int Seed, int GeneralSamples, int TaskSamples, int TestSamples, string Sha256)
{
    /// <summary>Hashes a run's data. For the general set, then every device's set in device order, then the test set:
    /// the count, width, height, channels and class count as int32, every pixel as float32 and every label as one byte,
    /// all little-endian, into one SHA-256. Equal hashes mean bit-identical inputs in the same order.</summary>
    /// <param name="data">The data.</param>
    /// <param name="seed">The seed it was built with (recorded, not hashed).</param>
    /// <returns>The identity.</returns>
    public static DataIdentity Of(TrainingData data, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var source = data.Source;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, source.General);
        foreach (var device in source.Devices)
        {
            Append(hash, device);
        }

        Append(hash, source.TaskTest);
        return new DataIdentity(seed, source.General.Count, source.Task.Count, source.TaskTest.Count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static void Append(IncrementalHash hash, ImageDataset set)
    {
        Span<byte> header = stackalloc byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(header, set.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], set.Width);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], set.Height);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], set.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], set.ClassCount);
        hash.AppendData(header);
        ReadOnlySpan<float> pixels = set.Pixels[..(set.Count * set.ImageSize)];
        if (BitConverter.IsLittleEndian)
        {
            hash.AppendData(MemoryMarshal.AsBytes(pixels));
        }
        else
        {
            Span<byte> value = stackalloc byte[4];
            foreach (float pixel in pixels)
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, pixel);
                hash.AppendData(value);
            }
        }

        hash.AppendData(set.Labels[..set.Count]);
    }
}

/// <summary>
/// What a result came from, so that it can be repeated exactly (docs/formats.md, "Provenance"): the tool's version, the
/// command line as typed and every option as resolved, the scenario, the plan, the data and the seeds, by SHA-256.
/// Written as <c>provenance</c> in <c>summary.json</c>, the calibration report and the plan JSON. Nothing in it depends
/// on the time or the machine's state, so two runs with the same inputs record the same provenance.
/// </summary>
public sealed record Provenance
{
    /// <summary>The tool: <c>edgelearn</c>.</summary>
    public required string Tool { get; init; }

    /// <summary>The tool's version (the informational version, e.g. <c>0.3.0+1a2b3c…</c>, with the source commit).</summary>
    public required string Version { get; init; }

    /// <summary>The command, e.g. <c>train</c>.</summary>
    public required string Command { get; init; }

    /// <summary>The command-line arguments as typed, without the program name.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Every option of the command by its long name (e.g. <c>--rotate</c>), with the value it had in the run:
    /// the one typed, or the default (null for an option that is unset and has no default).</summary>
    public required IReadOnlyDictionary<string, object?> Options { get; init; }

    /// <summary>The scenario's name; null for a command that reads no scenario (<c>data shift</c>).</summary>
    public string? Scenario { get; init; }

    /// <summary>SHA-256 of the scenario's canonical JSON (<see cref="ScenarioJson.Serialize"/>, UTF-8), lowercase hex;
    /// null for a command that reads no scenario.</summary>
    public string? ScenarioSha256 { get; init; }

    /// <summary>SHA-256 of the plan's canonical JSON (<see cref="PlanJson.Serialize(Plan)"/> and a newline, UTF-8: the
    /// bytes of the <c>plan.json</c> a run writes); null where no single plan applies.</summary>
    public string? PlanSha256 { get; init; }

    /// <summary>The base dataset (<c>mnist</c>, <c>fashion</c>, <c>synthetic</c> or <c>idx:…</c>); null where no data is used.</summary>
    public string? Dataset { get; init; }

    /// <summary>The seeds, in run order (empty where nothing is drawn).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [];

    /// <summary>The data of each seed, in the order of <see cref="Seeds"/>.</summary>
    public IReadOnlyList<DataIdentity> Data { get; init; } = [];

    /// <summary>SHA-256 of the weights file the run started from (<c>--init-from</c>); null when it started from the
    /// seed's random initialization.</summary>
    public string? InitialWeightsSha256 { get; init; }

    /// <summary>SHA-256 of a text's UTF-8 bytes, lowercase hex.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The hash.</returns>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>SHA-256 of bytes, lowercase hex.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The hash.</returns>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The scenario's hash (<see cref="ScenarioSha256"/>).</summary>
    /// <param name="scenario">The scenario.</param>
    /// <returns>The hash.</returns>
    public static string ScenarioHash(Scenario scenario) => JsonSha256(writer => ScenarioJson.Write(writer, scenario));

    /// <summary>The plan's hash (<see cref="PlanSha256"/>).</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The hash.</returns>
    public static string PlanHash(Plan plan) => JsonSha256(writer => PlanJson.Write(writer, plan), extraNewline: true);

    /// <summary>SHA-256 of the text that <see cref="ScenarioJson.Serialize"/> and <see cref="PlanJson.Serialize(Plan)"/>
    /// give (indented JSON and a newline, UTF-8), hashed as it is written: a fleet of a million devices is never held as
    /// text.</summary>
    /// <param name="write">Writes the JSON value.</param>
    /// <param name="extraNewline">Whether one more newline follows (a plan file's bytes).</param>
    private static string JsonSha256(Action<Utf8JsonWriter> write, bool extraNewline = false)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sink = new HashingBufferWriter(hash);
        using (var writer = new Utf8JsonWriter(sink, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        hash.AppendData(extraNewline ? "\n\n"u8 : "\n"u8);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> that hashes what is written into one reused buffer.</summary>
    private sealed class HashingBufferWriter(IncrementalHash hash) : IBufferWriter<byte>
    {
        private byte[] _buffer = new byte[1 << 16];

        public void Advance(int count) => hash.AppendData(_buffer, 0, count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (sizeHint > _buffer.Length) _buffer = new byte[sizeHint];
            return _buffer;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
