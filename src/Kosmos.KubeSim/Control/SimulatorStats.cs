using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Control;

/// <summary>Counters of what clients asked of the API (not /sim/): how benchmarks and tests prove load does not grow with viewers.</summary>
public sealed class SimulatorStats
{
    private readonly ConcurrentDictionary<string, long> _byVerb = new();
    private readonly ConcurrentDictionary<string, long> _byResourceVerb = new();
    private long _requests;
    private long _bytesServed;

    public long Requests => Interlocked.Read(ref _requests);

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public void CountRequest(string verb, string resource)
    {
        Interlocked.Increment(ref _requests);
        _byVerb.AddOrUpdate(verb, 1, (_, n) => n + 1);
        _byResourceVerb.AddOrUpdate($"{resource}:{verb}", 1, (_, n) => n + 1);
    }

    public void CountBytes(long bytes) => Interlocked.Add(ref _bytesServed, bytes);

    public long Count(string verb) => _byVerb.GetValueOrDefault(verb);

    public long Count(string verb, string resource) => _byResourceVerb.GetValueOrDefault($"{resource}:{verb}");

    public void Reset()
    {
        _byVerb.Clear();
        _byResourceVerb.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bytesServed, 0);
    }

    public JsonObject ToJson(int openWatches)
    {
        var verbs = new JsonObject();
        foreach (var (k, v) in _byVerb.OrderBy(p => p.Key))
        {
            verbs[k] = v;
        }

        var byResource = new JsonObject();
        foreach (var (k, v) in _byResourceVerb.OrderBy(p => p.Key))
        {
            byResource[k] = v;
        }

        return new JsonObject
        {
            ["requests"] = Requests,
            ["bytesServed"] = BytesServed,
            ["openWatches"] = openWatches,
            ["byVerb"] = verbs,
            ["byResourceVerb"] = byResource,
        };
    }
}
