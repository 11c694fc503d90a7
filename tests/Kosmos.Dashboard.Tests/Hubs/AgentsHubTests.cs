using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Tests.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kosmos.Dashboard.Tests.Hubs;

/// <summary>
/// <c>/hubs/agents</c> end to end: the real dashboard on a loopback socket watching the simulated demo fleet, the cluster
/// changed with the real kubectl, and a real SignalR client reading the streams.
/// </summary>
[Collection(DashboardHostCollection.Name)]
public sealed class AgentsHubTests(DashboardHostFixture host) : IAsyncLifetime
{
    private const string Ns = "kosmos";
    private static readonly TimeSpan Timeout = DashboardHostFixture.Timeout;

    private readonly HubConnection _connection = host.NewHubConnection();

    public Task InitializeAsync() => _connection.StartAsync();

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Board_SignedInConnection_ClosedWhenItsSessionSignsOut()
    {
        // A signed-in page's hub connection keeps its principal; signing out in another tab must stop its live data.
        var cookies = new System.Net.CookieContainer();
        using (var client = DemoSignIn.NewClient(host.BaseAddress, cookies))
        using (var signIn = await DemoSignIn.PostFormAsync(client, new Dictionary<string, string> { ["name"] = "hana", ["role"] = "Viewer", ["returnUrl"] = "/" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
        }

        await using var connection = host.NewHubConnection(b => b.WithUrl(new Uri(host.BaseAddress, "/hubs/agents"), o => o.Cookies = cookies));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        await using (var board = BoardStreamView.Start(connection))
        {
            await board.WaitForSnapshotAsync(Timeout);
        }

        using (var client = DemoSignIn.NewClient(host.BaseAddress, cookies))
        using (var signOut = await client.PostAsync(new Uri("/signout", UriKind.Relative), null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signOut.StatusCode);
        }

        await closed.Task.WaitAsync(Timeout);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);

        // A connection without a session (the demo's anonymous viewer) is not touched by it.
        Assert.Equal(HubConnectionState.Connected, _connection.State);
    }

    [Fact]
    public async Task Board_Connected_SnapshotOfEveryDemoAgentThenTheirDemoStates()
    {
        await using var board = BoardStreamView.Start(_connection);

        await board.WaitForSnapshotAsync(Timeout);

        var snapshot = board.Messages[0];
        Assert.Equal("snapshot", snapshot.Type);
        Assert.Empty(snapshot.Removed);
        Assert.Equal(DemoFleet.Agents, snapshot.Agents.Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.All(snapshot.Agents, a =>
        {
            Assert.Equal($"{Ns}/{a.Name}", a.Key);
            Assert.Equal(Ns, a.Namespace);
            Assert.NotEmpty(a.Label);
            Assert.NotEmpty(a.Images);
        });

        // Pods may still be starting when the stream begins; the states settle within seconds at 30× time.
        await board.WaitUntilAsync((agents, _) => DemoFleet.Settled(agents), Timeout, "every demo agent in its demo state");

        var settled = board.Agents;
        Assert.Contains("cannot pull image ghcr.io/kosmos-ai/vector-store:2.5.0-rc1", settled[$"{Ns}/vector-store"].Summary, StringComparison.Ordinal);
        Assert.Contains("OOMKilled", settled[$"{Ns}/summarizer"].Summary, StringComparison.Ordinal);
        Assert.Equal("OutOfMemory", settled[$"{Ns}/summarizer"].RunbookSection);
        Assert.Contains("cannot be scheduled", settled[$"{Ns}/scheduler-bot"].Summary, StringComparison.Ordinal);
        Assert.Equal((1, 1), (settled[$"{Ns}/planner"].ReadyPods, settled[$"{Ns}/planner"].DesiredPods));
    }

    [Fact]
    public async Task Board_DeploymentScaledWithKubectl_ChangesDeltaForThatAgent()
    {
        await using var board = BoardStreamView.Start(_connection);
        await board.WaitUntilAsync((agents, _) => Archivist(agents) is { DesiredPods: 1 }, Timeout, "archivist at one replica");
        var seen = board.Messages.Count;

        await host.ScaleAsync("archivist", 2);
        try
        {
            await board.WaitUntilAsync((_, messages) => messages.Skip(seen).Any(IsArchivistScaledTo2), Timeout,
                "a changes message with archivist wanting 2 pods");
            var delta = board.Messages.Skip(seen).First(IsArchivistScaledTo2);
            Assert.Equal("changes", delta.Type);
            Assert.Single(delta.Agents, a => a.Key == $"{Ns}/archivist");
            Assert.Empty(delta.Removed);

            // Later deltas bring the second pod up.
            await board.WaitUntilAsync((agents, _) => Archivist(agents) is { ReadyPods: 2, DesiredPods: 2, State: "Healthy" }, Timeout,
                "archivist 2/2 ready and healthy");
            Assert.All(board.Messages.Skip(1), m => Assert.Equal("changes", m.Type));
        }
        finally
        {
            await host.ScaleAsync("archivist", 1);
            await board.WaitUntilAsync((agents, _) => Archivist(agents) is { DesiredPods: 1 }, Timeout, "archivist back at one replica");
        }

        static bool IsArchivistScaledTo2(BoardMessage m) => m.Agents.Any(a => a.Name == "archivist" && a.DesiredPods == 2);
    }

    [Fact]
    public async Task Agent_PodDeletedWithKubectl_PodListThenUpdates()
    {
        await using var detail = AgentStreamView.Start(_connection, Ns, "planner");

        var first = await detail.WaitForAsync(_ => true, Timeout, "the first Agent message");
        Assert.Equal($"{Ns}/planner", first.Agent?.Key);
        Assert.NotEmpty(first.Pods);
        Assert.All(first.Pods, p => Assert.StartsWith("planner-", p.Name, StringComparison.Ordinal));

        var running = await detail.WaitForLatestAsync(
            m => m.Agent is { State: "Healthy" } && m.Pods is [{ Status: "Running", Ready: "1/1" }], Timeout, "planner healthy with one running pod");
        var victim = running.Pods[0].Name;
        Assert.NotNull(running.Pods[0].Node);

        (await host.Kubectl.RunAsync("-n", Ns, "delete", "pod", victim, "--wait=false")).EnsureSuccess();

        await detail.WaitForAsync(m => m.Pods.All(p => p.Name != victim || p.Status == "Terminating"), Timeout,
            $"an update showing {victim} terminating or gone");
        var replaced = await detail.WaitForLatestAsync(
            m => m.Agent is { State: "Healthy" } && m.Pods is [{ Status: "Running", Ready: "1/1" } pod] && pod.Name != victim, Timeout,
            "planner healthy again on a replacement pod");
        Assert.StartsWith("planner-", replaced.Pods[0].Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_Unknown_MessageWithAgentNull()
    {
        await using var detail = AgentStreamView.Start(_connection, Ns, "no-such-agent");

        var message = await detail.WaitForAsync(_ => true, Timeout, "the first Agent message");

        Assert.Null(message.Agent);
        Assert.Empty(message.Pods);
    }

    private static AgentMessage? Archivist(IReadOnlyDictionary<string, AgentMessage> agents) => agents.GetValueOrDefault($"{Ns}/archivist");
}
