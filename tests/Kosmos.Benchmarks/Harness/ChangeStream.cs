using System.Text.Json.Nodes;
using Kosmos.KubeSim.Fleet;
using Kosmos.KubeSim.Store;

namespace Kosmos.Benchmarks.Harness;

/// <summary>One pod change: the agent's restart total it brings about, and when it was applied (<see cref="Clock.NowMs"/>).</summary>
public sealed record AppliedChange(string AgentKey, string Pod, int Restarts, double AppliedAtMs);

/// <summary>
/// A steady stream of pod changes at the simulator: each tick bumps one container's <c>restartCount</c> in a pod's status.
/// That reaches every viewer as the agent's <c>restarts</c> (hub <c>AgentMessage.Restarts</c>, the board's Restarts cell)
/// without changing its health or its place on the board, so each change is recognisable by the total it makes.
/// </summary>
/// <remarks>
/// Changes are written to the simulator's <see cref="ObjectStore"/> in-process, the way its kubelet writes pod status, not
/// through its HTTP API: the store's write is what every watch sees, so it is the true start of the path under test; it is
/// timestamped just before the write; and the generator's own requests stay out of <c>/sim/stats</c>, which then counts
/// only what viewers ask of the API server.
/// Every other change goes to one of the <see cref="Visible"/> agents (the first rows of the board, so a browser page has
/// them in its DOM), the rest to a random agent. Not thread-safe: one stream runs at a time.
/// </remarks>
public sealed class ChangeStream
{
    private readonly ObjectStore _store;
    private readonly BulkFleet _fleet;
    private readonly Dictionary<string, int> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextPod = new(StringComparer.Ordinal);
    private readonly Random _random = new(20_000);
    private long _sequence;

    public ChangeStream(ObjectStore store, BulkFleet fleet, int visibleAgents = 5)
    {
        _store = store;
        _fleet = fleet;
        Visible = [.. fleet.Agents.Take(visibleAgents)];
    }

    /// <summary>Agent names (not keys) that every other change goes to.</summary>
    public IReadOnlyList<string> Visible { get; }

    /// <summary>Applies <paramref name="perSecond"/> changes a second for <paramref name="duration"/>; returns them in order.</summary>
    public async Task<IReadOnlyList<AppliedChange>> RunAsync(double perSecond, TimeSpan duration, CancellationToken ct)
    {
        var applied = new List<AppliedChange>();
        var count = (int)Math.Round(perSecond * duration.TotalSeconds);
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
        for (var i = 0; i < count && await pace.WaitForNextTickAsync(ct); i++)
        {
            applied.Add(ApplyOne());
        }

        return applied;
    }

    private AppliedChange ApplyOne()
    {
        var n = _sequence++;
        var others = _fleet.Agents.Count - Visible.Count;
        var agent = n % 2 == 0 || others <= 0
            ? Visible[(int)(n / 2 % Visible.Count)]
            : _fleet.Agents[Visible.Count + _random.Next(others)];
        var pods = _fleet.PodsOf(agent);
        var index = _nextPod.GetValueOrDefault(agent);
        _nextPod[agent] = (index + 1) % pods.Count;
        var pod = pods[index];
        var total = _totals.GetValueOrDefault(agent) + 1;
        _totals[agent] = total;

        var at = Clock.NowMs();
        _store.Update(ResourceKinds.Pods, _fleet.Namespace, pod, p =>
        {
            var status = p["status"]!["containerStatuses"]![0]!.AsObject();
            status["restartCount"] = (status["restartCount"]?.GetValue<int>() ?? 0) + 1;
            return p;
        }, UpdateScope.Status);
        return new AppliedChange(BulkFleet.Key(_fleet.Namespace, agent), pod, total, at);
    }
}

/// <summary>The agents and pods <see cref="FleetSeeder.SeedBulk"/> made, read back from the store.</summary>
public sealed class BulkFleet
{
    private readonly Dictionary<string, List<string>> _pods;

    private BulkFleet(string ns, Dictionary<string, List<string>> pods)
    {
        Namespace = ns;
        _pods = pods;
        Agents = [.. pods.Keys.Order(StringComparer.Ordinal)];
    }

    public string Namespace { get; }

    /// <summary>Agent names in board order (all healthy, so by name).</summary>
    public IReadOnlyList<string> Agents { get; }

    public int PodCount => _pods.Values.Sum(p => p.Count);

    public static string Key(string ns, string agent) => $"{ns}/{agent}";

    public IReadOnlyList<string> PodsOf(string agent) => _pods[agent];

    /// <summary>Seeds <paramref name="agents"/> × <paramref name="podsPerAgent"/> healthy pods and reads back who is who.</summary>
    public static BulkFleet Seed(ObjectStore store, TimeProvider time, int agents, int podsPerAgent)
    {
        new FleetSeeder(store, time).SeedBulk(agents, podsPerAgent);
        var pods = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pod in store.List(ResourceKinds.Pods, FleetSeeder.Namespace).Items)
        {
            var agent = pod["metadata"]?["labels"]?["app"]?.GetValue<string>();
            if (agent is null)
            {
                continue;
            }

            if (!pods.TryGetValue(agent, out var names))
            {
                names = [];
                pods[agent] = names;
            }

            names.Add(pod["metadata"]!["name"]!.GetValue<string>());
        }

        return new BulkFleet(FleetSeeder.Namespace, pods);
    }
}
