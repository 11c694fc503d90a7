using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.Tests.ViewModels;

/// <summary>Which suggestions of the Runbook tab open the action dialog, and with what.</summary>
public sealed class SuggestionDialogTests
{
    [Fact]
    public void For_Restart_RestartWithoutAForm()
    {
        var step = new SuggestedStep(ActionKind.Restart, ActionRequest.None, "kubectl rollout restart deployment/slow-agent -n kosmos", "hung");

        Assert.Equal(new SuggestionDialog(ActionKind.Restart, null), SuggestionDialog.For(step, TestData.UnresponsiveDetail(), null));
    }

    [Fact]
    public void For_SetImage_FormPrefilledWithTheSuggestedImage()
    {
        var detail = TestData.ImagePullDetail();
        var step = RunbookGuide.Build(detail, TestData.Now)!.Suggestions.Single();

        var dialog = SuggestionDialog.For(step, detail, null);

        Assert.Equal(ActionKind.SetImage, dialog?.Kind);
        Assert.Equal(new SetImageRequest("agent", "ghcr.io/kosmos-ai/vector-store:2.4.2"), Assert.IsType<SetImageForm>(dialog?.Form).Request);
    }

    [Fact]
    public void For_SomethingToDoElsewhere_Null()
    {
        var step = new SuggestedStep(null, ActionRequest.None, "kubectl describe deployment vector-store -n kosmos", "Fix vector-store first");

        Assert.Null(SuggestionDialog.For(step, TestData.CrashDetail(), null));
    }
}
