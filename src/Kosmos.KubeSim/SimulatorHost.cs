using Microsoft.Extensions.Logging;

namespace Kosmos.KubeSim;

public static class SimulatorHost
{
    /// <summary>
    /// Runs the simulator as its own process until Ctrl+C. Arguments: --urls http://127.0.0.1:PORT, --time-scale N, --no-seed,
    /// --authorization rbac, --token TOKEN=USER[,GROUP...] (repeatable), --tls (kubectl sends tokens only over https).
    /// </summary>
    public static async Task RunStandaloneAsync(string[] args)
    {
        var options = new SimulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--urls" when i + 1 < args.Length:
                    var url = new Uri(args[++i].Split(';')[0]);
                    options.Host = url.Host == "localhost" ? "127.0.0.1" : url.Host;
                    options.Port = url.Port;
                    break;
                case "--time-scale" when i + 1 < args.Length:
                    options.TimeScale = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--no-seed":
                    options.SeedDemoFleet = false;
                    break;
                case "--authorization" when i + 1 < args.Length:
                    var mode = args[++i];
                    if (mode.Equals("rbac", StringComparison.OrdinalIgnoreCase))
                    {
                        options.Authorization = Auth.AuthorizationMode.Rbac;
                    }
                    else if (!mode.Equals("AlwaysAllow", StringComparison.OrdinalIgnoreCase))
                    {
                        await Console.Error.WriteLineAsync($"--authorization takes rbac or AlwaysAllow, got '{mode}'");
                        Environment.ExitCode = 2;
                        return;
                    }

                    break;
                case "--tls":
                    options.Tls = true;
                    break;
                case "--token" when i + 1 < args.Length:
                    try
                    {
                        var (token, user) = Auth.TokenAuthenticator.ParseArgument(args[++i]);
                        options.Tokens[token] = user;
                    }
                    catch (FormatException ex)
                    {
                        await Console.Error.WriteLineAsync(ex.Message);
                        Environment.ExitCode = 2;
                        return;
                    }

                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument: {args[i]} (use --urls URL, --time-scale N, --no-seed, --authorization rbac, --token TOKEN=USER, --tls)");
                    Environment.ExitCode = 2;
                    return;
            }
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        await using var simulator = await KubeSimulator.StartAsync(options, loggers);
        if (simulator.CertificatePem is { } pem)
        {
            // Where kubectl reads the CA from: --certificate-authority <file>.
            var caFile = Path.Combine(Path.GetTempPath(), $"kosmos-kube-sim-{simulator.Url.Port}-ca.crt");
            await File.WriteAllTextAsync(caFile, pem);
            Console.WriteLine($"Serving https; CA certificate written to {caFile} (kubectl --certificate-authority {caFile})");
        }

        Console.WriteLine($"Kubernetes API simulator listening on {simulator.Url} (try: kubectl --server {simulator.Url} get pods -n kosmos)");
        var done = new TaskCompletionSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        await done.Task;

        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            done.TrySetResult();
        }
    }
}
