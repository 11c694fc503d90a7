using System.Net;

namespace Kosmos.Dashboard.Tests.Hosting;

[Collection(DashboardHostCollection.Name)]
public sealed class HealthEndpointsTests(DashboardHostFixture host)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Get_CachesSynced_200Healthy(string path)
    {
        using var response = await host.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
