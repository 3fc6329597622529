using EdgeLearn.Learning;
using EdgeLearn.Training;

namespace EdgeLearn.Cli.Commands.Training.Internal;

/// <summary>The weights files a run writes into its --out folder (docs/formats.md, "Model weights").</summary>
internal static class WeightFiles
{
    /// <summary>Name of the weights after pre-training.</summary>
    public const string Pretrained = "model-pretrained.bin";

    /// <summary>Name of the final weights.</summary>
    public const string Final = "model-final.bin";

    /// <summary>Writes <c>model-pretrained.bin</c> (when the run pre-trained) and <c>model-final.bin</c>; with a
    /// <paramref name="scheme"/>, <c>model-pretrained-SCHEME.bin</c> and <c>model-final-SCHEME.bin</c>.</summary>
    public static void Write(OutputFolder folder, TrainingResult result, string? scheme = null)
    {
        if (result.PretrainedWeights is { } pretrained)
        {
            folder.WriteBytes(Name(Pretrained, scheme), ModelFile.Serialize(pretrained.Architecture, pretrained.Parameters.Span));
        }

        if (result.FinalWeights is { } final)
        {
            folder.WriteBytes(Name(Final, scheme), ModelFile.Serialize(final.Architecture, final.Parameters.Span));
        }
    }

    private static string Name(string file, string? scheme) => scheme is null ? file : file.Replace(".bin", $"-{scheme}.bin", StringComparison.Ordinal);
}
