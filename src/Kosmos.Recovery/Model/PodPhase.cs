namespace Kosmos.Recovery.Model;

/// <summary>The pod's <c>status.phase</c>. Unknown also stands for a phase this code does not recognise.</summary>
public enum PodPhase
{
    Unknown,
    Pending,
    Running,
    Succeeded,
    Failed,
}
