using Kosmos.Recovery.Runbook;
using System.Text;
using Kosmos.Dashboard.ViewModels;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class LogTextTests
{
    public static TheoryData<string, string?, string[]> Splits => new()
    {
        { "plain line", null, ["plain line"] },
        { "plain line", "", ["plain line"] },
        { "no match here", "zzz", ["no match here"] },
        { "ERROR: disk error", "error", ["[ERROR]", ": disk ", "[error]"] },
        { "aaaa", "aa", ["[aa]", "[aa]"] },
        { "x-error-y", "error", ["x-", "[error]", "-y"] },
        { "error", "ERROR", ["[error]"] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Split_LineAndQuery_MatchesMarked(string line, string? query, string[] expected)
    {
        var segments = LogSearch.Split(line, query);

        Assert.Equal(expected, segments.Select(s => s.IsMatch ? $"[{s.Text}]" : s.Text));
        Assert.Equal(line, string.Concat(segments.Select(s => s.Text)));
    }

    [Fact]
    public void CountMatchingLines_Query_CountsLinesNotOccurrences() =>
        Assert.Equal(2, LogSearch.CountMatchingLines(["error error", "fine", "Error"], "error"));

    public static TheoryData<string[], int, string[]> ErrorPicks => new()
    {
        { ["start", "ERROR bad thing", "more", "panic: nil map"], 12, ["ERROR bad thing", "panic: nil map"] },
        { ["start", "KeyError: 'X'", "java.lang.NullPointerException"], 12, ["KeyError: 'X'", "java.lang.NullPointerException"] },
        { ["a", "b", "c"], 2, ["b", "c"] },
        { ["error 1", "error 2", "error 3"], 2, ["error 2", "error 3"] },
        { [], 12, [] },
    };

    [Theory]
    [MemberData(nameof(ErrorPicks))]
    public void Pick_LogOfCrashedRun_ErrorsElseTheEnd(string[] lines, int max, string[] expected) =>
        Assert.Equal(expected, LogErrorLines.Pick(lines, max));

    [Fact]
    public void Append_PastCapacity_OldestDroppedAndCounted()
    {
        var buffer = new LogBuffer(3);
        buffer.Replace(["1", "2"]);

        buffer.Append(["3", "4", "5"]);

        Assert.Equal(["3", "4", "5"], buffer.Lines);
        Assert.Equal(2, buffer.Dropped);
    }

    [Fact]
    public void Replace_AfterDrops_StartsCountingAgain()
    {
        var buffer = new LogBuffer(1);
        buffer.Append(["1", "2"]);
        var version = buffer.Version;

        buffer.Replace(["x"]);

        Assert.Equal(0, buffer.Dropped);
        Assert.NotEqual(version, buffer.Version);
    }

    [Fact]
    public void DataUri_Lines_Base64OfUtf8TextWithNewlines()
    {
        var uri = LogDownload.DataUri(["héllo", "wörld"]);

        Assert.StartsWith("data:text/plain;charset=utf-8;base64,", uri, StringComparison.Ordinal);
        Assert.Equal("héllo\nwörld\n", Encoding.UTF8.GetString(Convert.FromBase64String(uri[LogDownload.DataUriPrefix.Length..])));
    }

    [Theory]
    [InlineData("pod-1", "agent", true, "pod-1_agent_previous_20251213-100000.log")]
    [InlineData("pod-1", "agent", false, "pod-1_agent_current_20251213-100000.log")]
    [InlineData("pod/1", "a b", false, "pod_1_a_b_current_20251213-100000.log")]
    public void FileName_PodContainerRun_SafeName(string pod, string container, bool previous, string expected) =>
        Assert.Equal(expected, LogDownload.FileName(pod, container, previous, Fakes.TestData.Now));
}
