using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class RealPodFilesTests
{
    [Fact]
    public void Names_RepositoryCopy_EveryFixtureThere()
    {
        Assert.Equal(
            ["01-nginx-running-healthy", "02-crashloop-exit1", "04-failed-restartnever-error", "05-imagepullbackoff",
                "06-readiness-failing-liveness-ok", "08-completed", "09-pending-unschedulable-cpu"],
            RealPodFiles.Names);
    }

    /// <summary>The repository's copy is the shared ground truth, unchanged (checked where shared/ is beside the clone, as in CI).</summary>
    [Fact]
    public void RepositoryCopy_SharedFolderBeside_SameBytes()
    {
        var shared = SharedRealPods();
        if (shared is null)
        {
            return; // a clone on its own: nothing to compare with
        }

        var sharedJson = Directory.GetFiles(shared, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(sharedJson, RealPodFiles.Names);
        Assert.All(RealPodFiles.Names, name => Assert.Equal(File.ReadAllText(Path.Combine(shared, name + ".json")), RealPodFiles.Json(name)));
    }

    private static string? SharedRealPods()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KosmosDashboard.sln")))
            {
                var shared = Path.Combine(dir.FullName, "..", "shared", "real-pods");
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
