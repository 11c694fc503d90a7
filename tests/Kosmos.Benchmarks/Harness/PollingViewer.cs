using k8s;

namespace Kosmos.Benchmarks.Harness;

/// <summary>
/// The baseline: a viewer of a dashboard that re-lists every refresh period, the way the retired Kubernetes Dashboard
/// refreshed its views — every <c>interval</c>, a full list of the namespace's pods and of the deployments a board needs,
/// through KubernetesClient. It "sees" a change when a list that contains it comes back (<see cref="Arrivals"/>).
/// </summary>
public sealed class PollingViewer(IKubernetes client, string ns, TimeSpan interval)
{
    private long _polls;
    private long _failures;

    public ArrivalLog Arrivals { get; } = new();

    public long Polls => Interlocked.Read(ref _polls);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Polls until cancelled, starting after <paramref name="offset"/> (viewers do not refresh in lock-step).</summary>
    public async Task RunAsync(TimeSpan offset, CancellationToken ct)
    {
        try
        {
            await Task.Delay(offset, ct);
            using var timer = new PeriodicTimer(interval);
            do
            {
                await PollOnceAsync(ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The phase is over.
        }
    }

    private async Task PollOnceAsync(CancellationToken ct)
    {
        try
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct);
            await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct);
            var at = Clock.NowMs();
            Interlocked.Increment(ref _polls);
            foreach (var agent in pods.Items.GroupBy(p => (p.Metadata.Labels is { } labels && labels.TryGetValue("app", out var app) ? app : "")))
            {
                Arrivals.Observe(BulkFleet.Key(ns, agent.Key), agent.Sum(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0), at);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or k8s.Autorest.HttpOperationException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // An overloaded server: the viewer would show an error and try again at the next refresh.
            Interlocked.Increment(ref _failures);
        }
    }
}
