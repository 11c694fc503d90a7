using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kosmos.KubeSim;
using Kosmos.KubeSim.Controllers;
using Kosmos.KubeSim.Store;
using Kosmos.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kosmos.KubeSim.Tests.Controllers;

/// <summary>
/// The volume controller alone, with a recording <see cref="IVolumeDataStore"/>, on a simulator without the
/// composed controllers, on a fake clock the waits advance (provisioning and snapshot uploads take simulated time);
/// everything else goes through the HTTP API.
/// </summary>
public sealed class VolumeControllerTests : IAsyncLifetime
{
    private const string Ns = "kosmos";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = SimulatedTime.StartingNow();
    private readonly CancellationTokenSource _stop = new();
    private KubeSimulator _sim = null!;
    private RecordingVolumeData _data = null!;
    private Task _controller = Task.CompletedTask;
    private Kubernetes _client = null!;
    private HttpClient _http = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimulator.StartAsync(new SimulatorOptions { SeedDemoFleet = false, RunControllers = false, TimeProvider = _clock });
        _data = new RecordingVolumeData(_sim.Store);
        var controller = new VolumeController(_sim.Store, _sim.Time, NullLoggerFactory.Instance, TimeSpan.FromMinutes(10), _data);
        // Claims carry kubernetes.io/pvc-protection from admission: without its controller none could be deleted.
        var protection = new ClaimProtectionController(_sim.Store, _sim.Time, NullLoggerFactory.Instance, TimeSpan.FromMinutes(10));
        _controller = Task.WhenAll(controller.RunAsync(_stop.Token), protection.RunAsync(_stop.Token));
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _sim.Url.ToString().TrimEnd('/') });
        _http = new HttpClient { BaseAddress = _sim.Url };
        _kubectl = new Kubectl(_sim.Url);
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _controller;
        _client.Dispose();
        _http.Dispose();
        _kubectl.Dispose();
        await _sim.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task CreateClaim_Empty_BindsAfterProvisioning()
    {
        var created = await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("planner-state", "5Gi"), Ns);

        var bound = await BoundAsync("planner-state");

        Assert.Equal($"pvc-{created.Metadata.Uid}", bound.Spec.VolumeName);
        Assert.Equal("5Gi", bound.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], bound.Status.AccessModes);
        Assert.Equal([$"Provision {created.Metadata.Uid} from (none)"], _data.Calls);
        var phase = (await _kubectl.RunAsync("get", "pvc", "planner-state", "-n", Ns, "-o", "jsonpath={.status.phase}")).EnsureSuccess();
        Assert.Equal("Bound", phase.Stdout);
        var events = (await _client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.name=planner-state")).Items;
        Assert.Contains(events, e => e.Reason == "ProvisioningSucceeded" && e.Message == $"Successfully provisioned volume pvc-{created.Metadata.Uid}");
    }

    [Fact]
    public async Task CreateSnapshot_OfBoundClaim_BecomesReadyWithContent()
    {
        var pvc = await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("coder-state", "2Gi"), Ns);
        await BoundAsync("coder-state");

        var snapshot = await CreateSnapshotAsync("coder-backup", "coder-state");
        var ready = await SnapshotAsync("coder-backup", s => JsonValues.Bool(s["status"]?["readyToUse"]) == true);

        var uid = snapshot["metadata"]!["uid"]!.GetValue<string>();
        Assert.Equal($"snapcontent-{uid}", ready["status"]!["boundVolumeSnapshotContentName"]!.GetValue<string>());
        Assert.Equal("2Gi", ready["status"]!["restoreSize"]!.GetValue<string>());
        Assert.NotNull(ready["status"]!["creationTime"]);
        Assert.Null(ready["status"]!["error"]);
        Assert.Contains($"TakeSnapshot {uid} of {pvc.Metadata.Uid}", _data.Calls);
        var list = (await _kubectl.RunAsync("get", "volumesnapshots", "-n", Ns, "-o", "name")).EnsureSuccess();
        Assert.Contains("coder-backup", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSnapshot_MissingClaim_ReportsErrorAndWarning()
    {
        await CreateSnapshotAsync("orphan-backup", "no-such-claim");

        var failed = await SnapshotAsync("orphan-backup", s => s["status"]?["error"] is not null);

        Assert.False(JsonValues.Bool(failed["status"]!["readyToUse"]));
        Assert.Contains("persistentvolumeclaims \"no-such-claim\" not found", failed["status"]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(failed["status"]!["error"]!["time"]);
        var events = await SimulatedTime.Until(_clock, Step, async () => (await _client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.name=orphan-backup")).Items,
            e => e.Count > 0, "a warning event");
        Assert.Contains(events, e => e.Type == "Warning" && e.Reason == "SnapshotContentCreationFailed" && e.Source.Component == "snapshot-controller");
        Assert.DoesNotContain(_data.Calls, c => c.StartsWith("TakeSnapshot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestoreClaim_FromSnapshot_BindsOnlyOnceSnapshotIsReady()
    {
        // The restore is asked for before its snapshot even exists.
        var restore = Claim("restored-state", "1Gi");
        restore.Spec.DataSourceRef = new V1TypedObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = "nightly" };
        var restored = await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(restore, Ns);
        var missing = await WarningAsync("restored-state", m => m.Contains("\"nightly\" not found", StringComparison.Ordinal));
        Assert.Equal("ProvisioningFailed", missing.Reason);

        var source = await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("memory-state", "1Gi"), Ns);
        await BoundAsync("memory-state");
        var snapshot = await CreateSnapshotAsync("nightly", "memory-state");
        await SnapshotAsync("nightly", s => JsonValues.Bool(s["status"]?["readyToUse"]) == true);
        var bound = await BoundAsync("restored-state");

        var snapshotUid = snapshot["metadata"]!["uid"]!.GetValue<string>();
        Assert.Equal($"pvc-{restored.Metadata.Uid}", bound.Spec.VolumeName);
        Assert.Equal(
            [$"Provision {source.Metadata.Uid} from (none)", $"TakeSnapshot {snapshotUid} of {source.Metadata.Uid}", $"Provision {restored.Metadata.Uid} from {snapshotUid}"],
            _data.Calls);
        Assert.Equal([true], _data.SnapshotReadyWhenRestored);
    }

    [Fact]
    public async Task RestoreClaim_SnapshotNotReady_WaitsWithEvents()
    {
        // A snapshot of a claim that does not exist is never cut, so never ready.
        await CreateSnapshotAsync("not-yet", "missing-claim");
        await SnapshotAsync("not-yet", s => s["status"]?["error"] is not null);
        var restore = Claim("waiting", "1Gi");
        restore.Spec.DataSource = new V1TypedLocalObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = "not-yet" };
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(restore, Ns);

        var warning = await WarningAsync("waiting", m => m.Contains("snapshot not-yet is not Ready", StringComparison.Ordinal));

        Assert.Equal("ProvisioningFailed", warning.Reason);
        var events = (await _client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.name=waiting")).Items;
        Assert.Contains(events, e => e is { Type: "Normal", Reason: "ExternalProvisioning" } && e.Source.Component == "persistentvolume-controller");
        var claim = await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("waiting", Ns);
        Assert.NotEqual("Bound", claim.Status?.Phase);
        Assert.Null(claim.Spec.VolumeName);
        Assert.DoesNotContain(_data.Calls, c => c.StartsWith("Provision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RestoreClaim_SmallerThanSnapshot_StaysPending()
    {
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("big", "10Gi"), Ns);
        await BoundAsync("big");
        await CreateSnapshotAsync("big-backup", "big");
        await SnapshotAsync("big-backup", s => JsonValues.Bool(s["status"]?["readyToUse"]) == true);
        var restore = Claim("too-small", "1Gi");
        restore.Spec.DataSourceRef = new V1TypedObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = "big-backup" };
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(restore, Ns);

        var warning = await WarningAsync("too-small", m => m.Contains("requested volume size 1Gi is less than the size 10Gi", StringComparison.Ordinal));

        Assert.Equal("ProvisioningFailed", warning.Reason);
        Assert.NotEqual("Bound", (await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("too-small", Ns)).Status?.Phase);
    }

    [Fact]
    public async Task Delete_ClaimAndSnapshot_ReleaseTheirData()
    {
        var pvc = await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("scratch", "1Gi"), Ns);
        await BoundAsync("scratch");
        var snapshot = await CreateSnapshotAsync("scratch-backup", "scratch");
        await SnapshotAsync("scratch-backup", s => JsonValues.Bool(s["status"]?["readyToUse"]) == true);

        (await _kubectl.RunAsync("delete", "pvc", "scratch", "-n", Ns)).EnsureSuccess();
        (await _kubectl.RunAsync("delete", "volumesnapshot", "scratch-backup", "-n", Ns)).EnsureSuccess();

        var snapshotUid = snapshot["metadata"]!["uid"]!.GetValue<string>();
        await SimulatedTime.Until(_clock, Step, () => _data.Calls.Contains($"Release {pvc.Metadata.Uid}") && _data.Calls.Contains($"Release {snapshotUid}"),
            "both releases");
    }

    private static V1PersistentVolumeClaim Claim(string name, string size) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity(size) } },
        },
    };

    private Task<V1PersistentVolumeClaim> BoundAsync(string name) =>
        SimulatedTime.Until(_clock, Step, () => _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, Ns), c => c.Status?.Phase == "Bound", $"claim {name} to bind");

    private async Task<JsonObject> CreateSnapshotAsync(string name, string claim)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "snapshot.storage.k8s.io/v1",
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = claim } },
        };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"/apis/snapshot.storage.k8s.io/v1/namespaces/{Ns}/volumesnapshots", content);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private Task<JsonObject> SnapshotAsync(string name, Func<JsonObject, bool> done) =>
        SimulatedTime.Until(_clock, Step, async () => JsonNode.Parse(await _http.GetStringAsync($"/apis/snapshot.storage.k8s.io/v1/namespaces/{Ns}/volumesnapshots/{name}"))!.AsObject(),
            done, $"snapshot {name}");

    private async Task<Corev1Event> WarningAsync(string claim, Func<string, bool> message)
    {
        var events = await SimulatedTime.Until(_clock, Step, async () => (await _client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: $"involvedObject.name={claim}")).Items,
            e => e.Any(x => x.Type == "Warning" && message(x.Message)), $"a warning about {claim}");
        return events.First(x => x.Type == "Warning" && message(x.Message));
    }

    /// <summary>Records every call, and whether the source snapshot was ready when a restore was provisioned.</summary>
    private sealed class RecordingVolumeData(ObjectStore store) : IVolumeDataStore
    {
        private readonly Lock _gate = new();
        private readonly List<string> _calls = [];
        private readonly List<bool> _readyWhenRestored = [];

        public IReadOnlyList<string> Calls
        {
            get { lock (_gate) { return [.. _calls]; } }
        }

        public IReadOnlyList<bool> SnapshotReadyWhenRestored
        {
            get { lock (_gate) { return [.. _readyWhenRestored]; } }
        }

        public void Provision(string pvcUid, string? fromSnapshotUid)
        {
            lock (_gate)
            {
                _calls.Add($"Provision {pvcUid} from {fromSnapshotUid ?? "(none)"}");
                if (fromSnapshotUid is not null)
                {
                    var snapshot = store.List(ResourceKinds.VolumeSnapshots, null, s => JsonValues.String(s["metadata"]?["uid"]) == fromSnapshotUid).Items.Single();
                    _readyWhenRestored.Add(JsonValues.Bool(snapshot["status"]?["readyToUse"]) == true);
                }
            }
        }

        public void TakeSnapshot(string snapshotUid, string pvcUid)
        {
            lock (_gate)
            {
                _calls.Add($"TakeSnapshot {snapshotUid} of {pvcUid}");
            }
        }

        public void Release(string uid)
        {
            lock (_gate)
            {
                _calls.Add($"Release {uid}");
            }
        }
    }
}
