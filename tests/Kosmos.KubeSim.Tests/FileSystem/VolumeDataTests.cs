using System.Text;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Tests.FileSystem;

public sealed class VolumeDataTests
{
    [Fact]
    public void WriteFile_ThenRead_ReturnsCopyOfContent()
    {
        var volume = new VolumeData();
        volume.WriteFile("conversations/a.json", "{}"u8, createParents: true);

        var content = volume.ReadFile("/conversations/a.json");
        content[0] = (byte)'X';

        Assert.Equal("{}", Encoding.UTF8.GetString(volume.ReadFile("conversations/a.json")));
        Assert.Equal(2, volume.UsedBytes);
    }

    [Fact]
    public void WriteFile_WithoutParents_IsEnoent()
    {
        var volume = new VolumeData();

        var error = Assert.Throws<FileSystemException>(() => volume.WriteFile("missing/a.json", "{}"u8));

        Assert.Equal(FileSystemError.NotFound, error.Error);
        Assert.Equal("/missing/a.json: No such file or directory", error.Message);
    }

    [Fact]
    public void Errors_UseErrnoSemantics()
    {
        var volume = new VolumeData();
        volume.WriteFile("file", "x"u8);
        volume.CreateDirectory("dir/sub", createParents: true);

        Assert.Equal(FileSystemError.NotADirectory, Assert.Throws<FileSystemException>(() => volume.ReadFile("file/child")).Error);
        Assert.Equal(FileSystemError.IsADirectory, Assert.Throws<FileSystemException>(() => volume.ReadFile("dir")).Error);
        Assert.Equal(FileSystemError.IsADirectory, Assert.Throws<FileSystemException>(() => volume.WriteFile("dir", "x"u8)).Error);
        Assert.Equal(FileSystemError.AlreadyExists, Assert.Throws<FileSystemException>(() => volume.CreateDirectory("dir")).Error);
        Assert.Equal(FileSystemError.AlreadyExists, Assert.Throws<FileSystemException>(() => volume.CreateDirectory("file", createParents: true)).Error);
        Assert.Equal(FileSystemError.NotADirectory, Assert.Throws<FileSystemException>(() => volume.List("file")).Error);
        Assert.Equal(FileSystemError.DirectoryNotEmpty, Assert.Throws<FileSystemException>(() => volume.Delete("dir")).Error);
        Assert.Equal(FileSystemError.NotFound, Assert.Throws<FileSystemException>(() => volume.Delete("nope")).Error);
    }

    [Fact]
    public void List_IsSortedWithKindsAndSizes()
    {
        var volume = new VolumeData();
        volume.WriteFile("b.txt", "bb"u8);
        volume.CreateDirectory("a");

        var entries = volume.List("/");

        Assert.Equal(["a", "b.txt"], entries.Select(e => e.Name));
        Assert.True(entries[0].IsDirectory);
        Assert.Equal(("/b.txt", 2L), (entries[1].Path, entries[1].Size));
    }

    [Fact]
    public void Delete_Recursive_RemovesSubtree()
    {
        var volume = new VolumeData();
        volume.WriteFile("dir/sub/f", "x"u8, createParents: true);

        volume.Delete("dir", recursive: true);

        Assert.False(volume.Exists("dir"));
        Assert.Equal(0, volume.UsedBytes);
    }

    [Fact]
    public void Clone_IsIndependentInBothDirections()
    {
        var original = new VolumeData();
        original.WriteFile("conversations/a.json", "v1"u8, createParents: true);

        var snapshot = original.Clone();
        original.WriteFile("conversations/a.json", "v2"u8);
        original.WriteFile("conversations/b.json", "new"u8);
        snapshot.AppendFile("conversations/a.json", "-snap"u8);

        Assert.Equal("v1-snap", Encoding.UTF8.GetString(snapshot.ReadFile("conversations/a.json")));
        Assert.False(snapshot.Exists("conversations/b.json"));
        Assert.Equal("v2", Encoding.UTF8.GetString(original.ReadFile("conversations/a.json")));
    }

    [Fact]
    public void ReplaceFiles_SwapsFilesKeepsSubdirectoriesAndCountsPrevious()
    {
        var volume = new VolumeData();
        volume.WriteFile("conversations/old-1.json", "1"u8, createParents: true);
        volume.WriteFile("conversations/old-2.json", "2"u8);
        volume.WriteFile("conversations/archive/keep.json", "k"u8, createParents: true);

        var previous = volume.ReplaceFiles("conversations", new Dictionary<string, byte[]> { ["new.json"] = "n"u8.ToArray() });

        Assert.Equal(2, previous);
        Assert.Equal(["/conversations/archive/keep.json", "/conversations/new.json"], volume.EnumerateFiles());
    }

    [Fact]
    public void ReplaceFiles_RejectsPathsAsNames()
    {
        var volume = new VolumeData();

        Assert.Throws<ArgumentException>(() => volume.ReplaceFiles("c", new Dictionary<string, byte[]> { ["../x"] = [] }));
    }

    [Fact]
    public async Task ConcurrentWritersAndClones_SeeConsistentState()
    {
        var volume = new VolumeData();
        volume.CreateDirectory("conversations");
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                volume.WriteFile($"conversations/w{w}-{i}.json", Encoding.UTF8.GetBytes($"{w}:{i}"));
                if (i % 50 == 0)
                {
                    var clone = volume.Clone();
                    Assert.All(clone.EnumerateFiles(), p => Assert.NotEmpty(clone.ReadFile(p)));
                }
            }
        }));

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1600, volume.List("conversations").Count);
    }
}
