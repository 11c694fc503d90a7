using System.Net;
using Kosmos.Cluster.Connection;
using Kosmos.KubeSim;
using Kosmos.Recovery.Live;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>The fixture hosts the real dashboard on a socket of its own, and the dashboard sees the simulator as Simulated mode would.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed class DashboardHostFixtureTests(DashboardHostFixture host)
{
    [Fact]
    public async Task Started_DashboardOnLoopbackSocket_WatchingTheSimulatedCluster()
    {
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(host.BaseAddress.Host)));
        Assert.NotEqual(host.SimulatorUrl.Port, host.BaseAddress.Port);
        Assert.Same(host.Simulator, host.Services.GetRequiredService<KubeSimulator>());

        var status = host.Services.GetRequiredService<IAgentBoard>().Status;
        Assert.True(status.IsSimulated);
        Assert.Equal(host.SimulatorUrl.ToString().TrimEnd('/'), status.Server);
        Assert.True(status.IsSynced);
        Assert.Equal("simulated", host.Services.GetRequiredService<ClusterIdentity>().Name);

        // The dashboard's watches are open on the simulator: one per kind in the kosmos namespace.
        var stats = await host.GetSimStatsAsync();
        Assert.Equal(status.Kinds.Count, stats.OpenWatches);

        using var page = await host.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
