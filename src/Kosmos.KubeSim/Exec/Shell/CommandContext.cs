using System.Text;
using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>One command invocation: argv, its streams, its environment.</summary>
internal sealed class CommandContext
{
    public required ShellSession Session { get; init; }

    /// <summary>argv[0] as typed, then the arguments.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    public required InputReader Stdin { get; init; }

    public required Stream Stdout { get; init; }

    public required Stream Stderr { get; init; }

    /// <summary>The session's variables plus this command's prefix assignments.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required CancellationToken CancellationToken { get; init; }

    /// <summary>The command's name without a directory ("/bin/sh" → "sh").</summary>
    public string Name => ContainerPath.GetFileName(Argv[0]);

    public IReadOnlyList<string> Args => [.. Argv.Skip(1)];

    public ContainerFileSystem FileSystem => Session.FileSystem;

    public ExecContext Exec => Session.Context;

    public string Resolve(string path) => Session.Resolve(path);

    public ValueTask OutAsync(string text) => Stdout.WriteAsync(Encoding.UTF8.GetBytes(text), CancellationToken);

    public ValueTask OutLineAsync(string text) => OutAsync(text + "\n");

    public ValueTask ErrLineAsync(string text) => Stderr.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"), CancellationToken);

    /// <summary>Prints "NAME: message" to stderr and returns <paramref name="exitCode"/>.</summary>
    public async Task<int> FailAsync(string message, int exitCode = 1)
    {
        await ErrLineAsync($"{Name}: {message}").ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>A copy of this invocation with other arguments (for wrappers like <c>env</c>).</summary>
    public CommandContext With(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Session = Session,
        Argv = argv,
        Stdin = Stdin,
        Stdout = Stdout,
        Stderr = Stderr,
        Environment = environment ?? Environment,
        CancellationToken = CancellationToken,
    };
}

/// <summary>A command implementation: returns the exit status.</summary>
internal delegate Task<int> CommandHandler(CommandContext command);
