using System.Text;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Tests.FileSystem;

public sealed class ContainerFileSystemTests
{
    [Fact]
    public void NewContainer_HasImageLayout()
    {
        var fs = new ContainerFileSystem("pod-a");

        Assert.Equal("pod-a\n", fs.ReadAllText("/etc/hostname"));
        Assert.All(new[] { "/tmp", "/app", "/etc", "/root", "/var/lib" }, d => Assert.True(fs.DirectoryExists(d), d));
        Assert.Equal(0b1_111_111_111, fs.Stat("/tmp").Mode);
    }

    [Fact]
    public void Mounts_RouteIntoTheirVolume()
    {
        var state = new VolumeData();
        var fs = new ContainerFileSystem("pod-a", new Dictionary<string, VolumeData> { ["/var/lib/kosmos/"] = state });

        fs.CreateDirectory("/var/lib/kosmos/conversations");
        fs.WriteAllText("/var/lib/kosmos/conversations/c.json", "{}");

        Assert.Equal("{}", Encoding.UTF8.GetString(state.ReadFile("conversations/c.json")));
        Assert.True(fs.IsMountPoint("/var/lib/kosmos"));
        Assert.Contains(fs.List("/var/lib"), e => e.Name == "kosmos" && e.IsDirectory);
        Assert.True(fs.TryGetVolume("/var/lib/kosmos", out var found) && ReferenceEquals(found, state));
    }

    [Fact]
    public void Errors_NameTheContainerPath()
    {
        var fs = new ContainerFileSystem("pod-a", new Dictionary<string, VolumeData> { ["/data"] = new() });

        var error = Assert.Throws<FileSystemException>(() => fs.ReadFile("/data/missing.json"));

        Assert.Equal("/data/missing.json: No such file or directory", error.Message);
        Assert.Equal("/data/missing.json", error.Path);
    }

    [Fact]
    public void Restart_FreshRootSameVolume()
    {
        var state = new VolumeData();
        var mounts = new Dictionary<string, VolumeData> { ["/var/lib/kosmos"] = state };
        var first = new ContainerFileSystem("pod-a", mounts);
        first.WriteAllText("/tmp/scratch", "gone after restart");
        first.WriteAllText("/var/lib/kosmos/kept", "survives");

        var second = new ContainerFileSystem("pod-a", mounts);

        Assert.False(second.Exists("/tmp/scratch"));
        Assert.Equal("survives", second.ReadAllText("/var/lib/kosmos/kept"));
    }

    [Fact]
    public void Delete_MountPoint_EmptiesVolumeThenIsBusy()
    {
        var state = new VolumeData();
        state.WriteFile("a", "x"u8);
        var fs = new ContainerFileSystem("pod-a", new Dictionary<string, VolumeData> { ["/var/lib/kosmos"] = state });

        var error = Assert.Throws<FileSystemException>(() => fs.Delete("/var/lib", recursive: true));

        Assert.Equal((FileSystemError.Busy, "/var/lib/kosmos"), (error.Error, error.Path));
        Assert.Empty(state.EnumerateFiles());
        Assert.Equal(["kosmos"], fs.List("/var/lib").Select(e => e.Name));
    }

    [Fact]
    public void Paths_AreNormalised()
    {
        var fs = new ContainerFileSystem("pod-a");

        fs.WriteAllText("/tmp/../tmp/./x", "1");

        Assert.Equal("1", fs.ReadAllText("tmp//x"));
        Assert.Equal("/tmp/x", fs.Stat("/../../tmp/x/").Path);
    }

    [Fact]
    public void MountAtRoot_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new ContainerFileSystem("pod-a", new Dictionary<string, VolumeData> { ["/"] = new() }));
    }
}
