using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kosmos.KubeSim.Auth;

/// <summary>
/// A throw-away serving certificate for 127.0.0.1 and localhost, its own CA. kubectl sends bearer tokens only over TLS
/// (client-go reads a kubeconfig's or <c>--token</c>'s credentials only for an https server), so a simulator that checks tokens
/// must speak https; clients trust <see cref="Pem"/> (<c>kubectl --certificate-authority</c>).
/// </summary>
public sealed class SelfSignedCertificate : IDisposable
{
    private SelfSignedCertificate(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Pem = certificate.ExportCertificatePem();
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate in PEM, to write where a client reads its CA from.</summary>
    public string Pem { get; }

    public static SelfSignedCertificate Create(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kosmos-kube-sim", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        if (IPAddress.TryParse(host, out var address) && !IPAddress.IsLoopback(address))
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        // Kestrel on Linux needs the private key in a loadable (PKCS#12) form, not an ephemeral handle.
        return new SelfSignedCertificate(X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null));
    }

    public void Dispose() => Certificate.Dispose();
}
