using System.Security.Cryptography.X509Certificates;

namespace EdgeLearn.Federation.Security;

/// <summary>One party's kit as <see cref="Provisioning.Write"/> lays it out: the CA certificate to trust and the party's
/// own certificate with its private key.</summary>
/// <param name="Authority">The federation's CA certificate (<c>ca.crt</c>).</param>
/// <param name="Certificate">The party's certificate with its key (<c>server.crt</c>/<c>server.key</c> or
/// <c>device.crt</c>/<c>device.key</c>).</param>
public sealed record CertificateKit(X509Certificate2 Authority, X509Certificate2 Certificate)
{
    /// <summary>Loads the server's kit from <paramref name="folder"/>: the provisioning folder, or its <c>server</c> kit.</summary>
    /// <param name="folder">The --certs folder.</param>
    /// <returns>The kit.</returns>
    /// <exception cref="FileNotFoundException">A file of the kit is missing (the message names it and the layout).</exception>
    public static CertificateKit Server(string folder) => Load(Kit(folder, "server", "server"), "server");

    /// <summary>Loads device <paramref name="id"/>'s kit from <paramref name="folder"/>: the provisioning folder (its
    /// <c>devices/ID</c> kit), or that kit itself.</summary>
    /// <param name="folder">The --certs folder.</param>
    /// <param name="id">The device id.</param>
    /// <returns>The kit.</returns>
    /// <exception cref="FileNotFoundException">A file of the kit is missing.</exception>
    public static CertificateKit Device(string folder, string id) => Load(Kit(folder, Path.Combine("devices", id), "device"), "device");

    private static string Kit(string folder, string sub, string name) =>
        File.Exists(Path.Combine(folder, name + ".crt")) ? folder : Path.Combine(folder, sub);

    private static CertificateKit Load(string folder, string name)
    {
        foreach (string file in new[] { "ca.crt", name + ".crt", name + ".key" })
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"{path} does not exist; --certs must be the folder 'edgelearn federation provision' wrote, or a {name} kit in it (ca.crt, {name}.crt, {name}.key).", path);
            }
        }

        var authority = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, "ca.crt")));
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder, name + ".crt"), Path.Combine(folder, name + ".key"));
        return new CertificateKit(authority, certificate);
    }
}
