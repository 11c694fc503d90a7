using System.Diagnostics;
using System.Text.Json;
using Kosmos.Dashboard.Tests.Hosting;
using Xunit.Abstractions;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>A client that stops reading holds up nobody but itself: each stream has its own subscription and buffer.</summary>
[Collection(DashboardHostCollection.Name)]
public sealed class AgentsHubSlowClientTests(DashboardHostFixture host, ITestOutputHelper output)
{
    private const int StalledStreams = 200;
    private static readonly TimeSpan Timeout = DashboardHostFixture.Timeout;

    [Fact]
    public async Task Board_OneClientNeverReads_OtherClientStillGetsEveryChangeInTime()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var fastConnection = host.NewHubConnection();
        await fastConnection.StartAsync(cts.Token);
        await using var fast = BoardStreamView.Start(fastConnection);
        await fast.WaitUntilAsync((agents, _) => agents.GetValueOrDefault("kosmos/archivist") is { DesiredPods: 1 }, Timeout, "archivist at one replica");

        // Hundreds of unread snapshots are far more than the socket buffers between the server and the stalled client can hold,
        // so the server's writes to it block and its board subscriptions fall behind.
        var snapshotBytes = JsonSerializer.SerializeToUtf8Bytes(fast.Messages[0], JsonSerializerOptions.Web).Length;
        await using var stalled = await StalledHubClient.ConnectAsync(new Uri(host.BaseAddress, "/hubs/agents"), cts.Token);
        await stalled.StartStreamsAsync("Board", StalledStreams, cts.Token);
        await TestSupport.Eventually.Until(() => stalled.UnreadBytes > 0, Timeout, "the server to send the stalled client data it does not read");
        output.WriteLine($"{StalledStreams} unread Board streams: about {StalledStreams * snapshotBytes / 1024} KiB of snapshots alone");

        try
        {
            foreach (var replicas in new[] { 2, 1, 2 })
            {
                var clock = Stopwatch.StartNew();
                await host.ScaleAsync("archivist", replicas);
                await fast.WaitUntilAsync((agents, _) => agents.GetValueOrDefault("kosmos/archivist")?.DesiredPods == replicas, Timeout,
                    $"the fast client to see archivist scaled to {replicas}");
                output.WriteLine($"scaled to {replicas}: the fast client saw it after {clock.ElapsedMilliseconds} ms; the stalled client has {stalled.UnreadBytes} bytes unread");
            }

            Assert.True(stalled.UnreadBytes > 0, "the stalled client should still be behind");
        }
        finally
        {
            await host.ScaleAsync("archivist", 1);
        }
    }
}
