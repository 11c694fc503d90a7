using Kosmos.Benchmarks.Report;

namespace Kosmos.Benchmarks.Scenarios;

/// <summary>
/// Action latency: click → API mutation → verified, for a restart in the simulator. A placeholder until the restart action
/// is in main; replace <see cref="RunAsync"/> then (a cluster with controllers running: a restart needs the deployment and
/// ReplicaSet controllers and the kubelet, unlike the other scenarios' static bulk fleet).
/// </summary>
public sealed class ActionLatencyScenario : IScenario
{
    public string Name => "action";

    public string Title => "Action latency: click → API mutation → verified (restart)";

    public int Order => 50;

    public Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct) =>
        Task.FromResult(new ScenarioResult(Name, Title) { Status = "not measured: restart action not yet in main" });
}
