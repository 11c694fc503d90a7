using System.Text.Json.Nodes;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Conformance;

/// <summary>
/// Every command of the agent recovery runbook (/work/shared/seed/agent-recovery-runbook.md), run by the real kubectl
/// against one simulated cluster with the demo fleet, each test checking what an operator would see. The tests share the
/// cluster, so each one that changes an agent uses an agent of its own (summarizer: set resources; planner: rollout
/// restart and snapshot restore; coder: delete pods; reviewer: redeploy; archivist: conversation state, server-side apply)
/// and waits for the state it needs instead of assuming an order. Helpers are in this file; the tests in the other parts.
/// </summary>
[Collection(RunbookCollection.Name)]
public sealed partial class RunbookKubectlTests(RunbookFixture fixture)
{
    private const string Ns = "kosmos";

    /// <summary>Generous: the machine is shared and busy; every wait returns as soon as its condition holds.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Kubectl Kubectl => fixture.Kubectl;

    /// <summary><c>kubectl -n kosmos ARGS</c> (the namespace goes first so it stays in front of an exec's <c>--</c>).</summary>
    private Task<KubectlResult> RunAsync(params string[] args) => Kubectl.RunAsync(["-n", Ns, .. args]);

    private Task<KubectlResult> RunWithInputAsync(string stdin, params string[] args) => Kubectl.RunAsync(["-n", Ns, .. args], stdin, Timeout);

    private KubectlStream Start(params string[] args) => new(Kubectl.Start(["-n", Ns, .. args]));

    /// <summary>Runs kubectl and fails the test with kubectl's own words unless it exits 0.</summary>
    private async Task<KubectlResult> SucceedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result;
    }

    private async Task<string> JsonPathAsync(string kind, string name, string path) =>
        (await SucceedAsync("get", kind, name, "-o", $"jsonpath={path}")).Stdout;

    /// <summary>The pods of an agent as <c>kubectl get pods -l app=X -o json</c> shows them.</summary>
    private async Task<PodList> PodsAsync(string app)
    {
        var json = (await SucceedAsync("get", "pods", "-l", $"app={app}", "-o", "json")).Stdout;
        return new PodList([.. JsonNode.Parse(json)!["items"]!.AsArray().Select(p => PodView.From(p!.AsObject()))]);
    }

    /// <summary>Waits until the agent has exactly one pod, Running and Ready, with nothing else (terminating) around.</summary>
    private async Task<PodView> ReadyPodAsync(string app)
    {
        var pods = await Eventually.Until(() => PodsAsync(app),
            l => l.Items is [{ Phase: "Running", Ready: true, Terminating: false }], Timeout, $"one ready {app} pod");
        return pods.Items[0];
    }

    private async Task<KubectlTable> GetTableAsync(params string[] args) => KubectlTable.Parse((await SucceedAsync(["get", .. args])).Stdout);

    private static async Task NotFoundAsync(Task<KubectlResult> get, string what)
    {
        var result = await get;
        Assert.True(result.ExitCode != 0, $"{what} still exists: {result.Stdout}");
        Assert.Contains("(NotFound)", result.Stderr);
    }

    /// <summary>The conversation ids of an agent's state, as <c>export_state --output -</c> prints the document.</summary>
    private async Task<JsonObject> ExportStateAsync(string pod)
    {
        var export = await SucceedAsync("exec", "-i", pod, "--", "python", "-m", "kosmos.tools.export_state", "--output", "-");
        return JsonNode.Parse(export.Stdout)!.AsObject();
    }

    private static List<string> ConversationIds(JsonObject state) =>
        [.. state["conversations"]!.AsArray().Select(c => (string)c!["id"]!).Order(StringComparer.Ordinal)];

    private static JsonObject Conversation(string id, string text) => new()
    {
        ["id"] = id,
        ["createdAt"] = "2026-01-01T00:00:00Z",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    };

    /// <summary>A pod of the given label that only sleeps, optionally mounting a claim at the agents' state directory.</summary>
    private static string ShellPodManifest(string name, string app, string? claim = null)
    {
        var manifest = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
              namespace: {Ns}
              labels:
                app: {app}
            spec:
              terminationGracePeriodSeconds: 5
              containers:
                - name: shell
                  image: busybox:1.36
                  command: ["sh", "-c", "sleep 3600"]

            """;
        return claim is null ? manifest : manifest + $"""
                  volumeMounts:
                    - name: state
                      mountPath: /var/lib/kosmos
              volumes:
                - name: state
                  persistentVolumeClaim:
                    claimName: {claim}

            """;
    }

    internal sealed record PodList(IReadOnlyList<PodView> Items)
    {
        public override string ToString() => Items.Count == 0 ? "(no pods)" : string.Join("; ", Items);
    }

    internal sealed record PodView(
        string Name, string Uid, string Phase, bool Ready, bool Terminating, int Restarts,
        string? Waiting, string? LastTerminatedReason, int? LastExitCode)
    {
        public static PodView From(JsonObject pod)
        {
            var status = pod["status"] as JsonObject;
            var container = status?["containerStatuses"]?.AsArray().FirstOrDefault() as JsonObject;
            var ready = status?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;
            var last = container?["lastState"]?["terminated"];
            return new PodView(
                (string)pod["metadata"]!["name"]!,
                (string)pod["metadata"]!["uid"]!,
                (string?)status?["phase"] ?? "",
                ready,
                pod["metadata"]!["deletionTimestamp"] is not null,
                (int?)container?["restartCount"] ?? 0,
                (string?)container?["state"]?["waiting"]?["reason"],
                (string?)last?["reason"],
                (int?)last?["exitCode"]);
        }
    }

    /// <summary>
    /// kubectl's printed table, split by the header's column positions (cells may be empty, e.g. SOURCESNAPSHOTCONTENT,
    /// or hold spaces, e.g. RESTARTS "5 (1s ago)").
    /// </summary>
    internal sealed record KubectlTable(string Text, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
    {
        public static KubectlTable Parse(string text)
        {
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
            {
                return new KubectlTable(text, []);
            }

            var header = lines[0];
            var starts = new List<(string Name, int Start)>();
            for (var i = 0; i < header.Length; i++)
            {
                // Columns are at least three spaces apart; a header may hold one space ("ACCESS MODES").
                if (header[i] != ' ' && (i == 0 || (i >= 2 && header[i - 1] == ' ' && header[i - 2] == ' ')))
                {
                    var end = header.IndexOf("  ", i, StringComparison.Ordinal);
                    starts.Add((header[i..(end < 0 ? header.Length : end)].Trim(), i));
                }
            }

            var rows = lines.Skip(1).Select(line =>
            {
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var c = 0; c < starts.Count; c++)
                {
                    var start = Math.Min(starts[c].Start, line.Length);
                    var end = c + 1 < starts.Count ? Math.Min(starts[c + 1].Start, line.Length) : line.Length;
                    row[starts[c].Name] = line[start..end].Trim();
                }

                return (IReadOnlyDictionary<string, string>)row;
            }).ToList();
            return new KubectlTable(text, rows);
        }

        public IReadOnlyDictionary<string, string> Row(string name) =>
            Rows.FirstOrDefault(r => r["NAME"] == name) ?? throw new InvalidOperationException($"no row {name} in:\n{Text}");

        public override string ToString() => Text;
    }
}
