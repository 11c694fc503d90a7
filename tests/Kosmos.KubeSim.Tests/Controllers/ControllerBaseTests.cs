using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Store;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Tests.Controllers;

public sealed class ControllerBaseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = SimulatedTime.StartingNow();

    [Fact]
    public async Task RunAsync_ReconcileThrows_RetriesThatKeyWithoutStoppingOthers()
    {
        var store = new ObjectStore(_clock);
        var controller = new FlakyController(store, new ScaledTimeProvider(_clock), failuresFor: new() { ["bad"] = 3 });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        store.Create(ResourceKinds.ConfigMaps, ConfigMap("bad"));
        store.Create(ResourceKinds.ConfigMaps, ConfigMap("good"));
        var created = _clock.GetUtcNow();

        await SimulatedTime.Until(_clock, Step, () => controller.Succeeded.ContainsKey("bad") && controller.Succeeded.ContainsKey("good"), "both keys to sync");
        Assert.Equal(4, controller.Attempts["bad"]);
        Assert.Equal(1, controller.Attempts["good"]);
        // Three failures wait 5, 10 and 20 ms of the controller's clock before the fourth attempt.
        Assert.True(_clock.GetUtcNow() - created >= TimeSpan.FromMilliseconds(35), $"retried after {_clock.GetUtcNow() - created}");

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.True(run.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RunAsync_ObjectChangesWhileRunning_ReconcilesEachChange()
    {
        var store = new ObjectStore(_clock);
        var controller = new FlakyController(store, new ScaledTimeProvider(_clock), failuresFor: []);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        store.Create(ResourceKinds.ConfigMaps, ConfigMap("settings"));
        await Eventually.Until(() => controller.Succeeded.ContainsKey("settings"), Timeout, "the first sync");

        store.Update(ResourceKinds.ConfigMaps, "kosmos", "settings", cm =>
        {
            cm["data"] = new JsonObject { ["mode"] = "fast" };
            return cm;
        });

        await Eventually.Until(() => controller.Succeeded.GetValueOrDefault("settings") == "fast", Timeout, "the change to be seen");
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    private static JsonObject ConfigMap(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "kosmos" } };

    private sealed class FlakyController(ObjectStore store, ScaledTimeProvider time, Dictionary<string, int> failuresFor)
        : ControllerBase<ObjectKey>("flaky", store, time, NullLogger.Instance, TimeSpan.FromHours(1))
    {
        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        public ConcurrentDictionary<string, string> Succeeded { get; } = new();

        protected override IReadOnlyList<ResourceKind> WatchedKinds => [ResourceKinds.ConfigMaps];

        protected override void OnEvent(WatchEvent e) => Queue.Add(new ObjectKey(e.Namespace, e.Name));

        protected override IEnumerable<ObjectKey> ResyncKeys() => [];

        protected override void Reconcile(ObjectKey key)
        {
            var attempt = Attempts.AddOrUpdate(key.Name, 1, (_, n) => n + 1);
            if (attempt <= failuresFor.GetValueOrDefault(key.Name))
            {
                throw new InvalidOperationException($"attempt {attempt} of {key} fails on purpose");
            }

            var cm = Store.Get(ResourceKinds.ConfigMaps, key.Namespace, key.Name);
            Succeeded[key.Name] = JsonValues.String(cm?["data"]?["mode"]) ?? "";
        }
    }
}
