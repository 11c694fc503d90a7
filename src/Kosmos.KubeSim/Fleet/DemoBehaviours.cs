namespace Kosmos.KubeSim.Fleet;

/// <summary>
/// How the demo fleet's programs behave (deploy/agents holds only what a real cluster would run). Every failure here is
/// one the runbook recovers from by changing the cluster, not the behaviour: researcher needs a setting its config lost,
/// summarizer needs more memory than its limit, coder deadlocks once, reviewer needs vector-store, whose image tag does not
/// exist, and scheduler-bot asks for more CPU than the node has.
/// </summary>
public static class DemoBehaviours
{
    private const string ModelEndpoint = "KOSMOS_MODEL_ENDPOINT";

    public static IReadOnlyDictionary<string, AgentBehaviour> All { get; } = new Dictionary<string, AgentBehaviour>(StringComparer.Ordinal)
    {
        ["planner"] = new() { Role = "planner", StartupSeconds = 4, WorkIntervalSeconds = 25, RequiredEnv = [ModelEndpoint] },
        ["researcher"] = new() { Role = "researcher", StartupSeconds = 3, WorkIntervalSeconds = 30, RequiredEnv = [ModelEndpoint] },
        ["summarizer"] = new()
        {
            Role = "summarizer",
            StartupSeconds = 4,
            WorkIntervalSeconds = 30,
            RequiredEnv = [ModelEndpoint],
            Memory = new MemoryBehaviour { Baseline = "140Mi", Need = "700Mi", GrowthSeconds = 24 },
        },
        ["coder"] = new()
        {
            Role = "coder",
            StartupSeconds = 3,
            WorkIntervalSeconds = 20,
            RequiredEnv = [ModelEndpoint],
            Deadlock = new DeadlockBehaviour { AfterSeconds = 40, OncePerAgent = true },
        },
        ["reviewer"] = new()
        {
            Role = "reviewer",
            StartupSeconds = 3,
            WorkIntervalSeconds = 30,
            RequiredEnv = [ModelEndpoint],
            Dependencies = [new DependencyBehaviour { Agent = "vector-store", UrlEnv = "KOSMOS_VECTOR_STORE_URL" }],
        },
        ["vector-store"] = new()
        {
            Role = "vector-store",
            StartupSeconds = 5,
            WorkIntervalSeconds = 15,
            Memory = new MemoryBehaviour { Baseline = "120Mi", Need = "420Mi", GrowthSeconds = 8 },
            MissingImageTags = ["2.5.0-rc1"],
        },
        ["scheduler-bot"] = new() { Role = "scheduler", StartupSeconds = 2, WorkIntervalSeconds = 60 },
        ["archivist"] = new() { Role = "archivist", StartupSeconds = 3, WorkIntervalSeconds = 45, RequiredEnv = [ModelEndpoint] },
    };

    /// <summary>
    /// Image tags each agent ran before the one its manifest names, oldest first: the rollout history a real cluster would
    /// hold (the seeder writes one scaled-down ReplicaSet per tag, adopted by the Deployment). vector-store ran 2.4.2 before
    /// someone rolled out the 2.5.0-rc1 that does not exist, so "set the image to the last tag that ran" has a tag to offer.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> PastImageTags { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["vector-store"] = ["2.4.2"],
    };

    public static AgentBehaviours Create() => new(All);
}
