using System.Text.Json.Nodes;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Conformance;

/// <summary>State recovery: volume snapshots, restore from backup, delete pvc, conversation state export/import.</summary>
public sealed partial class RunbookKubectlTests
{
    [Fact]
    public async Task GetVolumeSnapshots_ListsThePlannerBackupsReadyToUse()
    {
        var table = await Eventually.Until(() => GetTableAsync("volumesnapshots"),
            t => t.Rows.Count(r => r["NAME"].StartsWith("planner-state-", StringComparison.Ordinal) && r["READYTOUSE"] == "true") >= 2,
            Timeout, "the planner's snapshots ready to use");

        Assert.Matches(@"^NAME\s+READYTOUSE\s+SOURCEPVC\s+SOURCESNAPSHOTCONTENT\s+RESTORESIZE\s+SNAPSHOTCLASS\s+SNAPSHOTCONTENT\s+CREATIONTIME\s+AGE\n", table.Text);
        foreach (var name in new[] { "planner-state-nightly", "planner-state-pre-upgrade" })
        {
            var row = table.Row(name);
            Assert.Equal(("true", "planner-state", "2Gi", "csi-hostpath-snapclass"), (row["READYTOUSE"], row["SOURCEPVC"], row["RESTORESIZE"], row["SNAPSHOTCLASS"]));
            Assert.StartsWith("snapcontent-", row["SNAPSHOTCONTENT"]);
        }
    }

    [Fact]
    public async Task RestoreFromBackup_RestorePvcBinds_AndDeletePvcRemovesIt()
    {
        var restorePvc = fixture.WriteFile("restore-pvc.yaml", RestorePvcManifest("planner-state-restore", "planner-state-nightly"));
        await RunAsync("delete", "pvc", "planner-state-restore", "--ignore-not-found");

        var apply = await SucceedAsync("apply", "-f", restorePvc);

        Assert.Equal("persistentvolumeclaim/planner-state-restore created\n", apply.Stdout);
        var table = await Eventually.Until(() => GetTableAsync("pvc", "planner-state-restore"),
            t => t.Rows is [{ } row] && row["STATUS"] == "Bound", Timeout, "the restored claim bound");
        Assert.Equal(("2Gi", "RWO", "standard"), (table.Rows[0]["CAPACITY"], table.Rows[0]["ACCESS MODES"], table.Rows[0]["STORAGECLASS"]));
        Assert.StartsWith("pvc-", table.Rows[0]["VOLUME"]);

        var delete = await SucceedAsync("delete", "pvc", "planner-state-restore");

        Assert.Equal("persistentvolumeclaim \"planner-state-restore\" deleted\n", delete.Stdout);
        await NotFoundAsync(RunAsync("get", "pvc", "planner-state-restore"), "the deleted claim");
    }

    [Fact]
    public async Task ConversationStateRecovery_ExportCopyOutCopyInImport()
    {
        var pod = (await ReadyPodAsync("archivist")).Name;
        var laptop = Directory.CreateDirectory(Path.Combine(fixture.WorkDirectory, "recovery")).FullName;
        var exported = Path.Combine(laptop, "exported.json");

        var export = await SucceedAsync("exec", "-i", pod, "--", "python", "-m", "kosmos.tools.export_state", "--output", "/tmp/state.json");
        var copyOut = await SucceedAsync("cp", $"{pod}:/tmp/state.json", exported);

        var state = JsonNode.Parse(await File.ReadAllTextAsync(exported))!.AsObject();
        var conversations = state["conversations"]!.AsArray();
        Assert.Equal($"exported {conversations.Count} conversations to /tmp/state.json\n", export.Stdout);
        Assert.Equal("archivist", (string?)state["agent"]);
        Assert.NotEmpty(conversations);
        Assert.All(conversations, c => Assert.NotEmpty(c!["messages"]!.AsArray()));
        Assert.Equal(0, copyOut.ExitCode);

        // The operator adds a conversation (so the import is visible) and copies state.json back as the runbook does.
        conversations.Add(Conversation("conformance-recovered", "restored from the laptop"));
        var upload = Directory.CreateDirectory(Path.Combine(laptop, "upload")).FullName;
        await File.WriteAllTextAsync(Path.Combine(upload, "state.json"), state.ToJsonString());
        var expected = ConversationIds(state);

        await SucceedAsync("cp", Path.Combine(upload, "state.json"), $"{pod}:/tmp/");
        var import = await SucceedAsync("exec", "-i", pod, "--", "python", "-m", "kosmos.tools.import_state", "--input", "/tmp/state.json");

        Assert.StartsWith($"imported {expected.Count} conversations from /tmp/state.json (replaced ", import.Stdout);
        var now = await ExportStateAsync(pod);
        Assert.Equal(expected, ConversationIds(now));
        Assert.Equal("restored from the laptop", (string?)now["conversations"]!.AsArray().Single(c => (string?)c!["id"] == "conformance-recovered")!["messages"]![0]!["content"]);
        Assert.Contains($" INFO reloaded conversation state: {expected.Count} conversations", (await SucceedAsync("logs", pod)).Stdout);
    }

    [Theory]
    [InlineData("truncated", """{"agent": "archivist", "conversations": [ {"id": """, "is not valid JSON")]
    [InlineData("duplicate-ids", """{"agent": "archivist", "conversations": [ {"id": "dup", "messages": []}, {"id": "dup", "messages": []} ]}""", "duplicate conversation id 'dup'")]
    public async Task ImportState_MalformedDocument_FailsNonZero_AndChangesNothing(string name, string document, string error)
    {
        var pod = (await ReadyPodAsync("archivist")).Name;
        var before = (await ExportStateAsync(pod))["conversations"]!.ToJsonString();
        var local = Directory.CreateDirectory(Path.Combine(fixture.WorkDirectory, "malformed-" + name)).FullName;
        await File.WriteAllTextAsync(Path.Combine(local, "bad-state.json"), document);

        await SucceedAsync("cp", Path.Combine(local, "bad-state.json"), $"{pod}:/tmp/");
        var import = await RunAsync("exec", "-i", pod, "--", "python", "-m", "kosmos.tools.import_state", "--input", "/tmp/bad-state.json");

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("import_state: error: /tmp/bad-state.json", import.Stderr);
        Assert.Contains(error, import.Stderr);
        Assert.Contains("command terminated with exit code 1", import.Stderr);
        Assert.Equal("", import.Stdout);
        Assert.Equal(before, (await ExportStateAsync(pod))["conversations"]!.ToJsonString());
    }

    [Fact]
    public async Task SnapshotRestore_BringsBackTheConversationsFromBeforeTheSnapshot()
    {
        var planner = (await ReadyPodAsync("planner")).Name;
        var original = await ExportStateAsync(planner);
        Assert.NotEmpty(ConversationIds(original));
        await CleanUpRestoreAsync();

        // 1. A backup of the planner's volume now.
        var snapshot = fixture.WriteFile("snapshot.yaml", """
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshot
            metadata:
              name: planner-state-conformance
              namespace: kosmos
              labels:
                app: planner
            spec:
              volumeSnapshotClassName: csi-hostpath-snapclass
              source:
                persistentVolumeClaimName: planner-state
            """);
        Assert.Equal("volumesnapshot.snapshot.storage.k8s.io/planner-state-conformance created\n", (await SucceedAsync("apply", "-f", snapshot)).Stdout);
        await Eventually.Until(() => JsonPathAsync("volumesnapshot", "planner-state-conformance", "{.status.readyToUse}"),
            ready => ready == "true", Timeout, "the new snapshot ready to use");

        // 2. The state changes afterwards (an import replaces the conversations).
        var changed = original.DeepClone().AsObject();
        var conversations = changed["conversations"]!.AsArray();
        conversations.RemoveAt(0);
        conversations.Add(Conversation("written-after-the-snapshot", "this must not survive a restore"));
        var upload = Directory.CreateDirectory(Path.Combine(fixture.WorkDirectory, "snapshot-restore")).FullName;
        await File.WriteAllTextAsync(Path.Combine(upload, "state.json"), changed.ToJsonString());
        await SucceedAsync("cp", Path.Combine(upload, "state.json"), $"{planner}:/tmp/");
        await SucceedAsync("exec", "-i", planner, "--", "python", "-m", "kosmos.tools.import_state", "--input", "/tmp/state.json");
        Assert.Equal(ConversationIds(changed), ConversationIds(await ExportStateAsync(planner)));

        try
        {
            // 3. Restore the backup into a new claim and look at it through a pod that mounts it where agents keep state.
            var restore = fixture.WriteFile("restore-from-conformance.yaml",
                RestorePvcManifest("planner-state-before-import", "planner-state-conformance") + "---\n"
                + ShellPodManifest("restore-check", "conformance-restore", claim: "planner-state-before-import"));
            await SucceedAsync("apply", "-f", restore);
            await Eventually.Until(() => JsonPathAsync("pvc", "planner-state-before-import", "{.status.phase}"), phase => phase == "Bound", Timeout, "the restored claim bound");
            var checker = await ReadyPodAsync("conformance-restore");

            var restored = await ExportStateAsync(checker.Name);

            Assert.Equal(ConversationIds(original), ConversationIds(restored));
            Assert.Equal(original["conversations"]!.ToJsonString(), restored["conversations"]!.ToJsonString());
            Assert.DoesNotContain("written-after-the-snapshot", (await SucceedAsync("exec", checker.Name, "--", "ls", "/var/lib/kosmos/conversations")).Stdout);
        }
        finally
        {
            // Leave the planner as it was, and the cluster without the test's objects.
            await File.WriteAllTextAsync(Path.Combine(upload, "state.json"), original.ToJsonString());
            await SucceedAsync("cp", Path.Combine(upload, "state.json"), $"{planner}:/tmp/");
            await SucceedAsync("exec", "-i", planner, "--", "python", "-m", "kosmos.tools.import_state", "--input", "/tmp/state.json");
            await CleanUpRestoreAsync();
        }

        Assert.Equal(ConversationIds(original), ConversationIds(await ExportStateAsync(planner)));
    }

    private async Task CleanUpRestoreAsync()
    {
        await SucceedAsync("delete", "pod", "restore-check", "--ignore-not-found");
        await SucceedAsync("delete", "pvc", "planner-state-before-import", "--ignore-not-found");
        await SucceedAsync("delete", "volumesnapshot", "planner-state-conformance", "--ignore-not-found");
    }

    /// <summary>The runbook's restore-pvc.yaml: a claim whose data source is a VolumeSnapshot.</summary>
    private static string RestorePvcManifest(string name, string snapshot) => $"""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: {name}
          namespace: {Ns}
          labels:
            app: planner
            kosmos.dev/restored-from: {snapshot}
        spec:
          accessModes:
            - ReadWriteOnce
          storageClassName: standard
          resources:
            requests:
              storage: 2Gi
          dataSource:
            apiGroup: snapshot.storage.k8s.io
            kind: VolumeSnapshot
            name: {snapshot}

        """;
}
