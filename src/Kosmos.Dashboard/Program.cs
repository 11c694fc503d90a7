using Kosmos.Dashboard.Actions;
using Kosmos.Dashboard.Components;
using Kosmos.Dashboard.Configuration;
using Kosmos.Dashboard.Guidance;
using Kosmos.Dashboard.Hubs;
using Kosmos.Dashboard.Incidents;
using Kosmos.Dashboard.Infrastructure;
using Kosmos.Dashboard.Security;
using Kosmos.Dashboard.Terminal;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Serilog;

// Bootstrap logger first, so that a failure while reading configuration is still logged.
Log.Logger = new LoggerConfiguration()
    .WriteTo.Console()
    .CreateBootstrapLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Services.AddSerilog((services, lc) => lc
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .WriteTo.Console());

    // Options: bound once, validated at start with messages that name the bad key.
    builder.Services.AddSingleton<IValidateOptions<KosmosOptions>, KosmosOptionsValidator>();
    builder.Services.AddOptions<KosmosOptions>().Bind(builder.Configuration.GetSection(KosmosOptions.Section)).ValidateOnStart();
    var kosmos = builder.Configuration.GetSection(KosmosOptions.Section).Get<KosmosOptions>() ?? new KosmosOptions();
    var validation = new KosmosOptionsValidator().Validate(null, kosmos);
    if (validation.Failed)
    {
        throw new OptionsValidationException(KosmosOptions.Section, typeof(KosmosOptions), validation.Failures);
    }

    var connection = await ClusterSetup.ConnectAsync(kosmos, builder.Services, Log.Logger);
    if (kosmos.Auth.IsDemo && !connection.Identity.IsSimulated && !kosmos.Auth.AllowDemoOnRealCluster)
    {
        throw new OptionsValidationException(KosmosOptions.Section, typeof(KosmosOptions),
        [
            $"Kosmos:Auth:Mode is Demo (anyone may sign in with any role) but the cluster is real ({connection.Identity.Server}). " +
            "Configure Kosmos:Auth:Mode=OpenIdConnect, or set Kosmos:Auth:AllowDemoOnRealCluster=true if you really mean it.",
        ]);
    }

    // No endpoint takes more than a few kilobytes (each caps its own body lower); Blazor and SignalR messages have their own limits.
    builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = HttpSetup.MaxRequestBodyBytes);
    builder.Services.AddKosmosHttp(kosmos.Http);
    builder.Services.AddKosmosAuth(kosmos);
    builder.Services.AddLiveState(builder.Configuration);
    builder.Services.AddRecoveryActions(kosmos, builder.Environment.ContentRootPath);
    builder.Services.AddIncidents();
    builder.Services.AddRunbookGuidance();
    // On our hub only: a Blazor circuit turns signed-out through its state provider instead of being cut off mid-page.
    builder.Services.AddSignalR().AddHubOptions<AgentsHub>(o => o.AddFilter<SessionEndsConnection>());
    builder.Services.AddKosmosMetrics();

    // The browser terminal is on by default only in the local demo (demo sign-in on the embedded simulator).
    builder.Services.AddBrowserTerminal(kosmos.Terminal.Enabled ?? (kosmos.Auth.IsDemo && connection.Identity.IsSimulated), kosmos.Terminal);

    builder.Services.AddRazorComponents().AddInteractiveServerComponents();

    // After AddRazorComponents, so it replaces the default provider: circuits notice a sign-out made elsewhere.
    builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
    builder.Services.AddMudServices();

    var app = builder.Build();
    app.UseForwardedHeaders();
    app.UseSecurityHeaders();
    app.UseApiProblems();
    app.UseSerilogRequestLogging(o => o.GetLevel = RequestLogLevels.For);

    // The dashboard's own assets live in wwwroot-assets/ at the repository root and are served under /assets, to anyone
    // (the sign-in page needs them): before routing and authorization.
    app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
        RequestPath = "/assets",
        ContentTypeProvider = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider { Mappings = { [".md"] = "text/markdown; charset=utf-8" } },
    });
    app.UseRouting();
    app.UseHubOriginCheck(kosmos.Http);
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseAntiforgery();
    app.MapStaticAssets().AllowAnonymous();

    app.MapSignIn(kosmos.Auth);
    app.MapHealthEndpoints();
    app.MapMetricsEndpoint(kosmos.Metrics);
    app.MapActionEndpoints();
    app.MapIncidentEndpoints();
    app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
    app.MapTerminal();
    app.MapGuidanceEndpoints();
    app.MapHub<AgentsHub>("/hubs/agents");
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    await app.RunAsync();
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "The dashboard stopped unexpectedly");
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}

public partial class Program;
