using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec;

/// <summary>
/// Everything a command needs to know about the container it runs in. Immutable; build one per exec (cheap),
/// or keep one per container instance: commands never change it (a shell's <c>cd</c>/<c>export</c> live in the
/// exec's own session).
/// </summary>
public sealed class ExecContext
{
    /// <summary>Where KOSMOS agents keep their persistent state; conversations are <c>conversations/&lt;id&gt;.json</c> below it.</summary>
    public const string AgentStateMountPath = "/var/lib/kosmos";

    /// <summary>The container instance's files (shared by all execs into that instance).</summary>
    public required ContainerFileSystem FileSystem { get; init; }

    public required string PodName { get; init; }

    public required string ContainerName { get; init; }

    public string Namespace { get; init; } = "default";

    /// <summary>The container's environment (from the pod spec). PATH, HOME and HOSTNAME are added when missing.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The working directory a command starts in.</summary>
    public string WorkingDirectory { get; init; } = "/";

    /// <summary>PID 1's command line, as <c>ps</c> shows it.</summary>
    public string MainProcessCommandLine { get; init; } = "python -m kosmos.agent";

    /// <summary>Agent-specific hooks; null for containers that are not KOSMOS agents.</summary>
    public IAgentStateHook? Agent { get; init; }

    /// <summary>Clock for <c>sleep</c>, <c>date</c>, timestamps in exported state and file times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
