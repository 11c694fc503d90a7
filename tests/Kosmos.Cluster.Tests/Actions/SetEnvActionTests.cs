using k8s;
using k8s.Models;
using Kosmos.Cluster.Actions;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.TestSupport;

namespace Kosmos.Cluster.Tests.Actions;

/// <summary>
/// Set env against the simulator over loopback, on an agent that crash-loops until KOSMOS_MODEL_ENDPOINT is set (the demo
/// researcher's failure): from a ConfigMap key or as a literal it recovers and is verified; a wrong variable is not verified
/// (the new pods crash again); a reference to a key that does not exist changes nothing.
/// </summary>
public sealed class SetEnvActionTests(RestartFixture cluster) : IClassFixture<RestartFixture>
{
    private const string Required = "KOSMOS_MODEL_ENDPOINT";
    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(40);

    private SetEnvAction Handler => cluster.SetEnv;

    [Fact]
    public async Task Apply_MissingSettingFromAConfigMapKey_AgentRecoversAndVerified()
    {
        var agent = await CrashingAgentAsync();
        await cluster.CreateConfigMapAsync(agent + "-config", ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"));
        var request = Request(new EnvAssignment(Required, EnvSourceKind.ConfigMap, $"{agent}-config/KOSMOS_MODEL_URL"));

        var applied = await cluster.PlanAndApplyAsync(Handler, agent, request);
        var verification = await Handler.VerifyAsync(applied, progress: null, VerifyTimeout, CancellationToken.None);

        Assert.True(verification.Verified, verification.Detail);
        Assert.Equal($"1/1 pods ready with the new environment ({Required}); no old pods left", verification.Detail);
        Assert.Contains(applied.Plan.Changes, c => c.Path.Contains("configMapKeyRef", StringComparison.Ordinal) && c.After == $"{agent}-config");
        Assert.Equal(SetEnvAction.RollsPodsNote, applied.Plan.Note);
        var env = Assert.Single((await cluster.ReadAsync(agent)).Spec.Template.Spec.Containers[0].Env);
        Assert.Equal((Required, $"{agent}-config", "KOSMOS_MODEL_URL"), (env.Name, env.ValueFrom.ConfigMapKeyRef.Name, env.ValueFrom.ConfigMapKeyRef.Key));
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.Healthy,
            RestartFixture.Timeout, $"{agent} healthy on the board");
    }

    [Fact]
    public async Task Apply_SecretLookingLiteral_PreviewKubectlAndRequestTextHideIt_TheDeploymentGetsIt()
    {
        // An operator pastes a token as a literal: the preview, the audit's request text and the Event are read by others.
        var agent = await CrashingAgentAsync();
        const string token = "tok-3f9a1c7e55";
        var request = Request(new EnvAssignment(Required, EnvSourceKind.Literal, "http://model:8000"), new EnvAssignment("MODEL_API_TOKEN", EnvSourceKind.Literal, token));

        var applied = await cluster.PlanAndApplyAsync(Handler, agent, request);

        Assert.Equal($"kubectl set env deployment/{agent} -n {cluster.Namespace} -c agent {Required}=http://model:8000 MODEL_API_TOKEN=(hidden)", applied.Plan.KubectlEquivalent);
        Assert.DoesNotContain(applied.Plan.Changes, c => (c.Before + c.After).Contains(token, StringComparison.Ordinal));
        Assert.Contains(applied.Plan.Changes, c => c.Path == "spec.template.spec.containers[0].env[1].value" && c.After == "(hidden)");
        Assert.Contains(applied.Plan.Changes, c => c.Path == "spec.template.spec.containers[0].env[1].name" && c.After == "MODEL_API_TOKEN");
        Assert.Contains(applied.Plan.Changes, c => c.After == "http://model:8000");
        Assert.DoesNotContain(token, request.ToString(), StringComparison.Ordinal);
        Assert.Contains("set.MODEL_API_TOKEN=(hidden)", request.ToString(), StringComparison.Ordinal);
        var env = (await cluster.ReadAsync(agent)).Spec.Template.Spec.Containers[0].Env;
        Assert.Equal(token, Assert.Single(env, e => e.Name == "MODEL_API_TOKEN").Value);
    }

    [Fact]
    public async Task Apply_LiteralThenRemoved_KubectlEquivalentAndBothVerified()
    {
        var agent = await CrashingAgentAsync();

        var set = await cluster.PlanAndApplyAsync(Handler, agent, Request(new EnvAssignment(Required, EnvSourceKind.Literal, "http://model:8000")));
        Assert.Equal($"kubectl set env deployment/{agent} -n {cluster.Namespace} -c agent {Required}=http://model:8000", set.Plan.KubectlEquivalent);
        Assert.True((await Handler.VerifyAsync(set, null, VerifyTimeout, CancellationToken.None)).Verified);

        // Removing it again is the configuration error again: applied, and the new pod's crash makes it not verified.
        var removed = await cluster.PlanAndApplyAsync(Handler, agent, new SetEnvRequest("agent", [], [Required]).ToActionRequest());
        var verification = await Handler.VerifyAsync(removed, null, VerifyTimeout, CancellationToken.None);

        Assert.Equal($"kubectl set env deployment/{agent} -n {cluster.Namespace} -c agent {Required}-", removed.Plan.KubectlEquivalent);
        Assert.False(verification.Verified);
        Assert.Contains("crashed again", verification.Detail, StringComparison.Ordinal);
        Assert.Contains("with the new environment: the cause is not (only) these variables", verification.Detail, StringComparison.Ordinal);
        Assert.Empty((await cluster.ReadAsync(agent)).Spec.Template.Spec.Containers[0].Env ?? []);
    }

    [Fact]
    public async Task Plan_KeyTheConfigMapDoesNotHave_InvalidNamingItsKeysAndNothingChanged()
    {
        var agent = await CrashingAgentAsync();
        await cluster.CreateConfigMapAsync(agent + "-config", ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"), ("LOG_LEVEL", "info"));
        var before = (await cluster.ReadAsync(agent)).Metadata.Generation;

        var error = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(new AgentRef(cluster.Namespace, agent),
            Request(new EnvAssignment(Required, EnvSourceKind.ConfigMap, $"{agent}-config/MODEL")), expected: null, CancellationToken.None));

        Assert.Equal(ActionFailure.Invalid, error.Failure);
        Assert.Equal($"{Required}: configmap {agent}-config has no key 'MODEL' (its keys: KOSMOS_MODEL_URL, LOG_LEVEL); nothing was changed.", error.Message);
        var after = await cluster.ReadAsync(agent);
        Assert.Equal(before, after.Metadata.Generation);
        Assert.Null(after.Spec.Template.Spec.Containers[0].Env);
    }

    // "FOO\n" once passed the name check ($ matches before a final line break) and went to the API server.
    [Fact]
    public async Task Plan_NameEndingInALineBreak_InvalidAndNothingChanged()
    {
        var agent = await CrashingAgentAsync();
        var before = await cluster.ReadAsync(agent);

        var error = await Assert.ThrowsAsync<ActionException>(() => Handler.PlanAsync(new AgentRef(cluster.Namespace, agent),
            Request(new EnvAssignment("FOO\n", EnvSourceKind.Literal, "1")), expected: null, CancellationToken.None));

        Assert.Equal(ActionFailure.Invalid, error.Failure);
        Assert.Equal("'FOO\\n' is not a valid environment variable name: it contains a line break or another control character.", error.Message);
        var after = await cluster.ReadAsync(agent);
        Assert.Equal((before.Metadata.Generation, before.Metadata.ResourceVersion), (after.Metadata.Generation, after.Metadata.ResourceVersion));
        Assert.Null(after.Spec.Template.Spec.Containers[0].Env);
    }

    [Fact]
    public async Task Plan_SecretKey_ChangeShowsTheReferenceNeverTheValue()
    {
        var agent = await CrashingAgentAsync();
        const string value = "sk-live-PLANTED-DO-NOT-SHOW-4242";
        await cluster.Api.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = agent + "-credentials" },
            StringData = new Dictionary<string, string> { ["endpoint"] = value },
        }, cluster.Namespace);

        var plan = await Handler.PlanAsync(new AgentRef(cluster.Namespace, agent),
            Request(new EnvAssignment(Required, EnvSourceKind.Secret, $"{agent}-credentials/endpoint")), expected: null, CancellationToken.None);

        Assert.Contains(plan.Changes, c => c.Path.Contains("secretKeyRef", StringComparison.Ordinal));
        Assert.DoesNotContain(value, plan.ChangesText + plan.KubectlEquivalent, StringComparison.Ordinal);
    }

    private static ActionRequest Request(params EnvAssignment[] assignments) => new SetEnvRequest("agent", assignments, []).ToActionRequest();

    private async Task<string> CrashingAgentAsync()
    {
        var agent = await cluster.CreateAgentAsync(waitReady: false, requiredEnv: Required);
        await Eventually.Until(() => cluster.Board.GetDetail(cluster.Namespace, agent)?.Summary.Health.State == HealthState.CrashLoopBackOff,
            RestartFixture.Timeout, $"{agent} crash-looping on the board");
        return agent;
    }
}
