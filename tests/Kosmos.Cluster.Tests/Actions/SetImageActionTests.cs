using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Kosmos.Cluster.Actions;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>
/// Set image against the simulator over loopback, on an agent whose image tag does not exist (the demo vector-store's
/// failure): back to a tag that exists it recovers and is verified, and the rollout history then offers both tags; a
/// malformed image or an unknown container is refused before any request changes the cluster (no patch in /sim/stats).
/// </summary>
public sealed class SetImageActionTests(RestartFixture cluster) : IClassFixture<RestartFixture>
{
    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(40);

    private SetImageAction Handler => cluster.SetImage;

    [Fact]
    public async Task Apply_TagThatExists_AgentRecoversVerifiedAndHistoryOffersBothTags()
    {
        var agent = await cluster.CreateAgentAsync(tag: "2.0-rc1", waitReady: false, imageMissing: true);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.ImagePull,
            RestartFixture.Timeout, $"{agent} failing to pull on the board");
        var good = $"kosmos/{agent}:1.0";

        var applied = await cluster.PlanAndApplyAsync(Handler, agent, new SetImageRequest("agent", good).ToActionRequest());
        var verification = await Handler.VerifyAsync(applied, progress: null, VerifyTimeout, CancellationToken.None);

        Assert.True(verification.Verified, verification.Detail);
        Assert.Equal($"1/1 pods ready with image {good}; no old pods left", verification.Detail);
        Assert.Equal($"kubectl set image deployment/{agent} -n {cluster.Namespace} agent={good}", applied.Plan.KubectlEquivalent);
        Assert.Contains(applied.Plan.Changes, c => c.Path == "spec.template.spec.containers[0].image" && c.Before == $"kosmos/{agent}:2.0-rc1" && c.After == good);
        Assert.Equal(good, (await cluster.ReadAsync(agent)).Spec.Template.Spec.Containers[0].Image);
        await Eventually.Until(() => ImageHistory.For(cluster.Board.GetDetail(cluster.Namespace, agent), "agent").Count == 2, RestartFixture.Timeout, "two images in the history");
        var history = ImageHistory.For(cluster.Board.GetDetail(cluster.Namespace, agent), "agent");
        Assert.Equal([(good, 2L, true), ($"kosmos/{agent}:2.0-rc1", 1L, false)], history.Select(r => (r.Image, r.Revision, r.IsCurrent)));
    }

    [Fact]
    public async Task Apply_TagThatDoesNotExist_NotVerifiedSayingThePullFails()
    {
        var agent = await cluster.CreateAgentAsync(tag: "2.0-rc1", waitReady: false, imageMissing: true);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.ImagePull,
            RestartFixture.Timeout, $"{agent} failing to pull on the board");
        var applied = await cluster.PlanAndApplyAsync(Handler, agent, new SetImageRequest("agent", $"kosmos/{agent}:1.0").ToActionRequest());
        Assert.True((await Handler.VerifyAsync(applied, null, VerifyTimeout, CancellationToken.None)).Verified);

        // Back to the tag the registry does not have: applied, and the pull failure ends verification early.
        var back = await cluster.PlanAndApplyAsync(Handler, agent, new SetImageRequest("agent", $"kosmos/{agent}:2.0-rc1").ToActionRequest());
        var verification = await Handler.VerifyAsync(back, null, VerifyTimeout, CancellationToken.None);

        Assert.False(verification.Verified);
        Assert.Contains($"cannot pull kosmos/{agent}:2.0-rc1", verification.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent", "Kosmos/Agent:1.0", "image 'Kosmos/Agent:1.0' is not a valid image reference: the repository 'Kosmos/Agent' must be lower-case path components")]
    [InlineData("agent", "kosmos/agent:", "image 'kosmos/agent:' is not a valid image reference: the tag after ':' is empty")]
    [InlineData("agent", "kosmos/agent:1.0 --force", "image 'kosmos/agent:1.0 --force' is not a valid image reference: it contains whitespace")]
    [InlineData("worker", "kosmos/agent:1.0", "has no container 'worker' (its containers: agent)")]
    public async Task Plan_BadInput_InvalidAndNoPatchReachesTheCluster(string container, string image, string message)
    {
        var agent = await cluster.CreateAgentAsync();
        var before = await cluster.ReadAsync(agent);
        (await cluster.SimControl.PostAsync("/sim/stats/reset", null)).EnsureSuccessStatusCode();

        var error = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(new Recovery.Actions.AgentRef(cluster.Namespace, agent),
            new SetImageRequest(container, image).ToActionRequest(), expected: null, CancellationToken.None));

        Assert.Equal(ActionFailure.Invalid, error.Failure);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        var stats = await cluster.SimControl.GetFromJsonAsync<JsonObject>("/sim/stats");
        Assert.Equal(0, (long?)stats!["byResourceVerb"]?["deployments:patch"] ?? 0);
        var after = await cluster.ReadAsync(agent);
        Assert.Equal((before.Metadata.Generation, before.Spec.Template.Spec.Containers[0].Image), (after.Metadata.Generation, after.Spec.Template.Spec.Containers[0].Image));
    }
}
