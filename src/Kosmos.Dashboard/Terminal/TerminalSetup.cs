using Kosmos.Dashboard.Configuration;

namespace Kosmos.Dashboard.Terminal;

public static class TerminalSetup
{
    /// <summary>The terminal's policy (on or off, idle timeout) and its session registry; needs the audit store and a PodExec.</summary>
    public static IServiceCollection AddBrowserTerminal(this IServiceCollection services, bool enabled, TerminalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(new TerminalPolicy(enabled, TimeSpan.FromSeconds(settings.IdleTimeoutSeconds)));
        services.AddSingleton<TerminalSessions>();
        return services;
    }
}
