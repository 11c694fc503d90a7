using System.Diagnostics.CodeAnalysis;
using Kosmos.KubeSim.Exec.Commands;
using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.Exec.Shell;

namespace Kosmos.KubeSim.Exec;

/// <summary>
/// Runs a command inside a simulated container the way the container runtime would run an exec's argv:
/// the image's small set of tools (cat, ls, echo, test, mkdir, rm, env, hostname, sleep, pwd, ps, tar, sh, python -m
/// kosmos.tools.export_state / import_state, ...), operating on <see cref="ExecContext.FileSystem"/>.
/// </summary>
/// <remarks>
/// <para>Stateless and thread-safe: use <see cref="Default"/> for any number of concurrent runs. Each run has its own
/// shell state (working directory, variables); files are shared through the context's file system.</para>
/// <para>Cancellation: cancelling the token stops the command (a <c>sleep</c>, a shell waiting for input, a tar
/// waiting for stdin) and makes <see cref="RunAsync"/> throw <see cref="OperationCanceledException"/>.</para>
/// </remarks>
public sealed class ExecCommandRunner
{
    /// <summary>Exit status for an unknown command: "sh: X: not found".</summary>
    public const int CommandNotFoundExitCode = ShellInterpreter.NotFoundExitCode;

    // The runner is handed to its callers (the WebSocket session, the tests) as an instance: a dependency they are given,
    // not a static class they reach for. That its members hold no state yet is an implementation detail.
    private const string RunnerIsTheSeam = "The runner is a dependency passed as an instance; its members stay instance members.";

    public static ExecCommandRunner Default { get; } = new();

    /// <summary>The command names the simulated image provides (also reachable as /bin/NAME, /usr/bin/NAME, ...).</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = RunnerIsTheSeam)]
    public IReadOnlyCollection<string> Commands => CommandTable.Names;

    /// <summary>
    /// Runs <paramref name="command"/> (argv, not a shell line: use <c>["sh", "-c", line]</c> for that) to completion.
    /// Output is written to the streams as it is produced; the streams are neither flushed at the end nor closed.
    /// </summary>
    /// <returns>The exit status, 0–255.</returns>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = RunnerIsTheSeam)]
    public async Task<int> RunAsync(ExecContext context, IReadOnlyList<string> command, ExecIo io, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(io);
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
        {
            throw new ArgumentException("An exec needs at least one command word.", nameof(command));
        }

        using var interrupts = new InterruptSource();
        var stdout = io.Stdout;
        var stderr = io.Stderr;
        Stream stdin = io.Stdin;
        TtyLineDiscipline? terminal = null;
        if (io.Tty)
        {
            stdout = new TerminalOutputStream(io.Stdout);
            stderr = ReferenceEquals(io.Stderr, io.Stdout) ? stdout : new TerminalOutputStream(io.Stderr);
            terminal = new TtyLineDiscipline(io.Stdin, io.Stdout, interrupts.Interrupt);
            terminal.Start();
            stdin = terminal.Input;
        }

        try
        {
            var session = new ShellSession(context, io.Tty, interrupts);
            var code = await ShellInterpreter.RunArgvAsync(session, command, InputReader.Wrap(stdin), stdout, stderr, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return code & 0xFF;
        }
        finally
        {
            if (terminal is not null)
            {
                await terminal.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
