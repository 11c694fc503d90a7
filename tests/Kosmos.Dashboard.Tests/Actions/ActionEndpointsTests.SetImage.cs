using System.Net;
using System.Net.Http.Json;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>Set image over HTTP on the demo vector-store: bad input is refused with what is wrong and nothing is sent to the cluster.</summary>
public sealed partial class ActionEndpointsTests
{
    private const string VectorStore = "/api/agents/kosmos/vector-store/actions/set-image";

    public static TheoryData<ActionBody, string> BadImages => new()
    {
        { new ActionBody(Container: "agent") { Image = "ghcr.io/Kosmos-AI/vector-store:2.4.2" }, "image 'ghcr.io/Kosmos-AI/vector-store:2.4.2' is not a valid image reference: the repository 'ghcr.io/Kosmos-AI/vector-store' must be lower-case" },
        { new ActionBody(Container: "agent") { Image = "ghcr.io/kosmos-ai/vector-store:2.4 .2" }, "is not a valid image reference: it contains whitespace" },
        { new ActionBody(Container: "agent") { Image = "ghcr.io/kosmos-ai/vector-store:" }, "the tag after ':' is empty" },
        { new ActionBody(Container: "sidecar") { Image = "ghcr.io/kosmos-ai/vector-store:2.4.2" }, "Deployment kosmos/vector-store has no container 'sidecar' (its containers: agent)" },
        { new ActionBody(Container: "agent"), "Give the image to run" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task SetImagePreview_BadInput_422NamingTheProblemAndNoRequestReachesTheCluster(ActionBody body, string message)
    {
        var before = await ResourceVersionAsync("vector-store");
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);
        await host.ResetSimStatsAsync();

        using var response = await operatorClient.SendAsync(Post(VectorStore + "/preview", csrf: true, body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var stats = await host.GetSimStatsAsync();
        Assert.Equal(0, stats.Count("deployments", "patch"));
        Assert.Equal(0, stats.Count("deployments", "get"));
        Assert.Equal(before, await ResourceVersionAsync("vector-store"));
    }

    [Fact]
    public async Task SetImagePreview_PreviousTag_200WithKubectlAndNothingChanged()
    {
        var before = await ResourceVersionAsync("vector-store");
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(VectorStore + "/preview", csrf: true,
            new ActionBody(Container: "agent") { Image = "ghcr.io/kosmos-ai/vector-store:2.4.2" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<ActionPreviewMessage>())!;
        Assert.Contains(preview.Changes, c => c.Path == "spec.template.spec.containers[0].image"
            && c.Before == "ghcr.io/kosmos-ai/vector-store:2.5.0-rc1" && c.After == "ghcr.io/kosmos-ai/vector-store:2.4.2");
        Assert.Equal("kubectl set image deployment/vector-store -n kosmos agent=ghcr.io/kosmos-ai/vector-store:2.4.2", preview.Kubectl);
        Assert.Equal("ghcr.io/kosmos-ai/vector-store:2.4.2", preview.Values?.Image);
        Assert.Equal(before, await ResourceVersionAsync("vector-store"));
    }
}
