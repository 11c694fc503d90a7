using System.Globalization;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Api;

/// <summary>The pod columns of the real server's printer (pkg/printers/internalversion printPod), over pod JSON.</summary>
internal static class PodPrinter
{
    public static string Ready(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = Statuses(pod, "containerStatuses").Count(c =>
            c["ready"]?.GetValue<bool>() == true && c["state"]?["running"] is not null);
        return $"{ready}/{total}";
    }

    public static string Status(JsonObject pod)
    {
        var status = pod["status"] as JsonObject;
        var reason = TableConverter.Str(status, "reason") is { Length: > 0 } r ? r : TableConverter.Str(status, "phase") ?? "Pending";
        var initStatuses = Statuses(pod, "initContainerStatuses");
        var initCount = (pod["spec"]?["initContainers"] as JsonArray)?.Count ?? 0;
        var initializing = false;
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i];
            var terminated = c["state"]?["terminated"];
            var waiting = c["state"]?["waiting"];
            if (terminated is not null && TableConverter.Int(terminated, "exitCode") == 0)
            {
                continue;
            }

            initializing = true;
            if (terminated is not null)
            {
                reason = TableConverter.Str(terminated, "reason") is { Length: > 0 } tr
                    ? "Init:" + tr
                    : TableConverter.Int(terminated, "signal") != 0
                        ? $"Init:Signal:{TableConverter.Int(terminated, "signal")}"
                        : $"Init:ExitCode:{TableConverter.Int(terminated, "exitCode")}";
            }
            else if (TableConverter.Str(waiting, "reason") is { Length: > 0 } wr && wr != "PodInitializing")
            {
                reason = "Init:" + wr;
            }
            else
            {
                reason = $"Init:{i}/{initCount}";
            }

            break;
        }

        if (!initializing || ConditionTrue(pod, "Initialized"))
        {
            var hasRunning = false;
            var statuses = Statuses(pod, "containerStatuses");
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                var waiting = c["state"]?["waiting"];
                var terminated = c["state"]?["terminated"];
                if (TableConverter.Str(waiting, "reason") is { Length: > 0 } wr)
                {
                    reason = wr;
                }
                else if (terminated is not null)
                {
                    reason = TableConverter.Str(terminated, "reason") is { Length: > 0 } tr
                        ? tr
                        : TableConverter.Int(terminated, "signal") != 0
                            ? $"Signal:{TableConverter.Int(terminated, "signal")}"
                            : $"ExitCode:{TableConverter.Int(terminated, "exitCode")}";
                }
                else if (c["ready"]?.GetValue<bool>() == true && c["state"]?["running"] is not null)
                {
                    hasRunning = true;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = ConditionTrue(pod, "Ready") ? "Running" : "NotReady";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = TableConverter.Str(status, "reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    public static string Restarts(JsonObject pod, DateTimeOffset now)
    {
        long restarts = 0;
        DateTimeOffset? last = null;
        foreach (var c in Statuses(pod, "initContainerStatuses").Concat(Statuses(pod, "containerStatuses")))
        {
            restarts += TableConverter.Int(c, "restartCount");
            if (TableConverter.Str(c["lastState"]?["terminated"], "finishedAt") is { } finished
                && DateTimeOffset.TryParse(finished, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                && (last is null || t > last))
            {
                last = t;
            }
        }

        return restarts != 0 && last is { } when
            ? $"{restarts} ({TableConverter.HumanDuration(now - when)} ago)"
            : restarts.ToString(CultureInfo.InvariantCulture);
    }

    private static List<JsonObject> Statuses(JsonObject pod, string field) =>
        (pod["status"]?[field] as JsonArray ?? []).OfType<JsonObject>().ToList();

    private static bool ConditionTrue(JsonObject pod, string type) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).Any(c =>
            TableConverter.Str(c, "type") == type && TableConverter.Str(c, "status") == "True");
}
