using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Tests.Actions;

/// <summary>Which setting names count as secret-looking, and where set config key hides such a value.</summary>
public sealed class SecretNamesTests
{
    private static readonly AgentRef Target = new("kosmos", "researcher");

    [Theory]
    [InlineData("DB_PASSWORD", true)]
    [InlineData("db-passwd", true)]
    [InlineData("KOSMOS_API_KEY", true)]
    [InlineData("apiKey", true)]
    [InlineData("APIKEY", true)]
    [InlineData("tls.key", true)]
    [InlineData("SLACK_TOKEN", true)]
    [InlineData("githubAccessToken", true)]
    [InlineData("client-secret", true)]
    [InlineData("aws_credentials", true)]
    [InlineData("CREDENTIAL", true)]
    [InlineData("PGPASSWORD", true)]
    [InlineData("smtp.pwd", true)]
    [InlineData("KOSMOS_MODEL_URL", false)]
    [InlineData("KOSMOS_LOG_LEVEL", false)]
    [InlineData("app.yaml", false)]
    [InlineData("KEYBOARD_LAYOUT", false)]
    [InlineData("KOSMOS_MODEL_ENDPOINT", false)]
    public void LooksSecret_Name(string name, bool secret)
    {
        Assert.Equal(secret, SecretNames.LooksSecret(name));
    }

    [Fact]
    public void SetConfigKey_SecretLookingKey_KubectlAndRequestTextHideTheValue()
    {
        var request = new SetConfigKeyRequest("researcher-config", "KOSMOS_API_TOKEN", "tok-PLANTED");

        Assert.Equal("kubectl patch configmap researcher-config -n kosmos --type=merge -p '{\"data\":{\"KOSMOS_API_TOKEN\":\"(hidden)\"}}' " +
            "&& kubectl rollout restart deployment/researcher -n kosmos", request.Kubectl(Target));
        Assert.Equal("configMap=researcher-config, key=KOSMOS_API_TOKEN, value=(hidden)", request.ToActionRequest().ToString());
        Assert.Equal("{\"data\":{\"KOSMOS_API_TOKEN\":\"tok-PLANTED\"}}", request.DataPatch);
    }

    [Fact]
    public void SetConfigKey_PlainKey_KubectlAndRequestTextShowTheValue_EventCommandNever()
    {
        var request = new SetConfigKeyRequest("researcher-config", "KOSMOS_LOG_LEVEL", "debug-PLANTED");
        var plan = new ActionPlan(ActionKind.SetConfigKey, Target, new Precondition("7"), [], request.Kubectl(Target), StringMap.Empty, DateTimeOffset.UnixEpoch)
        {
            Request = request.ToActionRequest(),
        };

        Assert.Contains("debug-PLANTED", plan.KubectlEquivalent, StringComparison.Ordinal);
        Assert.Equal("configMap=researcher-config, key=KOSMOS_LOG_LEVEL, value=debug-PLANTED", plan.Request.ToString());
        Assert.Equal("kubectl patch configmap researcher-config -n kosmos --type=merge (data.KOSMOS_LOG_LEVEL; value not recorded in events) " +
            "&& kubectl rollout restart deployment/researcher -n kosmos", plan.EventCommand);
    }
}
