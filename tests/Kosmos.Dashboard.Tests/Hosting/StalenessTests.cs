using System.Diagnostics;
using System.Net;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Live;
using Kosmos.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Hosting;

/// <summary>
/// A cluster that answers 503 to everything: the dashboard must say its view is stale (banner, /readyz) rather than
/// "synced", and notice within seconds when the API server answers again. Uses the simulator's fault controls, with the
/// dashboard's default timings (StaleAfter 5 s, MaxBackoff 5 s).
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class StalenessTests(DashboardHostFixture host)
{
    [Fact]
    public async Task ApiAnswers503_ShownStaleWithLastUpdate_ThenRecoveredWithinSeconds()
    {
        var board = host.Services.GetRequiredService<IAgentBoard>();
        TimeSpan recovery;
        try
        {
            (await host.Sim.PostAsync("/sim/faults/fail?count=100000000&code=503", content: null)).EnsureSuccessStatusCode();
            (await host.Sim.PostAsync("/sim/faults/drop-watches", content: null)).EnsureSuccessStatusCode();

            await Eventually.Until(() => board.Status.Stale.Count() == board.Status.Kinds.Count, DashboardHostFixture.Timeout,
                "every kind to be shown stale while the API server answers 503");

            var status = board.Status;
            var banner = ClusterBannerModel.From(status, DateTimeOffset.UtcNow);
            Assert.Equal(BannerSeverity.Stale, banner.Severity);
            Assert.Matches(@"^stale: \d+ of \d+ resource kinds are not updating, last update \d+s ago$", banner.SyncText);
            Assert.Contains(banner.StaleKinds, line => line.StartsWith("pods in kosmos: last update ", StringComparison.Ordinal) && line.Contains("503", StringComparison.Ordinal));
            Assert.Matches(@"^May be out of date: .*pods.* not updating, last update \d+s ago\.$", ClusterBannerModel.StaleNotice(status, DateTimeOffset.UtcNow, "pods", "deployments"));

            using var ready = await host.Http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // stale is reported, not a reason to drop the dashboard from its Service
            Assert.Matches(@"^Degraded: stale: .*pods in kosmos \(last update \d+s ago: .*503", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            (await host.Sim.PostAsync("/sim/faults/clear", content: null)).EnsureSuccessStatusCode();
            var cleared = Stopwatch.GetTimestamp();
            await Eventually.Until(() => !board.Status.AnyFailing, DashboardHostFixture.Timeout, "every kind to be in touch with the API server again");
            recovery = Stopwatch.GetElapsedTime(cleared);
        }

        // The backoff is capped at 5 s (with up to 25 % jitter) and the first attempt after it lists: about 5 s, plus a loaded machine's slack.
        Assert.True(recovery < TimeSpan.FromSeconds(9), $"recovery noticed {recovery.TotalSeconds:F1}s after the API server answered again");
        Assert.Equal(BannerSeverity.Ok, ClusterBannerModel.From(board.Status, DateTimeOffset.UtcNow).Severity);
        using var readyAfter = await host.Http.GetAsync("/readyz");
        Assert.Equal("Healthy", await readyAfter.Content.ReadAsStringAsync());
    }
}
