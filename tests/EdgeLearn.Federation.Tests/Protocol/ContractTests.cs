using EdgeLearn.Federation.Protocol;
using Google.Protobuf;

namespace EdgeLearn.Federation.Tests.Protocol;

/// <summary>The generated contract of proto/edgelearn/v1/federation.proto is the one docs/federation.md documents.</summary>
public sealed class ContractTests
{
    [Fact]
    public void Service_HasTheDocumentedMethods()
    {
        var service = FederationReflection.Descriptor.Services.Single();

        Assert.Equal("edgelearn.v1.Federation", service.FullName);
        Assert.Equal(["Register", "Heartbeat", "GetAssignment", "Upload", "GetRoundResult"], service.Methods.Select(m => m.Name));
    }

    [Fact]
    public void Assignment_WithAModel_RoundTripsThroughTheWireFormat()
    {
        float[] model = [0.5f, -1.25f, 3e-8f];
        var assignment = new Assignment
        {
            Round = 7, Model = ByteString.CopyFrom(PackedFloats.Encode(model)), Batch = 44, FrequencyHz = 1e9, PowerW = 0.15077, DeadlineS = 0.6132, WallTimeoutS = 60,
        };

        var back = Assignment.Parser.ParseFrom(assignment.ToByteArray());
        var values = new float[3];

        Assert.Equal(assignment, back);
        Assert.True(PackedFloats.TryDecode(back.Model.Span, values, out _));
        Assert.Equal(model, values);
    }

    [Fact]
    public void Docs_DescribeEveryMessageOfTheContract()
    {
        string docs = File.ReadAllText(Path.Combine(Root(), "docs", "federation.md"));

        foreach (var message in FederationReflection.Descriptor.MessageTypes)
        {
            Assert.Contains($"`{message.Name}`", docs);
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                Assert.Contains($"`{field.Name}`", docs);
            }
        }

        foreach (var value in FederationReflection.Descriptor.EnumTypes.SelectMany(e => e.Values))
        {
            Assert.Contains($"`{value.Name}`", docs);
        }
    }

    private static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EdgeLearn.slnx")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("the repository root (EdgeLearn.slnx) is not above the test binaries.");
    }
}
