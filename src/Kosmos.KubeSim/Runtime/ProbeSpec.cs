using System.Text.Json.Nodes;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Runtime;

public enum ProbeRole
{
    Startup,
    Readiness,
    Liveness,
}

public enum ProbeAction
{
    HttpGet,
    TcpSocket,
    Exec,
    Grpc,
}

/// <summary>A container probe as the pod spec declares it, with the API server's defaults filled in.</summary>
public sealed record ProbeSpec(
    ProbeRole Role,
    ProbeAction Action,
    string Scheme,
    string? Host,
    int Port,
    string Path,
    IReadOnlyList<string> Command,
    int InitialDelaySeconds,
    int PeriodSeconds,
    int TimeoutSeconds,
    int SuccessThreshold,
    int FailureThreshold,
    long? TerminationGracePeriodSeconds)
{
    public string RoleName => Role.ToString();

    public static ProbeSpec? From(JsonObject container, ProbeRole role)
    {
        var field = role switch
        {
            ProbeRole.Startup => "startupProbe",
            ProbeRole.Readiness => "readinessProbe",
            _ => "livenessProbe",
        };
        if (container[field] is not JsonObject probe)
        {
            return null;
        }

        var action = probe["httpGet"] is not null ? ProbeAction.HttpGet
            : probe["tcpSocket"] is not null ? ProbeAction.TcpSocket
            : probe["grpc"] is not null ? ProbeAction.Grpc
            : ProbeAction.Exec;
        var handler = probe["httpGet"] ?? probe["tcpSocket"] ?? probe["grpc"] ?? probe["exec"];
        return new ProbeSpec(
            role,
            action,
            JsonValues.String(handler?["scheme"]) ?? "HTTP",
            JsonValues.String(handler?["host"]),
            PodSpec.ResolvePort(container, handler?["port"]),
            JsonValues.String(handler?["path"]) ?? "/",
            (handler?["command"] as JsonArray ?? []).Select(c => JsonValues.String(c) ?? "").ToList(),
            (int)(JsonValues.Long(probe["initialDelaySeconds"]) ?? 0),
            (int)Math.Max(1, JsonValues.Long(probe["periodSeconds"]) ?? 10),
            (int)Math.Max(1, JsonValues.Long(probe["timeoutSeconds"]) ?? 1),
            (int)Math.Max(1, JsonValues.Long(probe["successThreshold"]) ?? 1),
            (int)Math.Max(1, JsonValues.Long(probe["failureThreshold"]) ?? 3),
            JsonValues.Long(probe["terminationGracePeriodSeconds"]));
    }
}
