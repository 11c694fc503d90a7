namespace Kosmos.KubeSim.Runtime;

/// <summary>
/// What a probe finds, given what the process answers: the result and the kubelet's failure message (the text after
/// "Readiness probe failed: "). A loading process answers readiness with 503; a deadlocked one accepts connections but
/// never answers, so HTTP, gRPC and exec probes time out while TCP probes pass. Pure.
/// </summary>
public static class ProbeEvaluator
{
    public static (bool Ok, bool TimedOut, string? Message) Evaluate(ProbeSpec probe, ProcessHealth health, string podIp)
    {
        var host = probe.Host ?? podIp;
        var loading = health == ProcessHealth.Starting && probe.Role != ProbeRole.Liveness;
        switch (probe.Action)
        {
            case ProbeAction.HttpGet:
                var url = $"{probe.Scheme.ToLowerInvariant()}://{host}:{probe.Port}{probe.Path}";
                return health == ProcessHealth.Hung
                    ? (false, true, $"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
                    : loading ? (false, false, "HTTP probe failed with statuscode: 503") : (true, false, null);
            case ProbeAction.Grpc:
                return health == ProcessHealth.Hung
                    ? (false, true, $"timeout: failed to connect service \"{host}:{probe.Port}\" within {probe.TimeoutSeconds}s: context deadline exceeded")
                    : loading ? (false, false, "service unhealthy (responded with \"NOT_SERVING\")") : (true, false, null);
            case ProbeAction.Exec:
                return health == ProcessHealth.Hung
                    ? (false, true, $"command \"{string.Join(' ', probe.Command)}\" timed out")
                    : (true, false, null);
            default:
                return (true, false, null);
        }
    }
}
