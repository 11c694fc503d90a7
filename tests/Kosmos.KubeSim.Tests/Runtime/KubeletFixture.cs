using k8s;
using k8s.Models;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>
/// A simulator whose node runs only what a test puts there: kubelet and controllers on, no demo fleet (its Deployments
/// would share the node and the agents' one-time faults), a fake clock the tests advance, and the kosmos namespace.
/// </summary>
public sealed class KubeletFixture : SimulatorFixture, IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = PodTests.Ns } });
    }

    protected override void Configure(SimulatorOptions options)
    {
        base.Configure(options);
        options.SeedDemoFleet = false;
        UseFakeClock(options);
    }
}
