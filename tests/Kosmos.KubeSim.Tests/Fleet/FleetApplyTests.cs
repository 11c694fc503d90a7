using k8s;
using Kosmos.KubeSim.Fleet;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Fleet;

/// <summary>The manifests are what `kubectl apply -f deploy/agents/&lt;agent&gt;/` accepts, the runbook's redeploy step.</summary>
public sealed class FleetApplyTests(EmptySimulatorFixture fixture) : IClassFixture<EmptySimulatorFixture>
{
    [Fact]
    public async Task KubectlApply_OfEveryAgentFolder_CreatesItsObjects()
    {
        // kubectl's validation needs the API's OpenAPI documents, which this simulator build does not serve yet.
        var directory = FleetSeeder.FindManifestsDirectory()!;
        (await fixture.Kubectl.RunAsync("apply", "--validate=false", "-f", Path.Combine(directory, "namespace.yaml"))).EnsureSuccess();

        foreach (var agent in DemoBehaviours.All.Keys)
        {
            var applied = (await fixture.Kubectl.RunAsync("apply", "--validate=false", "-f", Path.Combine(directory, agent))).EnsureSuccess();
            Assert.Contains($"deployment.apps/{agent} created", applied.Stdout);
            Assert.Contains($"configmap/{agent}-config created", applied.Stdout);
            Assert.Contains($"secret/{agent}-credentials created", applied.Stdout);
        }

        var deployments = await fixture.Client.AppsV1.ListNamespacedDeploymentAsync("kosmos");
        Assert.Equal(DemoBehaviours.All.Count, deployments.Items.Count);
        Assert.All(deployments.Items, d => Assert.Equal(d.Spec.Selector.MatchLabels["app"], d.Spec.Template.Metadata.Labels["app"]));
        var snapshots = (await fixture.Kubectl.RunAsync("get", "volumesnapshots", "-n", "kosmos", "-o", "name")).EnsureSuccess();
        Assert.Equal(4, snapshots.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
