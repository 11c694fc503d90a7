using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Api;

[CollectionDefinition(Name)]
public sealed class EmptySimulatorCollection : ICollectionFixture<EmptySimulatorFixture>
{
    public const string Name = "empty simulator";
}

/// <summary>The API machinery through the real client over HTTP: lists, watches, patches, dry run, conflicts, bad input.</summary>
[Collection(EmptySimulatorCollection.Name)]
public sealed class ApiMachineryTests(EmptySimulatorFixture sim)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private IKubernetes Client => sim.Client;

    [Fact]
    public async Task ListPods_WithLabelSelector_ReturnsOnlyMatches()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "a-1", "alpha");
        await CreatePodAsync(ns, "a-2", "alpha");
        await CreatePodAsync(ns, "b-1", "beta");

        var alpha = await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=alpha");
        var notAlpha = await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app!=alpha");
        var byName = await Client.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=b-1");

        Assert.Equal(["a-1", "a-2"], alpha.Items.Select(p => p.Metadata.Name).Order());
        Assert.Equal(["b-1"], notAlpha.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["b-1"], byName.Items.Select(p => p.Metadata.Name));
        Assert.False(string.IsNullOrEmpty(alpha.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ListPods_WithLimit_PagesThroughEverything()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 7; i++)
        {
            await CreatePodAsync(ns, $"p-{i}", "paged");
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.CoreV1.ListNamespacedPodAsync(ns, limit: 3, continueParameter: token);
            names.AddRange(page.Items.Select(p => p.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p-{i}"), names);
    }

    [Fact]
    public async Task ListPods_PagedAcrossNamespacesWithSelector_ResumesAfterTheLastKeyEvenWhenItIsDeleted()
    {
        // Two namespaces, so pages cross from one to the next; a label only some pods carry, so a page skips the others.
        var (first, second) = (await NewNamespaceAsync(), await NewNamespaceAsync());
        var label = $"cross-{Guid.NewGuid():N}"[..20];
        foreach (var ns in new[] { first, second })
        {
            for (var i = 0; i < 4; i++)
            {
                await CreatePodAsync(ns, $"p-{i}", i % 2 == 0 ? label : "other");
            }
        }

        var page = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: $"app={label}", limit: 3);
        Assert.Equal(3, page.Items.Count);

        // The continue key names the last pod served; deleting it must not lose or repeat anything after it.
        var last = page.Items[^1];
        await Client.CoreV1.DeleteNamespacedPodAsync(last.Metadata.Name, last.Metadata.NamespaceProperty, gracePeriodSeconds: 0);
        var rest = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: $"app={label}", limit: 3, continueParameter: page.Metadata.ContinueProperty);

        var expected = new[] { first, second }.Order(StringComparer.Ordinal).SelectMany(ns => new[] { $"{ns}/p-0", $"{ns}/p-2" });
        Assert.Equal(expected, page.Items.Concat(rest.Items).Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}"));
        Assert.True(string.IsNullOrEmpty(rest.Metadata.ContinueProperty));
    }

    [Fact]
    public async Task Watch_FromListResourceVersion_ReplaysChangesMadeBeforeTheWatchStarted()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "before", "replay");
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);

        // Changes made between the list and the watch must not be lost: the server replays them from history.
        await CreatePodAsync(ns, "between", "replay");
        await Client.CoreV1.DeleteNamespacedPodAsync("before", ns, new V1DeleteOptions { GracePeriodSeconds = 0 });

        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            seen.Add((type, pod.Metadata.Name));
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "between"), (WatchEventType.Deleted, "before")], seen);
    }

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_GetsErrorEventWith410()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "old", "expired");
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);
        await CreatePodAsync(ns, "newer", "expired");
        (await sim.Sim.PostAsync("/sim/faults/expire-history", null)).EnsureSuccessStatusCode();

        // The typed client reports an ERROR event's Status through onError (as a KubernetesException) and ends the stream.
        using var cts = new CancellationTokenSource(Timeout);
        var events = new List<WatchEventType>();
        Exception? error = null;
        await foreach (var (type, _) in Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: list.Metadata.ResourceVersion,
            onError: e => error = e, cancellationToken: cts.Token))
        {
            events.Add(type);
        }

        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
        Assert.Empty(events);
    }

    [Fact]
    public async Task Watch_WithBookmarks_ReceivesBookmarkCarryingCurrentVersion()
    {
        var ns = await NewNamespaceAsync();
        await CreatePodAsync(ns, "quiet", "bookmarks");
        var list = await Client.CoreV1.ListNamespacedPodAsync(ns);

        using var cts = new CancellationTokenSource(Timeout);
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Bookmark)
            {
                Assert.True(long.Parse(pod.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
                    >= long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
                return;
            }
        }

        Assert.Fail("the watch ended without a bookmark");
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Is409AndNothingChanges()
    {
        var ns = await NewNamespaceAsync();
        var created = await CreateConfigMapAsync(ns, "cfg", "v1");
        var stale = created.Metadata.ResourceVersion;
        var fresh = await Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns);
        fresh.Data["key"] = "v2";
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(fresh, "cfg", ns);

        var outdated = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg", ResourceVersion = stale }, Data = new Dictionary<string, string> { ["key"] = "v3" } };
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(outdated, "cfg", ns));

        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        Assert.Contains("the object has been modified", ex.Response.Content, StringComparison.Ordinal);
        Assert.Equal("v2", (await Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns)).Data["key"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("All")]
    public async Task Patch_WithStaleResourceVersionInBody_Is409AndNothingChanges(string dryRun)
    {
        var ns = await NewNamespaceAsync();
        var created = await CreateConfigMapAsync(ns, "cfg", "v1");
        var moved = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"key\":\"v2\"}}", V1Patch.PatchType.MergePatch), "cfg", ns);

        // What a guarded action sends: the change plus the resourceVersion it was previewed at.
        var stale = new V1Patch($"{{\"metadata\":{{\"resourceVersion\":\"{created.Metadata.ResourceVersion}\"}},\"data\":{{\"key\":\"v3\"}}}}", V1Patch.PatchType.StrategicMergePatch);
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CoreV1.PatchNamespacedConfigMapAsync(stale, "cfg", ns, dryRun: dryRun.Length > 0 ? dryRun : null));

        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        Assert.Contains("the object has been modified", ex.Response.Content, StringComparison.Ordinal);
        var now = await Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns);
        Assert.Equal(("v2", moved.Metadata.ResourceVersion), (now.Data["key"], now.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Patch_WithCurrentResourceVersionInBody_Applies()
    {
        var ns = await NewNamespaceAsync();
        var created = await CreateConfigMapAsync(ns, "cfg", "v1");
        var patch = new V1Patch($"{{\"metadata\":{{\"resourceVersion\":\"{created.Metadata.ResourceVersion}\"}},\"data\":{{\"key\":\"v2\"}}}}", V1Patch.PatchType.StrategicMergePatch);

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "cfg", ns);

        Assert.Equal("v2", patched.Data["key"]);
        Assert.NotEqual(created.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Create_WithDryRun_AnswersAsIfCreatedButStoresNothing()
    {
        var ns = await NewNamespaceAsync();
        var pod = PodManifest("dry", "dry");

        var answer = await Client.CoreV1.CreateNamespacedPodAsync(pod, ns, dryRun: "All");

        Assert.Equal("dry", answer.Metadata.Name);
        Assert.False(string.IsNullOrEmpty(answer.Metadata.Uid));
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedPodAsync("dry", ns));
        Assert.Equal(HttpStatusCode.NotFound, ex.Response.StatusCode);
    }

    [Fact]
    public async Task Patch_WithDryRun_ReturnsPatchedObjectButKeepsStoredOne()
    {
        var ns = await NewNamespaceAsync();
        await CreateConfigMapAsync(ns, "cfg", "original");
        var patch = new V1Patch("{\"data\":{\"key\":\"patched\"}}", V1Patch.PatchType.MergePatch);

        var answer = await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "cfg", ns, dryRun: "All");

        Assert.Equal("patched", answer.Data["key"]);
        Assert.Equal("original", (await Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns)).Data["key"]);
    }

    [Fact]
    public async Task Create_Twice_Is409AlreadyExists()
    {
        var ns = await NewNamespaceAsync();
        await CreateConfigMapAsync(ns, "once", "x");

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => CreateConfigMapAsync(ns, "once", "y"));

        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", ex.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownObject_Is404WithKubernetesStatus()
    {
        var ns = await NewNamespaceAsync();

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedPodAsync("ghost", ns));

        Assert.Equal(HttpStatusCode.NotFound, ex.Response.StatusCode);
        Assert.Contains("pods \\u0022ghost\\u0022 not found", ex.Response.Content.Replace("\"", "\\u0022", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InMissingNamespace_Is404AndNothingStored()
    {
        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodAsync(PodManifest("orphan", "x"), "no-such-namespace"));

        Assert.Equal(HttpStatusCode.NotFound, ex.Response.StatusCode);
        var all = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=orphan");
        Assert.Empty(all.Items);
    }

    [Fact]
    public async Task Post_MalformedJson_Is400()
    {
        var ns = await NewNamespaceAsync();

        using var response = await sim.Sim.PostAsync($"/api/v1/namespaces/{ns}/configmaps", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteCollection_ByLabel_RemovesOnlyMatchingObjects()
    {
        var ns = await NewNamespaceAsync();
        await CreateConfigMapAsync(ns, "keep", "x", app: "other");
        await CreateConfigMapAsync(ns, "drop-1", "x", app: "target");
        await CreateConfigMapAsync(ns, "drop-2", "x", app: "target");

        await Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns, labelSelector: "app=target");

        var left = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Equal(["keep"], left.Items.Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task ServerFault_InjectedFailures_AnswerThenRecover()
    {
        (await sim.Sim.PostAsync("/sim/faults/fail?count=2&code=429", null)).EnsureSuccessStatusCode();

        var first = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespaceAsync());
        var second = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespaceAsync());
        var third = await Client.CoreV1.ListNamespaceAsync();

        Assert.Equal((HttpStatusCode)429, first.Response.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.Response.StatusCode);
        Assert.NotEmpty(third.Items);
    }

    private async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private Task<V1Pod> CreatePodAsync(string ns, string name, string app) => Client.CoreV1.CreateNamespacedPodAsync(PodManifest(name, app), ns);

    private Task<V1ConfigMap> CreateConfigMapAsync(string ns, string name, string value, string app = "test") =>
        Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
            Data = new Dictionary<string, string> { ["key"] = value },
        }, ns);

    private static V1Pod PodManifest(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "kosmos/agent:1.0" }] },
    };
}
