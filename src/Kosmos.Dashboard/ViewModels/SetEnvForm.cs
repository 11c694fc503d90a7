using Kosmos.Recovery.Actions;
using Kosmos.Recovery.Health;
using Kosmos.Recovery.Live;
using Kosmos.Recovery.Model;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>What the Set env dialog does with one variable: set a literal, take it from a ConfigMap or Secret key, or remove it.</summary>
public enum EnvEdit
{
    Literal,
    ConfigMap,
    Secret,
    Remove,
}

/// <summary>One variable of a container as the Deployment's template has it now (a Secret's value is never carried).</summary>
public sealed record EnvVariableRow(string Container, string Name, string Value);

/// <summary>
/// The values of the Set env dialog: which container, which variable, and its new source. Pre-filled with a variable the
/// runbook guidance finds missing (e.g. <c>KOSMOS_MODEL_ENDPOINT</c> named in the crash). No rules of its own: the server's
/// validator judges the values. Not thread-safe.
/// </summary>
public sealed class SetEnvForm : IActionForm
{
    private SetEnvForm(IReadOnlyList<string> containers, IReadOnlyList<EnvVariableRow> current)
    {
        Containers = containers;
        Current = current;
    }

    public IReadOnlyList<string> Containers { get; }

    public IReadOnlyList<EnvVariableRow> Current { get; }

    public string? Container { get; set; }

    public string? Name { get; set; }

    public EnvEdit Edit { get; set; } = EnvEdit.Literal;

    /// <summary>The literal value, or <c>name/key</c> of the ConfigMap or Secret.</summary>
    public string? Value { get; set; }

    /// <summary>Why the variable is pre-filled, when it is.</summary>
    public string? Prefill { get; private set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Name);

    public SetEnvRequest Request
    {
        get
        {
            var name = Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                return new SetEnvRequest(Container, [], []);
            }

            return Edit switch
            {
                EnvEdit.Remove => new SetEnvRequest(Container, [], [name]),
                EnvEdit.ConfigMap => new SetEnvRequest(Container, [new EnvAssignment(name, EnvSourceKind.ConfigMap, Value?.Trim() ?? "")], []),
                EnvEdit.Secret => new SetEnvRequest(Container, [new EnvAssignment(name, EnvSourceKind.Secret, Value?.Trim() ?? "")], []),
                _ => new SetEnvRequest(Container, [new EnvAssignment(name, EnvSourceKind.Literal, Value ?? "")], []),
            };
        }
    }

    public ActionRequest ToActionRequest() => Request.ToActionRequest();

    public static SetEnvForm From(AgentDetail? detail, IReadOnlyList<string>? previousLog = null)
    {
        var containers = detail?.Deployment?.Template.Containers ?? [];
        var form = new SetEnvForm(
            [.. containers.Select(c => c.Name)],
            [.. containers.SelectMany(c => c.Env.Select(e => new EnvVariableRow(c.Name, e.Name, e.DisplayValue)))])
        {
            Container = containers.Count > 0 ? containers[0].Name : null,
        };
        var guide = detail is { Summary.Health.RunbookSection: RunbookSection.CrashLoopBackOff } ? RunbookGuide.Build(detail, DateTimeOffset.UtcNow, previousLog) : null;
        if (guide?.Suggestions.FirstOrDefault(s => s.Action == ActionKind.SetEnv) is { } suggestion
            && SetEnvRequest.From(suggestion.Values, out _) is { Set: [{ Kind: EnvSourceKind.ConfigMap } assignment] } request)
        {
            // The guide's own suggestion, whole: the variable and the ConfigMap key it should come from.
            form.Container = request.Container ?? form.Container;
            form.Name = assignment.Name;
            form.Edit = EnvEdit.ConfigMap;
            form.Value = assignment.Value;
            form.Prefill = $"Pre-filled with the runbook guidance's suggestion: {suggestion.Why}";
        }
        else if (guide?.ConfigHints.FirstOrDefault(h => h.Detail.Contains("not set", StringComparison.Ordinal)) is { } missing)
        {
            form.Name = missing.What;
            form.Prefill = $"Pre-filled from the runbook guidance: {missing.What} is {missing.Detail}. Give it a value, or take it from a ConfigMap or Secret key.";
        }

        return form;
    }
}
