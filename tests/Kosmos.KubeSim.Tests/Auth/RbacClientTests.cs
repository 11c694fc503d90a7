using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Auth;

/// <summary>KubernetesClient with a service account's bearer token against the RBAC simulator: what the dashboard meets.</summary>
[Collection(RbacCollection.Name)]
public sealed class RbacClientTests(RbacClusterFixture cluster)
{
    private const string Ns = RbacClusterFixture.Namespace;

    [Fact]
    public async Task List_Granted_ReturnsPods()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.DashboardToken);

        var pods = await client.CoreV1.ListNamespacedPodAsync(Ns);

        Assert.Contains(pods.Items, p => p.Metadata.Name == cluster.WebPod);
    }

    [Fact]
    public async Task ListSecrets_NotGranted_403StatusNamingUserVerbAndResource()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.DashboardToken);

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedSecretAsync(Ns));

        Assert.Equal(HttpStatusCode.Forbidden, ex.Response.StatusCode);
        using var status = JsonDocument.Parse(ex.Response.Content);
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal("Forbidden", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(403, status.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("secrets", status.RootElement.GetProperty("details").GetProperty("kind").GetString());
        Assert.Equal($"secrets is forbidden: User \"{RbacSimulatorFixture.Dashboard}\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kosmos\"",
            status.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Watch_Granted_StreamsTheExistingPod()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.DashboardToken);
        using var cts = new CancellationTokenSource(RbacClusterFixture.Timeout);

        await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(Ns, resourceVersion: "0", cancellationToken: cts.Token))
        {
            if (type == WatchEventType.Added && pod.Metadata.Name == cluster.WebPod)
            {
                return;
            }
        }

        Assert.Fail("the watch ended without the pod");
    }

    [Fact]
    public async Task Patch_NotGranted_ForbiddenAndNothingChanged()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.DashboardToken);
        var before = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns);
        var patches = await PatchCountAsync();
        var patch = new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch);

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedDeploymentAsync(patch, "web", Ns));

        Assert.Equal(HttpStatusCode.Forbidden, ex.Response.StatusCode);
        Assert.Contains($"deployments.apps \"web\" is forbidden: User \"{RbacSimulatorFixture.Dashboard}\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"kosmos\"",
            Message(ex), StringComparison.Ordinal);
        var after = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns);
        Assert.Equal(before.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(patches, await PatchCountAsync());
    }

    [Fact]
    public async Task ResourceNames_OnlyTheNamedObject_AndAListNarrowedToItByFieldSelector()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.DashboardToken);

        var allowed = await client.CoreV1.ReadNamespacedConfigMapAsync("allowed-config", Ns);
        var narrowed = await client.CoreV1.ListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name=allowed-config");
        var other = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("private-config", Ns));
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedConfigMapAsync(Ns));

        Assert.Equal("demo", allowed.Data["mode"]);
        Assert.Equal(["allowed-config"], narrowed.Items.Select(c => c.Metadata.Name));
        Assert.Equal(HttpStatusCode.Forbidden, other.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.Response.StatusCode);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_NamesTheBindingThatAllows()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.DashboardToken);
        V1SelfSubjectAccessReview Review(string verb, string resource, string? subresource = null) => new()
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = Ns, Verb = verb, Resource = resource, Subresource = subresource },
            },
        };

        var logs = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("get", "pods", "log"));
        var secrets = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(Review("get", "secrets"));

        Assert.True(logs.Status.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"reader/kosmos\" of Role \"reader\" to ServiceAccount \"kosmos-dashboard/kosmos\"", logs.Status.Reason);
        Assert.False(secrets.Status.Allowed);
    }

    [Fact]
    public async Task BindingRemoved_NextRequestForbidden_AndRestoredAllowedAgain()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.AdaToken);
        var binding = await cluster.Client.RbacAuthorizationV1.ReadClusterRoleBindingAsync("ops-namespaces");
        await client.CoreV1.ListNamespaceAsync();

        await cluster.Client.RbacAuthorizationV1.DeleteClusterRoleBindingAsync("ops-namespaces");
        try
        {
            var ex = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync());
            Assert.Contains("User \"ada\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope", Message(ex), StringComparison.Ordinal);
        }
        finally
        {
            binding.Metadata.ResourceVersion = null;
            binding.Metadata.Uid = null;
            await cluster.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding);
        }

        await client.CoreV1.ListNamespaceAsync();
    }

    [Fact]
    public async Task UnknownToken_401Unauthorized()
    {
        using var client = cluster.NewClient("forged");

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync(Ns));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.Response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", ex.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimAuthorizations_RecordsWhichRuleAllowedEachRequest()
    {
        using var client = cluster.NewClient(RbacSimulatorFixture.BobToken);
        await client.CoreV1.ReadNamespacedPodAsync(cluster.WebPod, Ns);
        await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync(Ns));

        using var response = await cluster.Sim.GetAsync("/sim/authorizations?user=bob");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var decisions = json.RootElement.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Contains(decisions, d => d.GetProperty("verb").GetString() == "get" && d.GetProperty("resource").GetString() == "pods"
            && d.GetProperty("allowed").GetBoolean() && d.GetProperty("role").GetString() == "Role kosmos/exec-get-only" && d.GetProperty("rule").GetInt32() == 0);
        Assert.Contains(decisions, d => d.GetProperty("verb").GetString() == "list" && d.GetProperty("resource").GetString() == "pods" && !d.GetProperty("allowed").GetBoolean());
    }

    private static string Message(HttpOperationException ex)
    {
        using var status = JsonDocument.Parse(ex.Response.Content);
        return status.RootElement.GetProperty("message").GetString() ?? "";
    }

    private async Task<long> PatchCountAsync()
    {
        using var response = await cluster.Sim.GetAsync("/sim/stats");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("byResourceVerb").TryGetProperty("deployments:patch", out var n) ? n.GetInt64() : 0;
    }
}
