using Kosmos.Recovery.Runbook;

namespace Kosmos.Recovery.Tests.Runbook;

/// <summary>Which printed settings count as values, and which are masks that must never be proposed as a value.</summary>
public sealed class CrashedRunSettingsTests
{
    [Theory]
    [InlineData("<redacted>")]
    [InlineData("***")]
    [InlineData("****")]
    [InlineData("sk-***f00")]
    [InlineData("<hidden>")]
    [InlineData("<nil>")]
    [InlineData("[REDACTED]")]
    [InlineData("redacted")]
    [InlineData("REDACTED")]
    [InlineData("(hidden)")]
    [InlineData("masked")]
    [InlineData("")]
    public void Read_MaskedValue_LeftOutAsUnknown(string printed)
    {
        var settings = CrashedRunSettings.Read([$"2026-12-06T05:00:00Z INFO config: KOSMOS_AGENT_NAME=researcher KOSMOS_MODEL_URL={printed} KOSMOS_LOG_LEVEL=info"]);

        Assert.Equal(["KOSMOS_AGENT_NAME", "KOSMOS_LOG_LEVEL"], settings.Select(s => s.Key));
        Assert.True(CrashedRunSettings.IsMasked(printed));
    }

    [Theory]
    [InlineData("http://model-gateway.kosmos.svc:8000/v1")]
    [InlineData("info")]
    [InlineData("a*b")]
    [InlineData("hidden-layer-4")]
    [InlineData("[a,b]")]
    [InlineData("0")]
    public void Read_PlainValue_Kept(string printed)
    {
        var settings = CrashedRunSettings.Read([$"INFO config: KOSMOS_MODEL_URL={printed}"]);

        Assert.Equal([KeyValuePair.Create("KOSMOS_MODEL_URL", printed)], settings);
        Assert.False(CrashedRunSettings.IsMasked(printed));
    }
}
