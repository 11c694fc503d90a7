namespace Kosmos.KubeSim.Exec;

/// <summary>
/// The standard streams of one command run. Use <see cref="Stream.Null"/> for a stream that is not attached
/// (reads give end-of-file, writes are dropped).
/// </summary>
/// <param name="Tty">
/// True when the exec asked for a terminal: the runner then acts as the terminal's line discipline (echoes input,
/// turns CR into newline, handles backspace, Ctrl-C interrupts the foreground command, Ctrl-D ends input) and turns
/// "\n" into "\r\n" on output. Stdout and Stderr may then be the same stream.
/// </param>
/// <param name="Stdin">What the command reads.</param>
/// <param name="Stdout">Where its output goes.</param>
/// <param name="Stderr">Where its errors go.</param>
public sealed record ExecIo(Stream Stdin, Stream Stdout, Stream Stderr, bool Tty = false);
