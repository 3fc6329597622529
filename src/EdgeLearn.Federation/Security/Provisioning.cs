using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeLearn.Federation.Security;

/// <summary>Options of <see cref="Provisioning.Create"/>: what the certificates say and how long they live.</summary>
public sealed record ProvisionOptions
{
    /// <summary>Host names the server's certificate is valid for (subject alternative names); default <c>localhost</c>.</summary>
    public IReadOnlyList<string> ServerHosts { get; init; } = ["localhost"];

    /// <summary>IP addresses the server's certificate is valid for; default 127.0.0.1 and ::1.</summary>
    public IReadOnlyList<IPAddress> ServerAddresses { get; init; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Days every certificate is valid from now; default 365.</summary>
    public int ValidDays { get; init; } = 365;

    /// <summary>Clock of the validity period; default the system's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the options; one line per problem naming the field, the value and the rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ValidDays is < 1 or > 3650)
        {
            errors.Add($"validDays is {ValidDays}; it must be between 1 and 3650.");
        }

        foreach (string host in ServerHosts)
        {
            if (Uri.CheckHostName(host) != UriHostNameType.Dns)
            {
                errors.Add($"serverHosts has '{host}'; every host must be a DNS name (e.g. localhost or edge.example.org).");
            }
        }

        if (ServerHosts.Count + ServerAddresses.Count == 0)
        {
            errors.Add("serverHosts and serverAddresses are both empty; the server's certificate needs at least one name or address.");
        }

        return errors;
    }
}

/// <summary>One certificate of a federation and its private key, both PEM.</summary>
/// <param name="Name">Who holds it: <c>ca</c>, <c>server</c> or a device id.</param>
/// <param name="CertificatePem">The certificate.</param>
/// <param name="PrivateKeyPem">Its PKCS #8 private key.</param>
/// <param name="Thumbprint">SHA-256 of the certificate's DER bytes, lowercase hex.</param>
public sealed record IssuedCertificate(string Name, string CertificatePem, string PrivateKeyPem, string Thumbprint);

/// <summary>A federation's certificates: a certificate authority, the server's and one per device.</summary>
/// <param name="Authority">The CA (self-signed; its key signs the others).</param>
/// <param name="Server">The server's (TLS server authentication; its names and addresses as subject alternative names).</param>
/// <param name="Devices">One per device id, in the scenario's order (TLS client authentication; the id is the subject's CN).</param>
public sealed record FederationCertificates(IssuedCertificate Authority, IssuedCertificate Server, IReadOnlyList<IssuedCertificate> Devices);

/// <summary>What <c>manifest.json</c> of a provisioned folder says: who holds which certificate.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="NotBefore">Start of validity, UTC.</param>
/// <param name="NotAfter">End of validity, UTC.</param>
/// <param name="ServerHosts">The server certificate's host names.</param>
/// <param name="ServerAddresses">The server certificate's IP addresses.</param>
/// <param name="Authority">SHA-256 thumbprint of the CA certificate.</param>
/// <param name="Server">SHA-256 thumbprint of the server certificate.</param>
/// <param name="Devices">Device id → SHA-256 thumbprint of its certificate.</param>
public sealed record ProvisionManifest(
    string Scenario, DateTimeOffset NotBefore, DateTimeOffset NotAfter, IReadOnlyList<string> ServerHosts, IReadOnlyList<string> ServerAddresses,
    string Authority, string Server, IReadOnlyDictionary<string, string> Devices);

/// <summary>
/// Creates the certificates of a federation (issue 12), in the spirit of NVIDIA FLARE's provisioning: a private CA, a
/// server certificate and one client certificate per device id, all ECDSA P-256, made with the .NET cryptography APIs.
/// The server trusts only this CA and maps a client certificate's subject CN to the device id it may act as.
/// </summary>
public static class Provisioning
{
    /// <summary>TLS web server authentication (RFC 5280).</summary>
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>TLS web client authentication (RFC 5280).</summary>
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Creates the certificates for <paramref name="deviceIds"/>.</summary>
    /// <param name="deviceIds">The scenario's device ids (unique, in order).</param>
    /// <param name="options">Names, addresses and validity.</param>
    /// <returns>The certificates and keys.</returns>
    /// <exception cref="ArgumentException">The options are invalid or an id is empty or repeated.</exception>
    public static FederationCertificates Create(IReadOnlyList<string> deviceIds, ProvisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(problems[0], nameof(options));
        }

        if (CheckIds(deviceIds) is { Count: > 0 } bad)
        {
            throw new ArgumentException(bad[0], nameof(deviceIds));
        }

        var now = options.Clock.GetUtcNow();
        var notBefore = now.AddMinutes(-5); // clocks of the devices may lag a little
        var notAfter = now.AddDays(options.ValidDays);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(new X500DistinguishedName("CN=EdgeLearn federation CA, O=EdgeLearn"), caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));
        var authority = Issued("ca", ca, caKey);

        var names = new SubjectAlternativeNameBuilder();
        foreach (string host in options.ServerHosts)
        {
            names.AddDnsName(host);
        }

        foreach (var address in options.ServerAddresses)
        {
            names.AddIpAddress(address);
        }

        var server = Leaf("server", new X500DistinguishedName("CN=EdgeLearn federation server, O=EdgeLearn"), ServerAuthentication, ca, names.Build(), notBefore, notAfter);
        var devices = deviceIds.Select(id => Leaf(id, DeviceSubject(id), ClientAuthentication, ca, null, notBefore, notAfter)).ToArray();
        return new FederationCertificates(authority, server, devices);
    }

    /// <summary>The longest device id a certificate can carry (the X.520 upper bound of a common name).</summary>
    public const int MaxIdLength = 64;

    /// <summary>The organization every device certificate names, so a device certificate cannot pass for another kind.</summary>
    public const string DeviceOrganization = "EdgeLearn device";

    /// <summary>Why the scenario's device ids cannot be provisioned, one line per problem naming <c>devices[k].id</c>:
    /// an id must be 1 to 64 of the characters A–Z, a–z, 0–9, '.', '_' and '-' (it names the device's folder and is the
    /// certificate's common name), and no two may differ only in case (file systems that ignore case would merge them).</summary>
    public static IReadOnlyList<string> CheckIds(IReadOnlyList<string> deviceIds)
    {
        ArgumentNullException.ThrowIfNull(deviceIds);
        var errors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int k = 0; k < deviceIds.Count; k++)
        {
            string id = deviceIds[k] ?? "";
            if (id.Length is 0 or > MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || id is "." or "..")
            {
                errors.Add($"devices[{k}].id is \"{id}\"; to be provisioned it must be 1 to {MaxIdLength} of the characters A-Z, a-z, 0-9, '.', '_' and '-'.");
            }
            else if (!seen.TryAdd(id, k))
            {
                errors.Add($"devices[{k}].id is \"{id}\"; it differs from devices[{seen[id]}].id only in case, and the two would share a folder.");
            }
        }

        return errors;
    }

    /// <summary>The subject of device <paramref name="id"/>'s certificate: its id as the common name.</summary>
    public static X500DistinguishedName DeviceSubject(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(DeviceOrganization);
        builder.AddCommonName(id);
        return builder.Build();
    }

    /// <summary>The device id a client certificate stands for: the subject's one common name, when the subject is exactly
    /// <c>O=EdgeLearn device, CN=ID</c> (single-valued parts) and the id is a valid one; otherwise null.</summary>
    public static string? DeviceId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? cn = null, organization = null;
        int parts = 0;
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            parts++;
            if (part.HasMultipleElements)
            {
                return null;
            }

            switch (part.GetSingleElementType().Value)
            {
                case "2.5.4.3" when cn is null: // commonName
                    cn = part.GetSingleElementValue();
                    break;
                case "2.5.4.10" when organization is null: // organizationName
                    organization = part.GetSingleElementValue();
                    break;
                default:
                    return null;
            }
        }

        return parts == 2 && organization == DeviceOrganization && cn is not null && CheckIds([cn]).Count == 0 ? cn : null;
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by <paramref name="authority"/> for <paramref name="usage"/>
    /// (an EKU OID) and is valid at <paramref name="when"/>: the chain is built with the authority as the only trust
    /// anchor, no system roots, no revocation lookups and no certificate downloads (the federation is offline); it must be
    /// exactly leaf and authority, and the leaf must not be a CA and must name the usage in its own EKU extension.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority, string usage, DateTimeOffset when)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(authority);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = when.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        chain.ChainPolicy.DisableCertificateDownloads = true;
        bool leafIsCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        bool leafNamesUsage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Any(e => e.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == usage));
        return !leafIsCa && leafNamesUsage && chain.Build(certificate) && chain.ChainElements.Count == 2
            && chain.ChainElements[1].Certificate.RawData.AsSpan().SequenceEqual(authority.RawData);
    }

    /// <summary>Writes a federation into <paramref name="folder"/>, one kit per party so that each gets only its own key:
    /// <c>authority/ca.crt</c> and <c>authority/ca.key</c> (kept by whoever provisions; no party needs the CA key),
    /// <c>server/ca.crt</c>, <c>server/server.crt</c>, <c>server/server.key</c>, and for every device
    /// <c>devices/ID/ca.crt</c>, <c>devices/ID/device.crt</c>, <c>devices/ID/device.key</c>; and <c>manifest.json</c>.
    /// Key files are created readable by their owner only (mode 600 where the system has modes).</summary>
    /// <exception cref="IOException"><paramref name="folder"/> exists and is not empty.</exception>
    public static ProvisionManifest Write(string folder, FederationCertificates federation, string scenario, ProvisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new IOException($"{folder} is not empty; a federation's keys are never written over other files.");
        }

        string authority = Path.Combine(folder, "authority"), server = Path.Combine(folder, "server");
        WriteKit(authority, "ca", federation.Authority, null);
        WriteKit(server, "server", federation.Server, federation.Authority);
        foreach (var device in federation.Devices)
        {
            WriteKit(Path.Combine(folder, "devices", device.Name), "device", device, federation.Authority);
        }

        using var serverCertificate = X509Certificate2.CreateFromPem(federation.Server.CertificatePem);
        var manifest = new ProvisionManifest(
            scenario, new DateTimeOffset(serverCertificate.NotBefore.ToUniversalTime(), TimeSpan.Zero), new DateTimeOffset(serverCertificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            options.ServerHosts, [.. options.ServerAddresses.Select(a => a.ToString())],
            federation.Authority.Thumbprint, federation.Server.Thumbprint, federation.Devices.ToDictionary(d => d.Name, d => d.Thumbprint));
        File.WriteAllText(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, ManifestJson) + "\n");
        return manifest;
    }

    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One party's kit: its certificate and key as NAME.crt and NAME.key, and the CA's certificate to trust.</summary>
    private static void WriteKit(string folder, string name, IssuedCertificate issued, IssuedCertificate? authority)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".crt"), issued.CertificatePem);
        if (authority is not null)
        {
            File.WriteAllText(Path.Combine(folder, "ca.crt"), authority.CertificatePem);
        }

        // The key file is created readable by its owner only, before a byte of the key is in it, and flushed to disk.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(Path.Combine(folder, name + ".key"), options);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(issued.PrivateKeyPem));
        stream.Flush(flushToDisk: true);
    }

    private static IssuedCertificate Leaf(string name, X500DistinguishedName subject, string usage, X509Certificate2 ca, X509Extension? alternativeNames,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive, and 16 significant bytes (no leading zero to strip)
        using var certificate = request.Create(ca, notBefore, notAfter, serial);
        return Issued(name, certificate, key);
    }

    private static IssuedCertificate Issued(string name, X509Certificate2 certificate, ECDsa key) =>
        new(name, certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n", Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
}
