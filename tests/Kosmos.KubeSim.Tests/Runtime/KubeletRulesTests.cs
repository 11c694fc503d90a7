using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;
using Kosmos.KubeSim.Runtime;
using Kosmos.KubeSim.Store;

namespace Kosmos.KubeSim.Tests.Runtime;

/// <summary>The kubelet's and scheduler's pure rules, table-driven.</summary>
public sealed class KubeletRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Simulated time equals wall time here.
    private static BackOff NewBackOff() => new((from, to) => to - from);

    [Fact]
    public void BackOff_DoublesFromTenSecondsAndCapsAtFiveMinutes()
    {
        var backOff = NewBackOff();
        var now = T0;
        var periods = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            backOff.Next(now, now);
            periods.Add(GoDuration.Format(backOff.Current));
            now += backOff.Current;
        }

        Assert.Equal(["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"], periods);
    }

    [Fact]
    public void BackOff_CountsFromTheContainersFinish_AndIsNotInForceBeforeTheFirstRestart()
    {
        var backOff = NewBackOff();
        Assert.Equal(TimeSpan.Zero, backOff.RemainingAfter(T0, T0));

        backOff.Next(T0, T0);
        var finished = T0.AddSeconds(30);

        Assert.Equal(TimeSpan.FromSeconds(10), backOff.RemainingAfter(finished, finished));
        Assert.Equal(TimeSpan.FromSeconds(4), backOff.RemainingAfter(finished, finished.AddSeconds(6)));
        Assert.Equal(TimeSpan.Zero, backOff.RemainingAfter(finished, finished.AddSeconds(10)));
    }

    [Fact]
    public void BackOff_IsForgotten_AfterAContainerRanMoreThanTenMinutes()
    {
        var backOff = NewBackOff();
        backOff.Next(T0, T0);
        backOff.Next(T0.AddSeconds(20), T0.AddSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(20), backOff.Current);

        var finishedLate = T0.AddMinutes(11);

        Assert.Equal(TimeSpan.Zero, backOff.RemainingAfter(finishedLate, finishedLate));
        backOff.Next(finishedLate, finishedLate);
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.Current);
    }

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(80, "1m20s")]
    [InlineData(300, "5m0s")]
    [InlineData(3725, "1h2m5s")]
    [InlineData(1.146, "1.146s")]
    [InlineData(0.25, "250ms")]
    public void GoDuration_PrintsLikeGo(double seconds, string expected) => Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2)]
    [InlineData("1.5", 1.5)]
    [InlineData("256Mi", 268435456)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("128974848", 128974848)]
    [InlineData("1e3", 1000)]
    [InlineData(" 256Mi ", 268435456)]
    public void Quantity_ParsesKubernetesQuantities(string text, double expected) => Assert.Equal((decimal)expected, Quantity.Decode(JsonValue.Create(text))?.ToDecimal());

    [Fact]
    public void Quantity_ReadsAJsonNumberToo() => Assert.Equal(1.5m, Quantity.Decode(JsonNode.Parse("1.5"))?.ToDecimal());

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("1ki")]
    public void Quantity_RejectsWhatIsNotAQuantity(string text) => Assert.Null(Quantity.Decode(JsonValue.Create(text)));

    // A bare suffix has no digits but is a quantity all the same: zero, as apimachinery parses it. The kubelet reads a
    // zero memory limit as no limit (the runtime's 0 is "unlimited"), and zero requests and limits do not count for QoS.
    [Theory]
    [InlineData("Mi", null)]
    [InlineData("0", null)]
    [InlineData("256Mi", 268435456L)]
    [InlineData("1.5Gi", 1610612736L)]
    public void MemoryLimit_IsInBytes_AndZeroIsNoLimit(string limit, long? expected)
    {
        var container = new JsonObject { ["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = limit } } };

        Assert.Equal(expected, PodSpec.MemoryLimit(container));
    }

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36")]
    [InlineData("bitnami/redis:7", "docker.io/bitnami/redis:7")]
    [InlineData("ghcr.io/kosmos-ai/planner:1.8.2", "ghcr.io/kosmos-ai/planner:1.8.2")]
    [InlineData("localhost:5000/agent", "localhost:5000/agent:latest")]
    public void NormalizeImage_IsWhatContainerdReports(string image, string expected) => Assert.Equal(expected, PodSpec.NormalizeImage(image));

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("ghcr.io/kosmos-ai/planner:1.8.2", "IfNotPresent")]
    public void PullPolicy_DefaultsAsTheApiServerDoes(string image, string expected) =>
        Assert.Equal(expected, PodSpec.PullPolicy(new JsonObject { ["image"] = image }));

    [Theory]
    [InlineData("""{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"500m","memory":"128Mi"}}""", "Guaranteed")]
    [InlineData("""{"limits":{"cpu":"500m","memory":"128Mi"}}""", "Guaranteed")]
    [InlineData("""{"requests":{"cpu":"100m"}}""", "Burstable")]
    [InlineData("""{"limits":{"memory":"256Mi"},"requests":{"memory":"128Mi"}}""", "Burstable")]
    [InlineData("{}", "BestEffort")]
    [InlineData("""{"limits":{"memory":"Mi"}}""", "BestEffort")]
    [InlineData("""{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"0","memory":"128Mi"}}""", "Burstable")]
    public void QosClass_FollowsTheApiServersRules(string resources, string expected)
    {
        var pod = new JsonObject
        {
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent", ["resources"] = JsonNode.Parse(resources) }) },
        };

        Assert.Equal(expected, PodSpec.QosClass(pod));
    }

    [Fact]
    public void Requests_SumContainers_DefaultToLimits_AndTakeTheLargestInitContainer()
    {
        var pod = (JsonObject)JsonNode.Parse("""
            {"spec":{
              "containers":[
                {"name":"a","resources":{"requests":{"cpu":"250m","memory":"256Mi"}}},
                {"name":"b","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}],
              "initContainers":[{"name":"i","resources":{"requests":{"cpu":"2"}}}]}}
            """)!;

        Assert.Equal((2000L, 256L * 1024 * 1024 + 1024L * 1024 * 1024), PodSpec.Requests(pod));
    }

    [Fact]
    public void InsufficientMessage_NamesEveryShortResource_AsTheSchedulerDoes()
    {
        var node = SimNode.Default;

        Assert.Null(PodScheduler.InsufficientMessage(node, (500, 1024), (1000, 0, 3)));
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            PodScheduler.InsufficientMessage(node, (16_000, 1024), (0, 0, 0)));
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            PodScheduler.InsufficientMessage(node, (1000, 8L << 30), (7500, 30L << 30, 12)));
        Assert.StartsWith("0/1 nodes are available: 1 Too many pods.", PodScheduler.InsufficientMessage(node, (0, 0), (0, 0, 110)));
    }

    [Theory]
    [InlineData(ProcessHealth.Serving, ProbeRole.Readiness, true, null)]
    [InlineData(ProcessHealth.Starting, ProbeRole.Readiness, false, "HTTP probe failed with statuscode: 503")]
    [InlineData(ProcessHealth.Starting, ProbeRole.Liveness, true, null)]
    [InlineData(ProcessHealth.Hung, ProbeRole.Liveness, false, "Get \"http://10.244.0.7:8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")]
    public void HttpProbe_FindsWhatTheProcessAnswers(ProcessHealth health, ProbeRole role, bool ok, string? message)
    {
        var container = (JsonObject)JsonNode.Parse("""
            {"ports":[{"name":"http","containerPort":8080}],
             "readinessProbe":{"httpGet":{"path":"/healthz","port":"http"}},
             "livenessProbe":{"httpGet":{"path":"/healthz","port":8080}}}
            """)!;
        var probe = ProbeSpec.From(container, role)!;

        var result = ProbeEvaluator.Evaluate(probe, health, "10.244.0.7");

        Assert.Equal(ok, result.Ok);
        Assert.Equal(message, result.Message);
        Assert.Equal(health == ProcessHealth.Hung, result.TimedOut);
    }

    [Fact]
    public void TcpProbe_PassesEvenWhenTheProcessIsDeadlocked()
    {
        var container = (JsonObject)JsonNode.Parse("""{"livenessProbe":{"tcpSocket":{"port":8080}}}""")!;

        Assert.True(ProbeEvaluator.Evaluate(ProbeSpec.From(container, ProbeRole.Liveness)!, ProcessHealth.Hung, "10.244.0.7").Ok);
    }

    [Fact]
    public void ProbeSpec_FillsTheApiServersDefaults()
    {
        var probe = ProbeSpec.From((JsonObject)JsonNode.Parse("""{"readinessProbe":{"httpGet":{"port":8080}}}""")!, ProbeRole.Readiness)!;

        Assert.Equal((0, 10, 1, 1, 3, "/", "HTTP"), (probe.InitialDelaySeconds, probe.PeriodSeconds, probe.TimeoutSeconds, probe.SuccessThreshold, probe.FailureThreshold, probe.Path, probe.Scheme));
    }
}
