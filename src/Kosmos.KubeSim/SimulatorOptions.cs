using Kosmos.KubeSim.Auth;

namespace Kosmos.KubeSim;

public sealed class SimulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Address to bind; loopback unless said otherwise.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Seed the demo fleet from <see cref="ManifestsDirectory"/> at start.</summary>
    public bool SeedDemoFleet { get; set; } = true;

    /// <summary>The agent manifests (deploy/agents); found automatically when null.</summary>
    public string? ManifestsDirectory { get; set; }

    /// <summary>Simulated seconds per real second (of <see cref="TimeProvider"/>); changeable later via <c>/sim/time-scale</c>.</summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>
    /// The clock under the simulation: every "now", delay, timer and deadline of the kubelet, controllers, back-offs, probes,
    /// events and object timestamps derives from it (scaled by <see cref="TimeScale"/>). The system clock for real runs; tests
    /// pass a <c>FakeTimeProvider</c> and advance it instead of waiting in real time.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Give agents named like the demo fleet's their demo behaviours (OOM, crash loop, deadlock, ...). Off for tests whose
    /// workloads merely share a demo agent's name and must behave as healthy programs.
    /// </summary>
    public bool DemoBehaviours { get; set; } = true;

    /// <summary>Run the kubelet and controllers (off for tests of pure API machinery).</summary>
    public bool RunControllers { get; set; } = true;

    /// <summary>
    /// <see cref="AuthorizationMode.Rbac"/> enforces Roles and bindings for requests with a bearer token from <see cref="Tokens"/>
    /// (requests without one stay admin); the default allows everything (<c>--authorization rbac</c> standalone).
    /// </summary>
    public AuthorizationMode Authorization { get; set; } = AuthorizationMode.AlwaysAllow;

    /// <summary>Bearer token → <c>USER[,GROUP...]</c>, e.g. <c>system:serviceaccount:kosmos:kosmos-dashboard</c> (<c>--token TOKEN=USER</c>).</summary>
    public IDictionary<string, string> Tokens { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Serve https with a self-signed certificate (<see cref="KubeSimulator.CertificatePem"/>): kubectl sends tokens only over TLS (<c>--tls</c>).</summary>
    public bool Tls { get; set; }
}
