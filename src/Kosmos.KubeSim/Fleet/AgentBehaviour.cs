using System.Text.Json;
using System.Text.Json.Serialization;
using Kosmos.KubeSim.Machinery;

namespace Kosmos.KubeSim.Fleet;

/// <summary>
/// How a simulated agent program behaves, keyed by agent name (the pods' <c>app</c> label). The program reacts to its pod
/// spec like a real one: it reads env, grows its working set towards <see cref="MemoryBehaviour.Need"/> (OOM-killed above
/// the container's memory limit), checks required settings and dependencies, and may deadlock. Kept out of the manifests
/// on purpose: the manifests stay what a real cluster would run. Immutable; JSON (camelCase) for /sim/agents/{agent}/behaviour.
/// </summary>
public sealed record AgentBehaviour
{
    /// <summary>Shown in the start banner; the image tag when null.</summary>
    public string? Version { get; init; }

    /// <summary>What the work log lines talk about: planner, researcher, summarizer, coder, reviewer, vector-store, scheduler, archivist, or anything else (generic).</summary>
    public string? Role { get; init; }

    /// <summary>Simulated seconds from start until the agent serves (readiness answers 503 before).</summary>
    public double StartupSeconds { get; init; } = 3;

    /// <summary>Simulated seconds between two work log lines while serving.</summary>
    public double WorkIntervalSeconds { get; init; } = 20;

    public MemoryBehaviour? Memory { get; init; }

    /// <summary>Settings (env names) the program refuses to start without: <c>FATAL config: required setting X is not set</c>, exit 1.</summary>
    public IReadOnlyList<string> RequiredEnv { get; init; } = [];

    /// <summary>Agents that must have a ready pod before this one starts; otherwise it exits 1 with <c>connection refused</c>.</summary>
    public IReadOnlyList<DependencyBehaviour> Dependencies { get; init; } = [];

    public DeadlockBehaviour? Deadlock { get; init; }

    /// <summary>Image tags of this agent that do not exist in the registry: pulling them fails (ErrImagePull, ImagePullBackOff).</summary>
    public IReadOnlyList<string> MissingImageTags { get; init; } = [];

    public static AgentBehaviour Healthy { get; } = new();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses and validates a behaviour document. Throws <see cref="FormatException"/> naming the bad field.</summary>
    public static AgentBehaviour FromJson(string json)
    {
        AgentBehaviour? behaviour;
        try
        {
            behaviour = JsonSerializer.Deserialize<AgentBehaviour>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"invalid behaviour: {ex.Message}", ex);
        }

        return (behaviour ?? throw new FormatException("invalid behaviour: the body must be a JSON object")).Validated();
    }

    public AgentBehaviour Validated()
    {
        var errors = new List<string>();
        if (StartupSeconds < 0)
        {
            errors.Add("startupSeconds must not be negative");
        }

        if (WorkIntervalSeconds <= 0)
        {
            errors.Add("workIntervalSeconds must be positive");
        }

        if (Memory is { } m)
        {
            if (Quantity.Decode(m.Need) is not { Sign: > 0 })
            {
                errors.Add($"memory.need: '{m.Need}' is not a memory quantity (e.g. 700Mi)");
            }

            if (Quantity.Decode(m.Baseline) is not { Sign: > 0 })
            {
                errors.Add($"memory.baseline: '{m.Baseline}' is not a memory quantity (e.g. 120Mi)");
            }

            if (m.GrowthSeconds <= 0)
            {
                errors.Add("memory.growthSeconds must be positive");
            }
        }

        if (RequiredEnv.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("requiredEnv: names must not be empty");
        }

        if (Dependencies.Any(d => string.IsNullOrWhiteSpace(d.Agent)))
        {
            errors.Add("dependencies[].agent is required");
        }

        if (Deadlock is { AfterSeconds: < 0 })
        {
            errors.Add("deadlock.afterSeconds must not be negative");
        }

        return errors.Count == 0 ? this : throw new FormatException("invalid behaviour: " + string.Join("; ", errors));
    }

    public long? NeedBytes => Memory is { } m ? Quantity.Decode(m.Need)?.Value() : null;

    public long BaselineBytes => Memory is { } m && Quantity.Decode(m.Baseline) is { } b ? b.Value() : 96L * 1024 * 1024;
}

/// <summary>Working set: starts at <see cref="Baseline"/> and grows to <see cref="Need"/> over <see cref="GrowthSeconds"/> while loading.</summary>
public sealed record MemoryBehaviour
{
    public string Need { get; init; } = "256Mi";

    public string Baseline { get; init; } = "96Mi";

    public double GrowthSeconds { get; init; } = 20;
}

/// <summary>
/// Another agent this one calls at start. <see cref="UrlEnv"/> names the setting holding its URL (the program derives the agent
/// from the URL's host, as DNS would); without it the URL is <c>http://&lt;agent&gt;.&lt;namespace&gt;.svc:8080</c>.
/// </summary>
public sealed record DependencyBehaviour
{
    public string Agent { get; init; } = "";

    public string? UrlEnv { get; init; }
}

/// <summary>
/// After <see cref="AfterSeconds"/> of serving, the worker pool deadlocks: the process stays up but stops answering HTTP
/// (probes time out). With <see cref="OncePerAgent"/> only the first pod instance of the agent that gets there deadlocks,
/// so a restart really recovers; setting the behaviour again re-arms it.
/// </summary>
public sealed record DeadlockBehaviour
{
    public double AfterSeconds { get; init; } = 45;

    public bool OncePerAgent { get; init; } = true;
}
