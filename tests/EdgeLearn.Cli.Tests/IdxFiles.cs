using EdgeLearn.Data.Datasets;

namespace EdgeLearn.Cli.Tests;

/// <summary>Writes made-up images as IDX files (the format of MNIST's original files), for --from and idx:PREFIX.</summary>
internal static class IdxFiles
{
    /// <summary>Writes PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte of <paramref name="images"/>; returns PREFIX.</summary>
    public static string Write(string prefix, ImageDataset images)
    {
        File.WriteAllBytes(prefix + "-images-idx3-ubyte", Idx(3, [images.Count, images.Height, images.Width], images.Pixels.ToArray().Select(p => (byte)Math.Round(255 * p)).ToArray()));
        File.WriteAllBytes(prefix + "-labels-idx1-ubyte", Idx(1, [images.Count], images.Labels.ToArray()));
        return prefix;
    }

    private static byte[] Idx(byte dims, int[] shape, byte[] values)
    {
        var bytes = new List<byte> { 0, 0, 8, dims };
        foreach (int s in shape)
        {
            bytes.AddRange([(byte)(s >> 24), (byte)(s >> 16), (byte)(s >> 8), (byte)s]);
        }

        bytes.AddRange(values);
        return [.. bytes];
    }
}
