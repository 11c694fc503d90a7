using System.Text;
using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Tests.Control;

/// <summary>What <c>/sim/stats</c> counts: benchmarks compare the API load of watching clients and polling ones with it.</summary>
public sealed class SimulatorStatsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private KubeSimulator _simulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _simulator = await KubeSimulator.StartAsync(new SimulatorOptions { SeedDemoFleet = false, RunControllers = false });
        _http = new HttpClient { BaseAddress = _simulator.Url, Timeout = Timeout };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Watch_EventWritten_CountsItsBytesAsServed()
    {
        _simulator.Store.Create(ResourceKinds.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "counted" } });
        var from = _simulator.Store.CurrentResourceVersion;
        using var cts = new CancellationTokenSource(Timeout);
        using var response = await _http.GetAsync($"/api/v1/namespaces/counted/configmaps?watch=true&resourceVersion={from}",
            HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token), Encoding.UTF8);
        _simulator.Stats.Reset();

        // Written straight to the store, so the only bytes served are the watch event's.
        _simulator.Store.Create(ResourceKinds.ConfigMaps, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "c", ["namespace"] = "counted" },
            ["data"] = new JsonObject { ["key"] = "value" },
        });
        var line = await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the watch ended");

        Assert.Contains("\"ADDED\"", line, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(line) + 1, _simulator.Stats.BytesServed);
    }
}
