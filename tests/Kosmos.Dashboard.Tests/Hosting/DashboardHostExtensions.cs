namespace Kosmos.Dashboard.Tests.Hosting;

public static class DashboardHostExtensions
{
    /// <summary><c>kubectl scale deployment/NAME --replicas=N</c> in the kosmos namespace: a get and a patch, no list and no watch.</summary>
    public static async Task ScaleAsync(this DashboardHostFixture host, string deployment, int replicas, string ns = "kosmos") =>
        (await host.Kubectl.RunAsync("-n", ns, "scale", $"deployment/{deployment}", $"--replicas={replicas}")).EnsureSuccess();
}
