using k8s;
using Kosmos.KubeSim;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Kosmos.TestSupport;

/// <summary>
/// One simulated cluster on a loopback socket, shared by a test collection. Tests reach it only over HTTP:
/// through KubernetesClient (<see cref="Client"/>), real kubectl (<see cref="Kubectl"/>) or the /sim/ controls (<see cref="Sim"/>).
/// Override <see cref="Configure"/> for a different fleet or time scale.
/// </summary>
public class SimulatorFixture : IAsyncLifetime
{
    private KubeSimulator? _simulator;

    public KubeSimulator Simulator => _simulator ?? throw new InvalidOperationException("the simulator has not started");

    public Uri Url => Simulator.Url;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>
    /// The simulator's clock when <see cref="Configure"/> gave it one (<see cref="UseFakeClock"/>): tests advance it
    /// (<see cref="SimulatedTime"/>) instead of waiting for the cluster's deadlines in real time. Null on the real clock.
    /// </summary>
    public FakeTimeProvider? Clock { get; private set; }

    public HttpClient Sim { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>The simulator's CA certificate file when it serves https (<see cref="SimulatorOptions.Tls"/>), else null.</summary>
    public string? CaFile { get; private set; }

    /// <summary>A Kubernetes client of its own, e.g. for a cache under test that should not share connections; with a bearer token when given.</summary>
    public IKubernetes NewClient(string? token = null) => new Kubernetes(ClientConfiguration(token));

    /// <summary>How a client reaches this simulator: its URL, its CA when it serves https, and the token when given.</summary>
    public KubernetesClientConfiguration ClientConfiguration(string? token = null)
    {
        var configuration = new KubernetesClientConfiguration { Host = Url.ToString().TrimEnd('/'), AccessToken = token };
        if (Simulator.CertificatePem is { } pem)
        {
            configuration.SslCaCerts = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem)];
        }

        return configuration;
    }

    /// <summary>A kubectl of its own that authenticates with <paramref name="token"/> (the caller disposes it).</summary>
    public Kubectl KubectlAs(string token) => new(Url, [.. TlsArgs(), "--token", token]);

    public async Task InitializeAsync()
    {
        var options = new SimulatorOptions();
        Configure(options);
        _simulator = await KubeSimulator.StartAsync(options);
        if (_simulator.CertificatePem is { } pem)
        {
            CaFile = Path.Combine(Directory.CreateTempSubdirectory("kosmos-sim-ca-").FullName, "ca.crt");
            await File.WriteAllTextAsync(CaFile, pem);
        }

        Client = NewClient(AdminToken);
        Sim = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
        {
            BaseAddress = Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        Kubectl = AdminToken is null ? new Kubectl(Url, TlsArgs()) : KubectlAs(AdminToken);
    }

    /// <summary>
    /// The token <see cref="Client"/> and <see cref="Kubectl"/> use; null (the default) sends none, which the simulator treats as
    /// the admin. Over https kubectl asks for a user name when it has no credentials, so an https fixture names an admin token.
    /// </summary>
    protected virtual string? AdminToken => null;

    private string[] TlsArgs() => CaFile is null ? [] : ["--certificate-authority", CaFile];

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Sim?.Dispose();
        Kubectl?.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    /// <summary>Runs the simulator on a fake clock at scale 1: nothing in the cluster waits unless the test advances <see cref="Clock"/>.</summary>
    protected void UseFakeClock(SimulatorOptions options)
    {
        Clock = SimulatedTime.StartingNow();
        options.TimeProvider = Clock;
        options.TimeScale = 1;
    }

    /// <summary>Defaults: the demo fleet, controllers running, time 60× faster so back-offs take seconds.</summary>
    protected virtual void Configure(SimulatorOptions options)
    {
        options.TimeScale = 60;
        options.BookmarkInterval = TimeSpan.FromSeconds(1);
    }
}

/// <summary>A simulator with no fleet and no controllers: only the API machinery.</summary>
public sealed class EmptySimulatorFixture : SimulatorFixture
{
    protected override void Configure(SimulatorOptions options)
    {
        base.Configure(options);
        options.SeedDemoFleet = false;
        options.RunControllers = false;
    }
}

/// <summary>
/// A simulator that enforces RBAC over https (kubectl sends tokens only over TLS), with controllers and no fleet. Tokens:
/// <see cref="AdminToken"/> (system:masters), <see cref="DashboardToken"/> (the dashboard's service account), <see cref="AdaToken"/> (a plain user in group ops), <see cref="BobToken"/> (user bob).
/// </summary>
public class RbacSimulatorFixture : SimulatorFixture
{
    public const string Admin = "kubernetes-admin";
    public const string Dashboard = "system:serviceaccount:kosmos:kosmos-dashboard";
    public const string DashboardToken = "dashboard-token";
    public const string AdaToken = "ada-token";
    public const string BobToken = "bob-token";

    protected override string? AdminToken => "admin-token";

    protected override void Configure(SimulatorOptions options)
    {
        base.Configure(options);
        options.SeedDemoFleet = false;
        options.Authorization = Kosmos.KubeSim.Auth.AuthorizationMode.Rbac;
        options.Tls = true;
        options.Tokens[AdminToken!] = $"{Admin},system:masters";
        options.Tokens[DashboardToken] = Dashboard;
        options.Tokens[AdaToken] = "ada,ops";
        options.Tokens[BobToken] = "bob";
    }
}
