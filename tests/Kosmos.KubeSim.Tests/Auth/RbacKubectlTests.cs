using k8s;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Auth;

/// <summary>
/// The real kubectl (v1.32) against the simulator with <c>--authorization rbac</c> over https: what a person sees with a
/// service account's token. Messages are compared word for word with kube-apiserver's.
/// </summary>
[Collection(RbacCollection.Name)]
public sealed class RbacKubectlTests(RbacClusterFixture cluster)
{
    private const string Sa = RbacSimulatorFixture.Dashboard;

    [Fact]
    public async Task Get_GrantedResource_ListsPods()
    {
        using var kubectl = cluster.KubectlAs(RbacSimulatorFixture.DashboardToken);

        var result = (await kubectl.RunAsync("get", "pods", "-n", "kosmos", "-o", "name")).EnsureSuccess();

        Assert.Contains($"pod/{cluster.WebPod}", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "get", "secrets", "-n", "kosmos" },
        $"Error from server (Forbidden): secrets is forbidden: User \"{Sa}\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kosmos\"")]
    [InlineData(new[] { "get", "pods", "-n", "other" },
        $"Error from server (Forbidden): pods is forbidden: User \"{Sa}\" cannot list resource \"pods\" in API group \"\" in the namespace \"other\"")]
    [InlineData(new[] { "scale", "deployment/web", "-n", "kosmos", "--replicas", "3" },
        $"Error from server (Forbidden): deployments.apps \"web\" is forbidden: User \"{Sa}\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"kosmos\"")]
    [InlineData(new[] { "get", "clusterroles" },
        $"Error from server (Forbidden): clusterroles.rbac.authorization.k8s.io is forbidden: User \"{Sa}\" cannot list resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope")]
    [InlineData(new[] { "get", "configmap", "private-config", "-n", "kosmos" },
        $"Error from server (Forbidden): configmaps \"private-config\" is forbidden: User \"{Sa}\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"kosmos\"")]
    public async Task Kubectl_NotGranted_ForbiddenAsKubeApiserverWordsIt(string[] args, string expected)
    {
        using var kubectl = cluster.KubectlAs(RbacSimulatorFixture.DashboardToken);

        var result = await kubectl.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Stderr.Trim());
    }

    [Fact]
    public async Task Delete_NotGranted_ForbiddenAndThePodStays()
    {
        using var kubectl = cluster.KubectlAs(RbacSimulatorFixture.DashboardToken);

        var result = await kubectl.RunAsync("delete", "pod", cluster.WebPod, "-n", "kosmos", "--wait=false");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error from server (Forbidden): pods \"{cluster.WebPod}\" is forbidden: User \"{Sa}\" cannot delete resource \"pods\" in API group \"\" in the namespace \"kosmos\"",
            result.Stderr.Trim());
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync(cluster.WebPod, "kosmos");
        Assert.Null(pod.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task LogsAndExec_Granted_Work()
    {
        using var kubectl = cluster.KubectlAs(RbacSimulatorFixture.DashboardToken);

        (await kubectl.RunAsync("logs", cluster.WebPod, "-n", "kosmos", "--tail", "1")).EnsureSuccess();
        var exec = (await kubectl.RunAsync("exec", cluster.WebPod, "-n", "kosmos", "--", "echo", "inside")).EnsureSuccess();

        Assert.Equal("inside", exec.Stdout.Trim());
    }

    [Fact]
    public async Task Exec_OnlyGetOnPodsExec_RefusedForTheMissingCreate()
    {
        using var kubectl = cluster.KubectlAs(RbacSimulatorFixture.BobToken);

        var result = await kubectl.RunAsync("exec", cluster.WebPod, "-n", "kosmos", "--", "echo", "inside");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"pods \"{cluster.WebPod}\" is forbidden: User \"bob\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"kosmos\"",
            result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("inside", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "list", "pods", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "watch", "pods", "--subresource", "log", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "get", "secrets", "-n", "kosmos" }, false)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "list", "pods", "-n", "other" }, false)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "create", "pods", "--subresource", "exec", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "get", "deployments", "--subresource", "scale", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "patch", "deployments", "--subresource", "scale", "-n", "kosmos" }, false)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "get", "configmaps/allowed-config", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "get", "configmaps/private-config", "-n", "kosmos" }, false)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "list", "configmaps", "-n", "kosmos" }, false)]
    [InlineData(RbacSimulatorFixture.DashboardToken, new[] { "list", "namespaces" }, false)]
    [InlineData(RbacSimulatorFixture.AdaToken, new[] { "list", "namespaces" }, true)]
    [InlineData(RbacSimulatorFixture.AdaToken, new[] { "get", "deployments", "--subresource", "status", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.AdaToken, new[] { "get", "volumesnapshots.snapshot.storage.k8s.io", "--subresource", "status", "-n", "kosmos" }, true)]
    [InlineData(RbacSimulatorFixture.AdaToken, new[] { "get", "deployments", "-n", "kosmos" }, false)]
    [InlineData(RbacSimulatorFixture.AdaToken, new[] { "get", "deployments", "--subresource", "status", "-n", "other" }, false)]
    [InlineData("admin-token", new[] { "delete", "secrets", "-n", "other" }, true)]
    public async Task AuthCanI_AnswersAsTheAuthorizerDecides(string token, string[] question, bool allowed)
    {
        using var kubectl = cluster.KubectlAs(token);

        var result = await kubectl.RunAsync(["auth", "can-i", .. question], stdin: null, TimeSpan.FromSeconds(60));

        Assert.True((allowed ? "yes" : "no") == result.Stdout.Trim(), $"{string.Join(' ', question)}: {result.Stdout}{result.Stderr}");
        Assert.Equal(allowed ? 0 : 1, result.ExitCode);
    }

    [Fact]
    public async Task AuthCanIList_NamesTheRulesThatApplyInTheNamespace()
    {
        using var kubectl = cluster.KubectlAs(RbacSimulatorFixture.DashboardToken);

        var result = (await kubectl.RunAsync("auth", "can-i", "--list", "-n", "kosmos")).EnsureSuccess();

        var lines = result.Stdout.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Contains("pods/exec [] [] [create get]", lines);
        Assert.Contains("configmaps [] [allowed-config] [get list watch]", lines);
        Assert.Contains("deployments.apps/scale [] [] [get]", lines);
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io [] [] [create]", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("secrets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownToken_Unauthorized()
    {
        using var kubectl = cluster.KubectlAs("not-a-token");

        var result = await kubectl.RunAsync("get", "pods", "-n", "kosmos");

        Assert.Equal(1, result.ExitCode);
        // Discovery fails first (kubectl logs its retries), then kubectl ends with the verdict.
        Assert.StartsWith("error: You must be logged in to the server (", result.Stderr.Trim().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRbacObjects_PrintsRoleAndSubjectsColumns()
    {
        var roles = (await cluster.Kubectl.RunAsync("get", "roles", "-n", "kosmos")).EnsureSuccess();
        var bindings = (await cluster.Kubectl.RunAsync("get", "rolebindings", "-n", "kosmos", "-o", "wide")).EnsureSuccess();
        var clusterBindings = (await cluster.Kubectl.RunAsync("get", "clusterrolebindings", "ops-namespaces", "-o", "wide")).EnsureSuccess();

        Assert.StartsWith("NAME", roles.Stdout, StringComparison.Ordinal);
        Assert.Contains("CREATED AT", roles.Stdout, StringComparison.Ordinal);
        // The printer writes a service account as namespace/name, the namespace as the subject gives it (none: empty).
        Assert.Matches(@"(?m)^reader\s+Role/reader\s+\S+\s+/kosmos-dashboard\s*$", bindings.Stdout);
        Assert.Matches(@"(?m)^one-config\s+Role/one-config\s+\S+\s+kosmos/kosmos-dashboard\s*$", bindings.Stdout);
        Assert.Matches(@"(?m)^bob-exec-get-only\s+Role/exec-get-only\s+\S+\s+bob\s*$", bindings.Stdout);
        Assert.Matches(@"(?m)^ops-status\s+ClusterRole/status-reader\s+\S+\s+ops\s*$", bindings.Stdout);
        Assert.Matches(@"(?m)^ops-namespaces\s+ClusterRole/namespace-lister\s+\S+\s+ops\s*$", clusterBindings.Stdout);
    }

    [Fact]
    public async Task ApplyInvalidRole_RejectedNamingTheField()
    {
        const string role = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: no-verbs, namespace: kosmos}
            rules: [{apiGroups: [""], resources: [pods]}]
            """;

        var result = await cluster.Kubectl.RunAsync(["apply", "-f", "-"], role, TimeSpan.FromSeconds(60));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The Role \"no-verbs\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value", result.Stderr, StringComparison.Ordinal);
    }
}
