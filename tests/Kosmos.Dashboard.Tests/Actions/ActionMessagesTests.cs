using Kosmos.Dashboard.Actions;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Actions;

/// <summary>Values as everyone who may list approval requests sees them (Viewers too).</summary>
public sealed class ActionMessagesTests
{
    [Theory]
    [InlineData("KOSMOS_LOG_LEVEL", "debug")]
    [InlineData("KOSMOS_API_TOKEN", SecretNames.Hidden)]
    public void Shown_SetConfigKey_ValueHiddenOnlyForASecretLookingKey(string key, string shown)
    {
        var request = new SetConfigKeyRequest("researcher-config", key, key == "KOSMOS_LOG_LEVEL" ? "debug" : "tok-PLANTED").ToActionRequest();

        var body = ActionBody.Shown(ActionKind.SetConfigKey, request);

        Assert.Equal(("researcher-config", key, shown), (body.ConfigMap, body.Key, body.Value));
    }
}
