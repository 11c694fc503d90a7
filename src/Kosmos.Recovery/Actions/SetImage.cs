using System.Text.RegularExpressions;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;

namespace Kosmos.Recovery.Actions;

/// <summary>
/// What <c>kubectl set image deployment/&lt;agent&gt; &lt;container&gt;=&lt;image&gt;</c> is given, carried in an
/// <see cref="ActionRequest"/> as <c>container</c> and <c>image</c>. Immutable.
/// </summary>
public sealed record SetImageRequest(string? Container, string? Image)
{
    public const string ContainerKey = "container";
    public const string ImageKey = "image";

    public static IReadOnlyList<string> Keys { get; } = [ContainerKey, ImageKey];

    public ActionRequest ToActionRequest()
    {
        var entries = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(Container))
        {
            entries.Add((ContainerKey, Container.Trim()));
        }

        if (Image is not null)
        {
            entries.Add((ImageKey, Image.Trim()));
        }

        return new ActionRequest(StringMap.Of([.. entries]));
    }

    /// <summary>The request an <see cref="ActionRequest"/> carries; keys it does not know are returned in <paramref name="unknown"/>.</summary>
    public static SetImageRequest From(ActionRequest request, out IReadOnlyList<string> unknown)
    {
        ArgumentNullException.ThrowIfNull(request);
        unknown = [.. request.Values.Keys.Where(k => !Keys.Contains(k)).Order(StringComparer.Ordinal)];
        return new SetImageRequest(request.Values.GetValueOrDefault(ContainerKey)?.Trim(), request.Values.GetValueOrDefault(ImageKey)?.Trim());
    }

    /// <summary><c>kubectl set image deployment/x -n ns container=image</c> (every container when none is named: <c>*=image</c>).</summary>
    public string Kubectl(AgentRef target) =>
        $"kubectl set image deployment/{target.Name} -n {target.Namespace} {(string.IsNullOrWhiteSpace(Container) ? "*" : Container.Trim())}={Image?.Trim()}";
}

/// <summary>One container's image as the template has it (before) and as the request sets it (after).</summary>
public sealed record ImageChange(string Container, string Before, string After)
{
    public override string ToString() => $"{Container} image: {Before} → {After}";
}

/// <summary>A validated set-image request: what it changes (empty when invalid) and the verdict.</summary>
public sealed record SetImageCheck(ActionValidation Validation, ValueList<ImageChange> Changes);

/// <summary>
/// The rules a set-image request must pass before anything reaches the cluster, as pure functions of the pod template: the
/// image is a reference a container runtime can pull (<c>repository[:tag][@sha256:digest]</c>), the container exists, and
/// something changes. Whether the tag exists in its registry is only known once a kubelet pulls it (verify watches for it).
/// </summary>
public static partial class SetImageRules
{
    public static SetImageCheck Check(AgentRef target, SetImageRequest request, PodTemplateSnapshot template, IEnumerable<string>? unknownKeys = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(template);
        var errors = new List<string>();
        foreach (var key in unknownKeys ?? [])
        {
            errors.Add($"'{key}' is not a value set image takes (it takes: container, image)");
        }

        var image = request.Image?.Trim() ?? "";
        if (image.Length == 0)
        {
            errors.Add("Give the image to run (repository:tag, e.g. ghcr.io/kosmos-ai/vector-store:2.4.2)");
        }
        else if (ProblemWith(image) is { } problem)
        {
            errors.Add($"image '{InputText.Visible(image)}' is not a valid image reference: {problem}");
        }

        var named = request.Container?.Trim();
        var targets = string.IsNullOrEmpty(named) ? template.Containers.ToList() : template.Containers.Where(c => c.Name == named).ToList();
        if (targets.Count == 0)
        {
            errors.Add(string.IsNullOrEmpty(named)
                ? $"Deployment {target} has no containers"
                : $"Deployment {target} has no container '{named}' (its containers: {string.Join(", ", template.Containers.Select(c => c.Name))})");
        }

        if (errors.Count > 0)
        {
            return new SetImageCheck(new ActionValidation([.. errors], ValueList<string>.Empty), ValueList<ImageChange>.Empty);
        }

        var changes = targets.Where(c => c.Image != image).Select(c => new ImageChange(c.Name, c.Image, image)).ToList();
        if (changes.Count == 0)
        {
            return new SetImageCheck(ActionValidation.Fail($"Nothing would change: {string.Join(", ", targets.Select(c => $"container {c.Name}"))} already runs {image}"),
                ValueList<ImageChange>.Empty);
        }

        return new SetImageCheck(ActionValidation.Ok, [.. changes]);
    }

    public static SetImageCheck Check(AgentRef target, ActionRequest request, AgentDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var parsed = SetImageRequest.From(request, out var unknown);
        return Check(target, parsed, detail.Deployment?.Template ?? PodTemplateSnapshot.Empty, unknown);
    }

    /// <summary>Why <paramref name="image"/> is not a reference the runtime can pull, or null when it is.</summary>
    public static string? ProblemWith(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Any(char.IsWhiteSpace))
        {
            return "it contains whitespace";
        }

        if (image.Length > 255 + 128 + 72)
        {
            return "it is too long";
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var digest = at >= 0 ? image[(at + 1)..] : null;
        var named = at >= 0 ? image[..at] : image;
        if (digest is not null && !Digest().IsMatch(digest))
        {
            return $"the digest '{digest}' is not sha256: followed by 64 lower-case hex digits";
        }

        var slash = named.LastIndexOf('/');
        var colon = named.LastIndexOf(':');
        var tag = colon > slash ? named[(colon + 1)..] : null;
        var repository = colon > slash ? named[..colon] : named;
        if (tag is not null && !Tag().IsMatch(tag))
        {
            return tag.Length == 0
                ? "the tag after ':' is empty"
                : $"the tag '{tag}' must be 1-128 ASCII letters, digits, '_', '.' or '-', and not start with '.' or '-'";
        }

        return Repository().IsMatch(repository)
            ? null
            : $"the repository '{repository}' must be lower-case path components (letters, digits, '.', '_', '-') separated by '/', optionally after a registry host[:port]";
    }

    /// <summary>The tag of <paramref name="image"/> (<c>2.4.2</c> of <c>ghcr.io/x/y:2.4.2</c>), or null when it has none.</summary>
    public static string? TagOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var named = image.Split('@')[0];
        var colon = named.LastIndexOf(':');
        return colon > named.LastIndexOf('/') ? named[(colon + 1)..] : null;
    }

    // ASCII only (the registry's tag grammar): \w would take any Unicode letter or digit, which no registry serves.
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Digest();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Repository();
}

/// <summary>One image a container of the agent has run, from one of the Deployment's ReplicaSets (its rollout history).</summary>
/// <param name="Image">The full image reference.</param>
/// <param name="Revision">The ReplicaSet's <c>deployment.kubernetes.io/revision</c>.</param>
/// <param name="IsCurrent">The image of the Deployment's template now.</param>
public sealed record ImageRun(string Image, long Revision, bool IsCurrent)
{
    public string? Tag => SetImageRules.TagOf(Image);
}

/// <summary>The images the cluster has run for an agent's container, newest revision first: a pure function of its detail.</summary>
public static class ImageHistory
{
    public static IReadOnlyList<ImageRun> For(AgentDetail? detail, string? container)
    {
        if (detail is null)
        {
            return [];
        }

        var current = detail.Deployment?.Template.Containers.FirstOrDefault(c => container is null || c.Name == container)?.Image;
        return [.. detail.ReplicaSets
            .Where(rs => rs.Revision is not null)
            .SelectMany(rs => rs.Template.Containers.Where(c => container is null || c.Name == container)
                .Select(c => (c.Image, Revision: rs.Revision!.Value)))
            .Where(x => !string.IsNullOrEmpty(x.Image))
            .GroupBy(x => x.Image, StringComparer.Ordinal)
            .Select(g => new ImageRun(g.Key, g.Max(x => x.Revision), g.Key == current))
            .OrderByDescending(r => r.Revision)];
    }

    /// <summary>The newest image in the history other than the current one: what to go back to when the current one fails.</summary>
    public static ImageRun? Previous(AgentDetail? detail, string? container) => For(detail, container).FirstOrDefault(r => !r.IsCurrent);
}
