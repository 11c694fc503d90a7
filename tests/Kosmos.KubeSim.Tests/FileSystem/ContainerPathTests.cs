using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Tests.FileSystem;

public sealed class ContainerPathTests
{
    [Theory]
    [InlineData("/", "x", "/x")]
    [InlineData("/tmp", "x/y", "/tmp/x/y")]
    [InlineData("/tmp", "/etc/hostname", "/etc/hostname")]
    [InlineData("/tmp/a", "../b", "/tmp/b")]
    [InlineData("/", "../../..", "/")]
    [InlineData("/tmp", ".", "/tmp")]
    [InlineData("/tmp", "a//b/./", "/tmp/a/b")]
    public void Resolve_CombinesAndNormalises(string cwd, string path, string expected) =>
        Assert.Equal(expected, ContainerPath.Resolve(cwd, path));

    [Theory]
    [InlineData("/a/b", "/a", "b")]
    [InlineData("/a", "/", "a")]
    [InlineData("/", "/", "/")]
    public void ParentAndName(string path, string parent, string name)
    {
        Assert.Equal(parent, ContainerPath.GetParent(path));
        Assert.Equal(name, ContainerPath.GetFileName(path));
    }
}
