using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Controllers;

/// <summary>The controllers as SimulatorComposition wires them (volume data kept nowhere).</summary>
[Collection(ControllerClusterCollection.Name)]
public sealed class ComposedControllersTests(ControllerClusterFixture fixture)
{
    private readonly IKubernetes _client = fixture.Client;

    [Fact]
    public async Task CreateClaim_ComposedSimulator_Binds()
    {
        var ns = await fixture.NewNamespaceAsync("pvc");
        var claim = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "agent-state" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity("1Gi") } },
            },
        };
        var created = await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, ns);

        var bound = await fixture.Until(() => _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("agent-state", ns),
            c => c.Status?.Phase == "Bound", "the claim to bind");

        Assert.Equal($"pvc-{created.Metadata.Uid}", bound.Spec.VolumeName);
    }
}
