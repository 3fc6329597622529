using EdgeLearn.Data.Internal;

namespace EdgeLearn.Data.Shift.Internal;

/// <summary>Pixel transforms of the controlled shift; images are height x width x channels, row-major.</summary>
internal static class ImageTransforms
{
    /// <summary>Rotates an image counterclockwise by <paramref name="degrees"/> about its centre ((w-1)/2, (h-1)/2), bilinear, zero outside.</summary>
    public static void Rotate(ReadOnlySpan<float> source, Span<float> destination, int width, int height, int channels, double degrees)
    {
        if (source.Length != width * height * channels || destination.Length < source.Length)
        {
            throw new ArgumentException("buffer lengths do not match the image shape.");
        }

        double theta = degrees * Math.PI / 180;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                // Inverse map: the output pixel at angle +theta comes from the source at angle -theta (y axis points down).
                double dx = c - cx, dy = r - cy;
                double sx = cos * dx - sin * dy + cx;
                double sy = sin * dx + cos * dy + cy;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int ch = 0; ch < channels; ch++)
                {
                    double v =
                        (1 - fx) * (1 - fy) * At(source, width, height, channels, x0, y0, ch) +
                        fx * (1 - fy) * At(source, width, height, channels, x0 + 1, y0, ch) +
                        (1 - fx) * fy * At(source, width, height, channels, x0, y0 + 1, ch) +
                        fx * fy * At(source, width, height, channels, x0 + 1, y0 + 1, ch);
                    destination[(r * width + c) * channels + ch] = (float)v;
                }
            }
        }
    }

    /// <summary>x -> 1 - x in place.</summary>
    public static void Invert(Span<float> image)
    {
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = 1f - image[i];
        }
    }

    /// <summary>Adds N(0, std^2) noise to every value and clips to [0, 1], in place.</summary>
    public static void AddNoise(Span<float> image, double std, Random random)
    {
        for (int i = 0; i < image.Length; i++)
        {
            double v = image[i] + std * Sampling.Gaussian(random);
            image[i] = (float)Math.Clamp(v, 0, 1);
        }
    }

    private static double At(ReadOnlySpan<float> image, int width, int height, int channels, int x, int y, int channel) =>
        (uint)x < (uint)width && (uint)y < (uint)height ? image[(y * width + x) * channels + channel] : 0;
}
