using System.Text.Json;
using k8s;
using k8s.Autorest;
using Kosmos.KubeSim.Tests.Auth;

namespace Kosmos.KubeSim.Tests.Deploy;

/// <summary>
/// deploy/dashboard: each overlay renders with kubectl's own kustomize and is accepted by the (RBAC-enforcing) simulator in a
/// server dry run, and nothing is stored.
/// </summary>
[Collection(RbacCollection.Name)]
public sealed class DashboardManifestsTests(RbacClusterFixture cluster)
{
    private static readonly string[] Kinds = ["Deployment", "NetworkPolicy", "PersistentVolumeClaim", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount"];

    public static TheoryData<string> Overlays => ["demo", "production"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Kustomize_Overlay_RendersTheNamespacedObjectsWithProbesAndAuditVolume(string overlay)
    {
        var objects = await RenderAsync(overlay);

        string[] expected = overlay == "production" ? ["ConfigMap", .. Kinds] : Kinds;
        Assert.Equal(expected, objects.Select(o => o.GetProperty("kind").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(objects, o => Assert.Equal("kosmos", o.GetProperty("metadata").GetProperty("namespace").GetString()));
        var pod = objects.Single(o => o.GetProperty("kind").GetString() == "Deployment").GetProperty("spec").GetProperty("template").GetProperty("spec");
        var container = pod.GetProperty("containers")[0];
        Assert.Equal("/healthz", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("/readyz", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("kosmos-dashboard-audit", pod.GetProperty("volumes").EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == "audit").GetProperty("persistentVolumeClaim").GetProperty("claimName").GetString());
        Assert.Contains(container.GetProperty("env").EnumerateArray(), e => e.GetProperty("name").GetString() == "Kosmos__Audit__ConnectionString"
            && e.GetProperty("value").GetString()!.Contains("/var/lib/kosmos-dashboard/", StringComparison.Ordinal));
        Assert.Equal("kosmos-dashboard", pod.GetProperty("serviceAccountName").GetString());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task ApplyServerDryRun_Overlay_EveryObjectAcceptedAndNothingStored(string overlay)
    {
        var result = (await cluster.Kubectl.RunAsync("apply", "--dry-run=server", "-k", OverlayPath(overlay))).EnsureSuccess();

        foreach (var line in new[]
        {
            "serviceaccount/kosmos-dashboard created (server dry run)",
            "role.rbac.authorization.k8s.io/kosmos-dashboard created (server dry run)",
            "rolebinding.rbac.authorization.k8s.io/kosmos-dashboard created (server dry run)",
            "persistentvolumeclaim/kosmos-dashboard-audit created (server dry run)",
            "deployment.apps/kosmos-dashboard created (server dry run)",
            "service/kosmos-dashboard created (server dry run)",
            "networkpolicy.networking.k8s.io/kosmos-dashboard created (server dry run)",
            "poddisruptionbudget.policy/kosmos-dashboard created (server dry run)",
        })
        {
            Assert.Contains(line, result.Stdout, StringComparison.Ordinal);
        }

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("kosmos-dashboard", "kosmos"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.Response.StatusCode);
        Assert.DoesNotContain((await cluster.Client.AppsV1.ListNamespacedDeploymentAsync("kosmos")).Items, d => d.Metadata.Name == "kosmos-dashboard");
    }

    private async Task<IReadOnlyList<JsonElement>> RenderAsync(string overlay)
    {
        // kubectl kustomize prints YAML; a client-side dry run turns the same objects into JSON, one value after another.
        var rendered = (await cluster.Kubectl.RunAsync("kustomize", OverlayPath(overlay))).EnsureSuccess();
        var json = (await cluster.Kubectl.RunAsync(["create", "--dry-run=client", "-o", "json", "-f", "-"], rendered.Stdout, TimeSpan.FromSeconds(60))).EnsureSuccess();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json.Stdout), new JsonReaderOptions { AllowMultipleValues = true });
        var objects = new List<JsonElement>();
        while (reader.Read())
        {
            using var document = JsonDocument.ParseValue(ref reader);
            objects.Add(document.RootElement.Clone());
        }

        return objects;
    }

    private static string OverlayPath(string overlay)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
            {
                return Path.Combine(dir.FullName, "deploy", "dashboard", "overlays", overlay);
            }
        }

        throw new InvalidOperationException("KosmosDashboard.sln not found");
    }
}
