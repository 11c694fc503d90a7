using Kosmos.KubeSim;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Conformance;

[CollectionDefinition(Name)]
public sealed class RunbookCollection : ICollectionFixture<RunbookFixture>
{
    public const string Name = "runbook kubectl";
}

/// <summary>
/// One simulated cluster with the demo fleet (deploy/agents), controllers and kubelet running, time 60× faster, shared by
/// every runbook test; plus a scratch folder on "the operator's laptop" for files kubectl reads or writes
/// (restore-pvc.yaml, state.json), and the repository root for <c>kubectl apply -f deploy/agents/&lt;agent&gt;/</c>.
/// </summary>
public sealed class RunbookFixture : SimulatorFixture, IAsyncLifetime
{
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("kosmos-runbook-").FullName;

    /// <summary>The folder holding KosmosDashboard.sln, found by walking up from the test binaries.</summary>
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public string AgentManifests(string agent) => Path.Combine(RepositoryRoot, "deploy", "agents", agent) + Path.DirectorySeparatorChar;

    /// <summary>Writes a file into <see cref="WorkDirectory"/> and returns its full path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(WorkDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public new Task InitializeAsync() => base.InitializeAsync();

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    protected override void Configure(SimulatorOptions options)
    {
        base.Configure(options);
        options.SeedDemoFleet = true;
        options.RunControllers = true;
        options.TimeScale = 60;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no KosmosDashboard.sln above {AppContext.BaseDirectory}");
    }
}
