using System.Formats.Tar;
using System.Text;
using Kosmos.KubeSim.Exec;
using static Kosmos.KubeSim.Tests.Exec.ExecTestSupport;

namespace Kosmos.KubeSim.Tests.Exec.Commands;

/// <summary>The simulator's tar against an independent implementation (System.Formats.Tar) in both directions.</summary>
public sealed class TarCommandTests
{
    [Fact]
    public async Task Create_ToStdout_IsUstarArchiveOfTheTreeWithoutLeadingSlash()
    {
        var context = CreateContext();
        context.FileSystem.CreateDirectory("/tmp/dir/sub", createParents: true);
        context.FileSystem.WriteAllText("/tmp/dir/a.txt", "alpha\n");
        context.FileSystem.WriteAllText("/tmp/dir/sub/b.json", """{"b":1}""");

        var result = await RunAsync(context, "tar", "cf", "-", "/tmp/dir");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("tar: Removing leading `/' from member names\n", result.Stderr);
        var entries = await ReadArchiveAsync(result.StdoutBytes);
        Assert.Equal(["tmp/dir/", "tmp/dir/a.txt", "tmp/dir/sub/", "tmp/dir/sub/b.json"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(TarEntryFormat.Ustar, e.Format));
        Assert.Equal([TarEntryType.Directory, TarEntryType.RegularFile, TarEntryType.Directory, TarEntryType.RegularFile], entries.Select(e => e.Type));
        Assert.Equal("alpha\n", entries[1].Content);
        Assert.Equal("""{"b":1}""", entries[3].Content);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, entries[1].Mode);
        Assert.Equal(Now, entries[1].ModifiedAt);
    }

    [Fact]
    public async Task Create_SingleFile_AsKubectlCpFromPodAsksForIt()
    {
        var context = CreateContext();
        context.FileSystem.WriteAllText("/tmp/state.json", "{}");

        var result = await RunAsync(context, "tar", "cf", "-", "/tmp/state.json");

        var entry = Assert.Single(await ReadArchiveAsync(result.StdoutBytes));
        Assert.Equal(("tmp/state.json", "{}"), (entry.Name, entry.Content));
    }

    [Fact]
    public async Task Create_LongName_FallsBackToPax()
    {
        var context = CreateContext();
        var directory = "/tmp/" + string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 5));
        context.FileSystem.CreateDirectory(directory, createParents: true);
        context.FileSystem.WriteAllText(directory + "/file.txt", "deep");

        var result = await RunAsync(context, "tar", "cf", "-", directory + "/file.txt");

        var entry = Assert.Single(await ReadArchiveAsync(result.StdoutBytes));
        Assert.Equal((directory[1..] + "/file.txt", "deep"), (entry.Name, entry.Content));
    }

    [Fact]
    public async Task Create_MissingMember_ReportsAndExits2()
    {
        var context = CreateContext();

        var result = await RunAsync(context, "tar", "cf", "-", "/etc/hostname", "/nope");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tar: /nope: Cannot stat: No such file or directory\n", result.Stderr);
        Assert.EndsWith("tar: Exiting with failure status due to previous errors\n", result.Stderr);
        Assert.Equal(["etc/hostname"], (await ReadArchiveAsync(result.StdoutBytes)).Select(e => e.Name));
    }

    [Theory]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.V7)]
    public async Task Extract_FromStdin_AsKubectlCpToPodRunsIt(TarEntryFormat format)
    {
        var context = CreateContext();
        var archive = await WriteArchiveAsync(format, [
            ("state.json", """{"conversations":[]}"""),
            ("bundle/", null),
            ("bundle/nested/notes.txt", "line\n"),
        ]);

        var result = await RunAsync(context, ["tar", "-xmf", "-", "-C", "/tmp"], archive);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal("""{"conversations":[]}""", context.FileSystem.ReadAllText("/tmp/state.json"));
        Assert.Equal("line\n", context.FileSystem.ReadAllText("/tmp/bundle/nested/notes.txt"));
    }

    [Fact]
    public async Task Extract_WithoutM_KeepsArchiveTimesAndModes()
    {
        var context = CreateContext();
        var archive = await WriteArchiveAsync(TarEntryFormat.Ustar, [("run.sh", "echo hi\n")], mode: UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await RunAsync(context, ["tar", "xf", "-", "-C", "/app"], archive);

        Assert.Equal(0, result.ExitCode);
        var entry = context.FileSystem.Stat("/app/run.sh");
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), entry.ModifiedAt);
        Assert.Equal(0b111_000_000, entry.Mode);
    }

    [Fact]
    public async Task RoundTrip_CreateThenExtract_CopiesTreeIntoAnotherDirectory()
    {
        var source = CreateContext();
        source.FileSystem.CreateDirectory("/app/config", createParents: true);
        source.FileSystem.WriteAllText("/app/config/agent.yaml", "name: alpha\n");
        var target = CreateContext(pod: "other-pod");
        target.FileSystem.CreateDirectory("/tmp/restore");

        var created = await RunAsync(source, "tar", "-C", "/app", "-cf", "-", "config");
        var extracted = await RunAsync(target, ["tar", "-x", "-f", "-", "--directory=/tmp/restore"], created.StdoutBytes);

        Assert.Equal((0, 0), (created.ExitCode, extracted.ExitCode));
        Assert.Equal("name: alpha\n", target.FileSystem.ReadAllText("/tmp/restore/config/agent.yaml"));
    }

    [Fact]
    public async Task Extract_DotDotMember_IsRefused()
    {
        var context = CreateContext();
        var archive = await WriteArchiveAsync(TarEntryFormat.Pax, [("../escape.txt", "x"), ("ok.txt", "y")]);

        var result = await RunAsync(context, ["tar", "xf", "-", "-C", "/tmp"], archive);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tar: ../escape.txt: Member name contains '..'", result.Stderr);
        Assert.False(context.FileSystem.Exists("/escape.txt"));
        Assert.Equal("y", context.FileSystem.ReadAllText("/tmp/ok.txt"));
    }

    [Fact]
    public async Task Extract_IntoMissingDirectory_IsNotRecoverable()
    {
        var archive = await WriteArchiveAsync(TarEntryFormat.Ustar, [("f", "x")]);

        var result = await RunAsync(CreateContext(), ["tar", "-xmf", "-", "-C", "/nope"], archive);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("tar: /nope: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n", result.Stderr);
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not a tar archive, just some text that is long enough to look at")]
    public async Task Extract_NotAnArchive_Exits2(string input)
    {
        var result = await RunAsync(CreateContext(), ["tar", "xf", "-"], Encoding.UTF8.GetBytes(input));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("tar: This does not look like a tar archive\n", result.Stderr);
    }

    [Fact]
    public async Task List_ShowsMemberNames()
    {
        var archive = await WriteArchiveAsync(TarEntryFormat.Ustar, [("a/", null), ("a/b", "x")]);

        var result = await RunAsync(CreateContext(), ["tar", "tf", "-"], archive);

        Assert.Equal("a/\na/b\n", result.Stdout);
    }

    [Fact]
    public async Task Gzip_RoundTrips()
    {
        var context = CreateContext();
        context.FileSystem.WriteAllText("/tmp/big.txt", string.Concat(Enumerable.Repeat("compress me ", 1000)));

        var created = await RunAsync(context, "tar", "czf", "/tmp/backup.tgz", "-C", "/tmp", "big.txt");
        context.FileSystem.CreateDirectory("/tmp/out");
        var extracted = await RunAsync(context, "tar", "xzf", "/tmp/backup.tgz", "-C", "/tmp/out");

        Assert.Equal((0, 0), (created.ExitCode, extracted.ExitCode));
        Assert.True(context.FileSystem.Stat("/tmp/backup.tgz").Size < 1000);
        Assert.Equal(context.FileSystem.ReadAllText("/tmp/big.txt"), context.FileSystem.ReadAllText("/tmp/out/big.txt"));
    }

    [Fact]
    public async Task NoMode_IsUsageError()
    {
        var result = await RunAsync(CreateContext(), "tar", "-f", "-");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("tar: You must specify one of the '-Acdtrux'", result.Stderr);
    }

    private static async Task<List<(string Name, TarEntryType Type, TarEntryFormat Format, string? Content, UnixFileMode Mode, DateTimeOffset ModifiedAt)>> ReadArchiveAsync(byte[] archive)
    {
        var entries = new List<(string, TarEntryType, TarEntryFormat, string?, UnixFileMode, DateTimeOffset)>();
        await using var reader = new TarReader(new MemoryStream(archive));
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            string? content = null;
            if (entry.DataStream is { } data)
            {
                content = await new StreamReader(data).ReadToEndAsync();
            }

            entries.Add((entry.Name, entry.EntryType, entry.Format, content, entry.Mode, entry.ModificationTime));
        }

        return entries;
    }

    private static async Task<byte[]> WriteArchiveAsync(TarEntryFormat format, (string Name, string? Content)[] members, UnixFileMode? mode = null)
    {
        var archive = new MemoryStream();
        await using (var writer = new TarWriter(archive, format, leaveOpen: true))
        {
            foreach (var (name, content) in members)
            {
                var directory = content is null;
                var type = (directory, format) switch
                {
                    (true, _) => TarEntryType.Directory,
                    (false, TarEntryFormat.V7) => TarEntryType.V7RegularFile,
                    _ => TarEntryType.RegularFile,
                };
                TarEntry entry = format switch
                {
                    TarEntryFormat.V7 => new V7TarEntry(type, name),
                    TarEntryFormat.Ustar => new UstarTarEntry(type, name),
                    TarEntryFormat.Pax => new PaxTarEntry(type, name),
                    _ => new GnuTarEntry(type, name),
                };
                entry.ModificationTime = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
                if (mode is { } m)
                {
                    entry.Mode = m;
                }

                if (content is not null)
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                }

                await writer.WriteEntryAsync(entry);
            }
        }

        return archive.ToArray();
    }
}
