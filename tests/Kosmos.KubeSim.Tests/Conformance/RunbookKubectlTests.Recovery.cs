using System.Text.Json.Nodes;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Conformance;

/// <summary>Resolution: set resources + rollout status, rollout restart, delete pods, apply -f (client- and server-side).</summary>
public sealed partial class RunbookKubectlTests
{
    [Fact]
    public async Task SetResources_Summarizer_EndsTheOomKills_AndTheNewPodStaysRunning()
    {
        // Diagnosis first, as the runbook's OOM section reads it: killed by the OOM killer, exit code 137.
        var oomKilled = (await Eventually.Until(() => PodsAsync("summarizer"),
            l => l.Items is [{ LastTerminatedReason: "OOMKilled" }], Timeout, "summarizer OOMKilled")).Items[0];
        var describe = await Eventually.Until(async () => (await SucceedAsync("describe", "pod", oomKilled.Name)).Stdout,
            d => d.Contains("BackOff", StringComparison.Ordinal), Timeout, "describe showing the back-off");
        Assert.Matches(@"Last State:\s+Terminated\s+Reason:\s+OOMKilled\s+Exit Code:\s+137\b", describe);
        Assert.Matches(@"Limits:\s+cpu:\s+1\s+memory:\s+256Mi", describe);
        Assert.Matches(@"Warning\s+BackOff\s+.*Back-off restarting failed container agent", describe);

        var set = await SucceedAsync("set", "resources", "deployment", "summarizer", "--limits=memory=2Gi", "--requests=memory=1Gi");
        var rollout = await SucceedAsync("rollout", "status", "deployment", "summarizer", "--timeout=60s");

        Assert.Equal("deployment.apps/summarizer resource requirements updated\n", set.Stdout);
        Assert.EndsWith("deployment \"summarizer\" successfully rolled out\n", rollout.Stdout);
        Assert.Equal("2Gi 1Gi", await JsonPathAsync("deployment", "summarizer",
            "{.spec.template.spec.containers[0].resources.limits.memory} {.spec.template.spec.containers[0].resources.requests.memory}"));

        var fixedPod = await ReadyPodAsync("summarizer");
        Assert.NotEqual(oomKilled.Uid, fixedPod.Uid);
        await NotFoundAsync(RunAsync("get", "pod", oomKilled.Name), "the OOM-killed pod");

        // It must stay up past the point where it died before: the model (700Mi) loads in full, then four work lines
        // (30 simulated seconds apart) go by without a restart.
        await Eventually.Until(async () => (await SucceedAsync("logs", fixedPod.Name)).Stdout,
            log => log.Contains(" INFO summary s-0004-", StringComparison.Ordinal), Timeout, "four summaries from the fixed pod");
        var log = (await SucceedAsync("logs", fixedPod.Name)).Stdout;
        Assert.Contains(" INFO loaded summarization model (700Mi resident)", log);
        var after = await PodsAsync("summarizer");
        Assert.Equal(fixedPod.Uid, after.Items.Single().Uid);
        Assert.Equal((0, null, true), (after.Items[0].Restarts, after.Items[0].LastTerminatedReason, after.Items[0].Ready));
        Assert.DoesNotContain("OOMKilled", (await SucceedAsync("describe", "pod", fixedPod.Name)).Stdout);
        var table = await GetTableAsync("pods", "-l", "app=summarizer");
        Assert.Equal(("1/1", "Running", "0"), (table.Row(fixedPod.Name)["READY"], table.Row(fixedPod.Name)["STATUS"], table.Row(fixedPod.Name)["RESTARTS"]));
    }

    [Fact]
    public async Task RolloutRestart_Planner_ReplacesEveryPod()
    {
        var before = await ReadyPodAsync("planner");

        var restart = await SucceedAsync("rollout", "restart", "deployment", "planner");
        var status = await SucceedAsync("rollout", "status", "deployment", "planner", "--timeout=60s");

        Assert.Equal("deployment.apps/planner restarted\n", restart.Stdout);
        Assert.EndsWith("deployment \"planner\" successfully rolled out\n", status.Stdout);
        Assert.NotEmpty(await JsonPathAsync("deployment", "planner", @"{.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}"));
        var after = await ReadyPodAsync("planner");
        Assert.NotEqual(before.Uid, after.Uid);
        Assert.NotEqual(before.Name, after.Name);
        Assert.Equal(0, after.Restarts);
        await NotFoundAsync(RunAsync("get", "pod", before.Name), "the pre-restart planner pod");
    }

    [Fact]
    public async Task DeletePods_Coder_ReplacementComesUpAndStaysReady()
    {
        // The runbook's "Unresponsive Agent": Running but never Ready again, its workers stuck on a lock.
        var stuck = await Eventually.Until(() => GetTableAsync("pods", "-l", "app=coder"),
            t => t.Rows is [{ } row] && row["READY"] == "0/1" && row["STATUS"] == "Running", Timeout, "coder deadlocked (0/1 Running)");
        var stuckName = stuck.Rows[0]["NAME"];
        Assert.Contains("waiting for lock 'conversation-index'", (await SucceedAsync("logs", stuckName)).Stdout);

        // "Exec into pod": a shell still works in the unresponsive pod (commands piped, as without a terminal).
        var shell = await RunWithInputAsync("hostname\nenv | grep KOSMOS_AGENT_NAME\nexit 0\n", "exec", "-i", stuckName, "--", "/bin/sh");
        Assert.True(shell.ExitCode == 0, shell.Stderr);
        Assert.Equal($"{stuckName}\nKOSMOS_AGENT_NAME=coder\n", shell.Stdout);

        var delete = await SucceedAsync("delete", "pods", "-l", "app=coder");

        // kubectl waits until each pod is gone before it returns.
        Assert.Equal($"pod \"{stuckName}\" deleted\n", delete.Stdout);
        await NotFoundAsync(RunAsync("get", "pod", stuckName), "the deleted coder pod");
        var replacement = await ReadyPodAsync("coder");
        Assert.NotEqual(stuckName, replacement.Name);

        // The deadlock came 40 simulated seconds into serving; four work lines (20 s apart, ±30 %) take longer than that.
        await Eventually.Until(async () => (await SucceedAsync("logs", replacement.Name)).Stdout,
            log => log.Contains(" INFO task c-0004-", StringComparison.Ordinal), Timeout, "four tasks from the replacement coder");
        var table = await GetTableAsync("pods", "-l", "app=coder");
        Assert.Equal(("1/1", "Running"), (table.Row(replacement.Name)["READY"], table.Row(replacement.Name)["STATUS"]));
        Assert.DoesNotContain("waiting for lock", (await SucceedAsync("logs", replacement.Name)).Stdout);
    }

    [Fact]
    public async Task ApplyDirectory_ExistingAgent_ChangesNothing_AndASecondApplyIsUnchanged()
    {
        var generation = await JsonPathAsync("deployment", "planner", "{.metadata.generation}");

        var first = await SucceedAsync("apply", "-f", fixture.AgentManifests("planner"));
        var second = await SucceedAsync("apply", "-f", fixture.AgentManifests("planner"));

        string[] objects =
        [
            "configmap/planner-config", "deployment.apps/planner", "persistentvolumeclaim/planner-state", "secret/planner-credentials",
            "volumesnapshot.snapshot.storage.k8s.io/planner-state-nightly", "volumesnapshot.snapshot.storage.k8s.io/planner-state-pre-upgrade",
        ];
        Assert.Equal(objects, first.Stdout.TrimEnd('\n').Split('\n').Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.All(first.Stdout.TrimEnd('\n').Split('\n'), l => Assert.Matches(" (unchanged|configured)$", l));
        Assert.Equal(objects.Select(o => o + " unchanged"), second.Stdout.TrimEnd('\n').Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(generation, await JsonPathAsync("deployment", "planner", "{.metadata.generation}"));
    }

    [Fact]
    public async Task ApplyDirectory_AfterDeletingTheDeployment_RecreatesItAndItsPods()
    {
        var oldUid = await JsonPathAsync("deployment", "reviewer", "{.metadata.uid}");
        var delete = await SucceedAsync("delete", "deployment", "reviewer");
        Assert.Equal("deployment.apps \"reviewer\" deleted\n", delete.Stdout);
        await NotFoundAsync(RunAsync("get", "deployment", "reviewer"), "the deleted reviewer deployment");

        // Default (strict) validation against the simulator's OpenAPI: no --validate=false.
        var apply = await SucceedAsync("apply", "-f", fixture.AgentManifests("reviewer"));

        Assert.Contains("deployment.apps/reviewer created\n", apply.Stdout);
        Assert.Matches(@"configmap/reviewer-config (unchanged|configured)\n", apply.Stdout);
        Assert.Matches(@"secret/reviewer-credentials (unchanged|configured)\n", apply.Stdout);
        var newUid = await JsonPathAsync("deployment", "reviewer", "{.metadata.uid}");
        Assert.NotEqual(oldUid, newUid);

        // The new deployment gets a ReplicaSet of its own, whose pod runs the agent again (which then fails as before:
        // vector-store is still down).
        var replicaSet = await Eventually.Until(async () => JsonNode.Parse((await SucceedAsync("get", "replicasets", "-l", "app=reviewer", "-o", "json")).Stdout)!["items"]!.AsArray(),
            items => items.Count == 1 && (string?)items[0]!["metadata"]!["ownerReferences"]?[0]?["uid"] == newUid, Timeout, "one ReplicaSet owned by the new reviewer deployment");
        var replicaSetUid = (string)replicaSet[0]!["metadata"]!["uid"]!;
        await Eventually.Until(async () => JsonNode.Parse((await SucceedAsync("get", "pods", "-l", "app=reviewer", "-o", "json")).Stdout)!["items"]!.AsArray(),
            items => items.Count == 1 && (string?)items[0]!["metadata"]!["ownerReferences"]?[0]?["uid"] == replicaSetUid
                && (int?)items[0]!["status"]?["containerStatuses"]?[0]?["restartCount"] > 0,
            Timeout, "a pod of the new ReplicaSet that ran the agent");
        var pod = (await PodsAsync("reviewer")).Items.Single();
        Assert.Contains("ERROR dependency vector-store unavailable: connection refused", (await SucceedAsync("logs", pod.Name, "--previous")).Stdout);
    }

    [Fact]
    public async Task ApplyServerSide_Directory_ExistingAgentUnchanged_NewObjectCreated()
    {
        var pod = await ReadyPodAsync("archivist");
        var generation = await JsonPathAsync("deployment", "archivist", "{.metadata.generation}");

        var existing = await SucceedAsync("apply", "--server-side", "-f", fixture.AgentManifests("archivist"));

        Assert.Equal(
            [
                "configmap/archivist-config serverside-applied", "deployment.apps/archivist serverside-applied",
                "persistentvolumeclaim/archivist-state serverside-applied", "secret/archivist-credentials serverside-applied",
                "volumesnapshot.snapshot.storage.k8s.io/archivist-state-nightly serverside-applied",
                "volumesnapshot.snapshot.storage.k8s.io/archivist-state-weekly serverside-applied",
            ],
            existing.Stdout.TrimEnd('\n').Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(generation, await JsonPathAsync("deployment", "archivist", "{.metadata.generation}"));
        Assert.Equal(pod.Uid, (await ReadyPodAsync("archivist")).Uid);

        var manifest = fixture.WriteFile("ssa-configmap.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: conformance-ssa
              namespace: kosmos
              labels:
                app: conformance-ssa
            data:
              applied-by: server-side
            """);
        await RunAsync("delete", "configmap", "conformance-ssa", "--ignore-not-found");
        var created = await SucceedAsync("apply", "--server-side", "-f", manifest);

        Assert.Equal("configmap/conformance-ssa serverside-applied\n", created.Stdout);
        Assert.Equal("server-side", await JsonPathAsync("configmap", "conformance-ssa", "{.data.applied-by}"));
        await SucceedAsync("delete", "configmap", "conformance-ssa");
    }
}
