using Bunit;
using Kosmos.Dashboard.Components.Agent;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Model;
using MudBlazor;

namespace Kosmos.Dashboard.Tests.Components;

/// <summary>
/// The describe tab's Configuration section: each ConfigMap the agent reads with its keys and values, a Secret's keys by
/// name only, what is missing flagged, and Edit opening set-config-key's dialog for Operators.
/// </summary>
public sealed class AgentConfigurationTests : ComponentTest
{
    private static readonly AgentRef Agent = new("kosmos", "researcher");

    private static PodTemplateSnapshot Template => TestData.ConfigReadingTemplate();

    [Fact]
    public void Render_Active_ConfigMapValuesShownSecretValuesHiddenAndMissingFlagged()
    {
        Ctx.Configuration.PlantConfigMap("researcher-config", ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"), ("KOSMOS_LOG_LEVEL", "info"),
            ("KOSMOS_PROMPT", new string('p', 300)), ("MODEL_API_TOKEN", "tok-3f9a1c7e55"));
        Ctx.Configuration.PlantConfigMap("shared-config", ("other", "1"));

        var cut = Ctx.Render<AgentConfiguration>(p => p.Add(c => c.Target, Agent).Add(c => c.Template, Template));

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=config-source]").Count), Timeout);
        Assert.Equal(["researcher-config", "researcher-files", "shared-config", "researcher-credentials"],
            cut.FindAll("[data-testid=config-source]").Select(s => s.GetAttribute("data-name")));
        var config = cut.Find("[data-testid=config-source][data-name=researcher-config]");
        Assert.Equal("http://model-gateway:8000/v1", config.QuerySelector("[data-key=KOSMOS_MODEL_URL] [data-testid=config-value]")!.TextContent);
        Assert.Equal(new string('p', 120) + "… (300 characters)", config.QuerySelector("[data-key=KOSMOS_PROMPT] [data-testid=config-value]")!.TextContent);
        Assert.Equal("(hidden)", config.QuerySelector("[data-key=MODEL_API_TOKEN] [data-testid=config-value]")!.TextContent);
        Assert.DoesNotContain("tok-3f9a1c7e55", cut.Markup, StringComparison.Ordinal);
        var secret = cut.Find("[data-testid=config-source][data-kind=Secret]");
        Assert.Equal("(secret, hidden)", secret.QuerySelector("[data-key=api-key] [data-testid=config-value]")!.TextContent);
        Assert.Empty(secret.QuerySelectorAll("[data-testid=config-edit]"));
        var shared = cut.Find("[data-testid=config-source][data-name=shared-config]");
        Assert.Equal("the agent references model, and configmap shared-config does not have it", shared.QuerySelector("[data-key=model] [data-testid=config-key-flag]")!.TextContent);
        Assert.Equal("not read by the agent", shared.QuerySelector("[data-key=other] [data-testid=config-key-flag]")!.TextContent);
        Assert.Equal("missing: the agent's pods cannot start until configmap researcher-files exists",
            cut.Find("[data-name=researcher-files] [data-testid=config-source-flag]").TextContent);
    }

    [Fact]
    public void Render_Inactive_NothingReadUntilTheTabOpens()
    {
        var cut = Ctx.Render<AgentConfiguration>(p => p.Add(c => c.Target, Agent).Add(c => c.Template, Template).Add(c => c.Active, false));

        Assert.Equal(0, Ctx.Configuration.Reads);
        cut.Render(p => p.Add(c => c.Active, true));
        cut.WaitForAssertion(() => Assert.Equal(1, Ctx.Configuration.Reads), Timeout);
        cut.Render(p => p.Add(c => c.Active, true));
        Assert.Equal(1, Ctx.Configuration.Reads);
    }

    [Fact]
    public async Task Edit_Operator_OpensSetConfigKeyWithTheCurrentValue()
    {
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetRoles(KosmosRoles.Operator);
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        Ctx.Configuration.PlantConfigMap("researcher-config", ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"));
        var provider = Ctx.Render<MudDialogProvider>();
        var cut = Ctx.Render<AgentConfiguration>(p => p.Add(c => c.Target, Agent).Add(c => c.Template, Template));
        cut.WaitForAssertion(() => cut.Find("[data-key=KOSMOS_MODEL_URL] [data-testid=config-edit]"), Timeout);

        await cut.Find("[data-key=KOSMOS_MODEL_URL] [data-testid=config-edit]").ClickAsync(new());

        provider.WaitForAssertion(() => provider.Find("[data-testid=set-config-key-editor]"), Timeout);
        Assert.Equal("Now: http://model-gateway:8000/v1", provider.Find("[data-testid=set-config-key-current]").TextContent);
        Assert.Equal("kubectl patch configmap researcher-config -n kosmos --type=merge -p '{\"data\":{\"KOSMOS_MODEL_URL\":\"http://model-gateway:8000/v1\"}}' " +
            "&& kubectl rollout restart deployment/researcher -n kosmos", provider.Find("[data-testid=action-kubectl]").TextContent);
    }

    [Fact]
    public void Render_Viewer_EditDisabledWithTheRole()
    {
        Ctx.Auth.SetAuthorized("victor");
        Ctx.Auth.SetRoles(KosmosRoles.Viewer);
        Ctx.Configuration.PlantConfigMap("researcher-config", ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"));

        var cut = Ctx.Render<AgentConfiguration>(p => p.Add(c => c.Target, Agent).Add(c => c.Template, Template));

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-key=KOSMOS_MODEL_URL] [data-testid=config-edit]").HasAttribute("disabled")), Timeout);
    }

    [Fact]
    public void Render_ReadOnlyOperator_NoEditButtons()
    {
        Ctx.Options.ReadOnly = true;
        Ctx.Auth.SetAuthorized("ada");
        Ctx.Auth.SetPolicies(KosmosPolicies.Operate);
        Ctx.Configuration.PlantConfigMap("researcher-config", ("KOSMOS_MODEL_URL", "http://model-gateway:8000/v1"));

        var cut = Ctx.Render<AgentConfiguration>(p => p.Add(c => c.Target, Agent).Add(c => c.Template, Template));

        cut.WaitForAssertion(() => cut.Find("[data-key=KOSMOS_MODEL_URL] [data-testid=config-value]"), Timeout);
        Assert.Empty(cut.FindAll("[data-testid=config-edit]"));
    }
}
