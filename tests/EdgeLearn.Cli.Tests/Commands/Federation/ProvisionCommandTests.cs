using System.Security.Cryptography.X509Certificates;
using EdgeLearn.Cli.Infrastructure;
using EdgeLearn.Federation.Security;

namespace EdgeLearn.Cli.Tests.Commands.Federation;

public sealed class ProvisionCommandTests
{
    [Fact]
    public void Provision_DefaultScenario_WritesACertificatePerDeviceOfTheCa()
    {
        using var folder = new TempFolder();
        string output = folder.File("certs");

        var result = CliRunner.Run("federation", "provision", "--out", output, "--host", "localhost,edge.example.org", "--days", "30");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("and 10 devices", result.Output);
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(output, "authority", "ca.crt")));
        for (int k = 0; k < 10; k++)
        {
            string kit = Path.Combine(output, "devices", $"dev-{k}");
            Assert.Equal(["ca.crt", "device.crt", "device.key"], Directory.GetFiles(kit).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(File.ReadAllText(Path.Combine(output, "authority", "ca.crt")), File.ReadAllText(Path.Combine(kit, "ca.crt")));
            using var device = X509Certificate2.CreateFromPemFile(Path.Combine(kit, "device.crt"), Path.Combine(kit, "device.key"));
            Assert.Equal($"dev-{k}", Provisioning.DeviceId(device));
            Assert.True(Provisioning.IsIssuedBy(device, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow.AddDays(29)));
            Assert.False(Provisioning.IsIssuedBy(device, ca, Provisioning.ClientAuthentication, DateTimeOffset.UtcNow.AddDays(31)));
        }

        Assert.False(File.Exists(Path.Combine(output, "server", "ca.key"))); // no party gets the CA's key
        using var server = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(output, "server", "server.crt")));
        Assert.True(server.MatchesHostname("edge.example.org"));
        Assert.Empty(Directory.GetDirectories(folder.Path, ".certs.*"));
    }

    [Fact]
    public void Provision_IntoANonEmptyFolder_IsRefusedAndLeavesItAlone()
    {
        using var folder = new TempFolder();
        string key = folder.Write("certs/authority/ca.key", "keep");

        var result = CliRunner.Run("federation", "provision", "--out", folder.File("certs"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("a federation's keys are never overwritten", result.SingleErrorLine());
        Assert.Equal("keep", File.ReadAllText(key));
    }

    [Theory]
    [InlineData("--days", "0", "--days is 0; it must be between 1 and 3650.")]
    [InlineData("--host", "a b", "--host has 'a b'; every host must be a DNS name")]
    public void Provision_BadOption_IsOneLineAndExitCode2(string option, string value, string message)
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run("federation", "provision", "--out", folder.File("certs"), option, value);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(message, result.SingleErrorLine());
    }

    [Fact]
    public void Provision_ScenarioWithAnIdThatCannotNameAFolder_IsRefused()
    {
        using var folder = new TempFolder();
        var scenario = EdgeLearn.Scenarios.DefaultScenario.Create();
        scenario = scenario with { Devices = [.. scenario.Devices.Select((d, k) => k == 3 ? d with { Id = "dev 3/x" } : d)] };
        string path = folder.Write("odd.json", EdgeLearn.Scenarios.ScenarioJson.Serialize(scenario));

        var result = CliRunner.Run("federation", "provision", "--scenario", path, "--out", folder.File("certs"));

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("devices[3].id is \"dev 3/x\"; to be provisioned it must be 1 to 64 of the characters", result.SingleErrorLine());
        Assert.False(Directory.Exists(folder.File("certs")));
    }

    [Fact]
    public void Provision_WithoutOut_SaysItIsRequired()
    {
        var result = CliRunner.Run("federation", "provision");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--out is missing; it is required", result.SingleErrorLine());
    }
}
