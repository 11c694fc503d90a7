using System.Globalization;

namespace Kosmos.Recovery.Model;

public enum ProbeKind
{
    Http,
    Tcp,
    Exec,
    Grpc,
}

/// <summary>
/// A liveness, readiness or startup probe. <see cref="Target"/> is what is checked:
/// <c>http://:8080/healthz</c>, <c>:5432</c>, <c>[sh -c pg_isready]</c> or <c>&lt;pod&gt;:9090</c>.
/// </summary>
public sealed record ProbeSnapshot(
    ProbeKind Kind,
    string Target,
    int InitialDelaySeconds = 0,
    int PeriodSeconds = 10,
    int TimeoutSeconds = 1,
    int SuccessThreshold = 1,
    int FailureThreshold = 3)
{
    /// <summary>The probe as <c>kubectl describe pod</c> prints it.</summary>
    public string Describe()
    {
        var kind = Kind switch
        {
            ProbeKind.Http => "http-get",
            ProbeKind.Tcp => "tcp-socket",
            ProbeKind.Exec => "exec",
            ProbeKind.Grpc => "grpc",
            _ => Kind.ToString(),
        };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{kind} {Target} delay={InitialDelaySeconds}s timeout={TimeoutSeconds}s period={PeriodSeconds}s #success={SuccessThreshold} #failure={FailureThreshold}");
    }
}
