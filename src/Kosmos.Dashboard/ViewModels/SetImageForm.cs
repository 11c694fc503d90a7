using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// The values of the Set image dialog: which container, and the image to run. Offers the images the cluster has run for the
/// agent (its ReplicaSets' pod templates, newest revision first) and, when the current image cannot be pulled, pre-fills the
/// newest one before it. No rules of its own: the server's validator judges the values. Not thread-safe.
/// </summary>
public sealed class SetImageForm : IActionForm
{
    private SetImageForm(IReadOnlyList<string> containers, string? current, IReadOnlyList<ImageRun> history)
    {
        Containers = containers;
        Current = current;
        History = history;
    }

    public IReadOnlyList<string> Containers { get; }

    /// <summary>The image the first (or chosen) container's template runs now.</summary>
    public string? Current { get; }

    /// <summary>The images the cluster has run for the agent, newest revision first.</summary>
    public IReadOnlyList<ImageRun> History { get; }

    public string? Container { get; set; }

    public string? Image { get; set; }

    /// <summary>Why the image is pre-filled, when it is.</summary>
    public string? Prefill { get; private set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Image);

    public SetImageRequest Request => new(Container, Image?.Trim());

    public ActionRequest ToActionRequest() => Request.ToActionRequest();

    public static SetImageForm From(AgentDetail? detail)
    {
        var containers = detail?.Deployment?.Template.Containers ?? [];
        var first = containers.Count > 0 ? containers[0] : null;
        var form = new SetImageForm([.. containers.Select(c => c.Name)], first?.Image, ImageHistory.For(detail, first?.Name))
        {
            Container = first?.Name,
        };
        // One rule for the page, the dialog and the API: the guide's own suggestion.
        if (detail is not null && RunbookGuide.Build(detail, DateTimeOffset.UtcNow) is { } guide
            && guide.Suggestions.FirstOrDefault(s => s.Action == ActionKind.SetImage) is { } suggestion)
        {
            var request = SetImageRequest.From(suggestion.Values, out _);
            form.Container = request.Container ?? form.Container;
            form.Image = request.Image;
            form.Prefill = "Pre-filled from the runbook guidance: " + suggestion.Why;
        }

        return form;
    }
}
