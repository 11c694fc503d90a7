using Kosmos.Dashboard.Configuration;
using Kosmos.Recovery.Quantities;

namespace Kosmos.Dashboard.Tests.Configuration;

public sealed class KosmosOptionsValidatorTests
{
    [Theory]
    [InlineData("64 Gi", "64", 60, "Kosmos:Actions:MaxMemoryLimit must be a Kubernetes quantity such as 64Gi (got '64 Gi': quantities must match the regular expression")]
    [InlineData("64Gi", "0", 60, "Kosmos:Actions:MaxCpuLimit must be more than zero (got '0').")]
    [InlineData("64Gi", "64", -1, "Kosmos:Actions:OomWatchSeconds must be between 0 and 3600 (got -1).")]
    public void Validate_BadSetResourcesSetting_NamesTheKey(string maxMemory, string maxCpu, int oomWatch, string error)
    {
        var options = new KosmosOptions { Actions = { MaxMemoryLimit = maxMemory, MaxCpuLimit = maxCpu, OomWatchSeconds = oomWatch } };

        var result = new KosmosOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures ?? [], f => f.StartsWith(error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 100, "Kosmos:Incidents:SettleSeconds must be between 1 and 86400 (got 0).")]
    [InlineData(86_401, 100, "Kosmos:Incidents:SettleSeconds must be between 1 and 86400 (got 86401).")]
    [InlineData(120, 0, "Kosmos:Incidents:LogLines must be between 1 and 10000 (got 0).")]
    [InlineData(120, 10_001, "Kosmos:Incidents:LogLines must be between 1 and 10000 (got 10001).")]
    [InlineData(120, 100, null)]
    public void Validate_IncidentSettings_NamesTheKey(int settle, int logLines, string? error)
    {
        var result = new KosmosOptionsValidator().Validate(null, new KosmosOptions { Incidents = { SettleSeconds = settle, LogLines = logLines } });

        if (error is null)
        {
            Assert.True(result.Succeeded, string.Join(" ", result.Failures ?? []));
        }
        else
        {
            Assert.Equal([error], result.Failures);
        }
    }

    [Theory]
    [InlineData(100, 900, "Kosmos:Actions:MaxStateBytes must be between 1024 and 1073741824 bytes (got 100).")]
    [InlineData(16777216, 5, "Kosmos:Terminal:IdleTimeoutSeconds must be between 10 and 86400 (got 5).")]
    public void Validate_BadStateOrTerminalSetting_NamesTheKey(long maxStateBytes, int idleSeconds, string error)
    {
        var options = new KosmosOptions { Actions = { MaxStateBytes = maxStateBytes }, Terminal = { IdleTimeoutSeconds = idleSeconds } };

        var result = new KosmosOptionsValidator().Validate(null, options);

        Assert.Equal([error], result.Failures ?? []);
    }

    [Fact]
    public void StateAndTerminalDefaults_16MiBAndTerminalUnset()
    {
        var options = new KosmosOptions();

        Assert.Equal((16L * 1024 * 1024, null, 900), (options.Actions.MaxStateBytes, options.Terminal.Enabled, options.Terminal.IdleTimeoutSeconds));
    }

    [Fact]
    public void ToSetResourcesSettings_Defaults_64GiAnd64CoresAndAMinute()
    {
        var settings = new KosmosOptions().Actions.ToSetResourcesSettings();

        Assert.Equal((Quantity.Parse("64Gi"), Quantity.Parse("64"), TimeSpan.FromMinutes(1)), (settings.Bounds.MaxMemory, settings.Bounds.MaxCpu, settings.OomWatch));
    }
}
