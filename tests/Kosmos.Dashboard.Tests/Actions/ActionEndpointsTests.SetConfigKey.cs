using System.Net;
using System.Net.Http.Json;
using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Security;
using Kosmos.Recovery.Actions;
using Microsoft.Extensions.DependencyInjection;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>
/// Set config key over HTTP on the demo researcher (which imports researcher-config whole): the preview is the server's dry
/// run of the key's old → new value; a ConfigMap it does not read, a bad key, no value and a Viewer are refused before any
/// request about a ConfigMap reaches the cluster.
/// </summary>
public sealed partial class ActionEndpointsTests
{
    private const string Researcher = "/api/agents/kosmos/researcher/actions/set-config-key";

    public static TheoryData<ActionBody, string> BadConfigKeys => new()
    {
        { new ActionBody { ConfigMap = "coder-config", Key = "KOSMOS_LOG_LEVEL", Value = "debug" }, "Deployment kosmos/researcher does not read configmap 'coder-config' (it reads: researcher-config); set config key edits only a ConfigMap the agent reads." },
        { new ActionBody { ConfigMap = "researcher-credentials", Key = "api-key", Value = "x" }, "Deployment kosmos/researcher does not read configmap 'researcher-credentials'" },
        { new ActionBody { ConfigMap = "researcher-config", Key = "KOSMOS LOG", Value = "debug" }, "key 'KOSMOS LOG' is not a valid ConfigMap key: a valid config key must consist of alphanumeric characters, '-', '_' or '.'" },
        { new ActionBody { ConfigMap = "researcher-config", Key = "KOSMOS_LOG_LEVEL" }, "Give the new value (it may be empty)" },
        { new ActionBody { ConfigMap = "researcher-config", Key = "KOSMOS_LOG_LEVEL", Value = new string('v', 9000) }, "value of KOSMOS_LOG_LEVEL is 9000 bytes, more than the largest this dashboard sets (8192 bytes)" },
    };

    [Theory]
    [MemberData(nameof(BadConfigKeys))]
    public async Task SetConfigKeyPreview_BadInput_422NamingTheProblemAndNoConfigMapRequest(ActionBody body, string message)
    {
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);
        await host.ResetSimStatsAsync();

        using var response = await operatorClient.SendAsync(Post(Researcher + "/preview", csrf: true, body));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, (await ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var stats = await host.GetSimStatsAsync();
        Assert.Equal((0, 0), (stats.Count("configmaps", "get"), stats.Count("configmaps", "patch")));
    }

    [Fact]
    public async Task SetConfigKey_Viewer_403AndNoConfigMapRequest()
    {
        using var viewer = await SignInAsync("vic", KosmosRoles.Viewer);
        await host.ResetSimStatsAsync();
        var body = new ActionBody(ResourceVersion: "1", Fingerprint: "x") { ConfigMap = "researcher-config", Key = "KOSMOS_LOG_LEVEL", Value = "debug" };

        using var preview = await viewer.SendAsync(Post(Researcher + "/preview", csrf: true, body));
        using var run = await viewer.SendAsync(Post(Researcher, csrf: true, body));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (preview.StatusCode, run.StatusCode));
        Assert.Contains("vic (Viewer) may not edit the configuration of agents", (await ProblemAsync(run))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var stats = await host.GetSimStatsAsync();
        Assert.Equal((0, 0), (stats.Count("configmaps", "get"), stats.Count("configmaps", "patch")));
        var audit = await host.Services.GetRequiredService<IAuditLog>().RecentAsync(100, CancellationToken.None);
        Assert.Contains(audit, e => e.User == "vic" && e.Status == "Refused" && e.Agent == "researcher" && e.Action == "set-config-key");
    }

    [Fact]
    public async Task SetConfigKeyPreview_KeyOfTheImportedConfigMap_200WithOldAndNewValueAndNothingChanged()
    {
        var before = await ConfigMapVersionAsync("researcher-config");
        using var operatorClient = await SignInAsync("ada", KosmosRoles.Operator);

        using var response = await operatorClient.SendAsync(Post(Researcher + "/preview", csrf: true,
            new ActionBody { ConfigMap = "researcher-config", Key = "KOSMOS_LOG_LEVEL", Value = "debug" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = (await response.Content.ReadFromJsonAsync<ActionPreviewMessage>())!;
        var change = Assert.Single(preview.Changes);
        Assert.Equal(("configmap/researcher-config data.KOSMOS_LOG_LEVEL", "info", "debug"), (change.Path, change.Before, change.After));
        Assert.Equal(before, preview.Precondition.ResourceVersion);
        Assert.Equal(("researcher-config", "KOSMOS_LOG_LEVEL", "debug"), (preview.Values?.ConfigMap, preview.Values?.Key, preview.Values?.Value));
        Assert.Equal(["patch configmap researcher-config: data.KOSMOS_LOG_LEVEL (resourceVersion " + before + ")", "kubectl rollout restart deployment/researcher -n kosmos"], preview.Steps);
        Assert.Equal(before, await ConfigMapVersionAsync("researcher-config"));
    }

    private async Task<string> ConfigMapVersionAsync(string name) =>
        (await host.Kubectl.RunAsync("get", "configmap", name, "-n", "kosmos", "-o", "jsonpath={.metadata.resourceVersion}")).EnsureSuccess().Stdout;
}
