using System.IO.Pipelines;
using System.Text;
using Kosmos.KubeSim.Exec.Commands;
using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>Runs parsed command lines, argv vectors and interactive sessions against a <see cref="ShellSession"/>.</summary>
internal static class ShellInterpreter
{
    /// <summary>Exit status of a command that was not found (as sh reports it).</summary>
    public const int NotFoundExitCode = 127;

    /// <summary>Exit status of a command stopped by Ctrl-C (128 + SIGINT).</summary>
    public const int InterruptedExitCode = 130;

    public static async Task<int> RunScriptAsync(ShellSession session, string script, InputReader stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        IReadOnlyList<AndOrList> lists;
        try
        {
            lists = ShellSyntax.Parse(script);
        }
        catch (ShellSyntaxException e)
        {
            await WriteAsync(stderr, $"sh: {e.Message}\n", cancellationToken).ConfigureAwait(false);
            session.LastExitCode = 2;
            return 2;
        }

        foreach (var list in lists)
        {
            await RunAndOrAsync(session, list, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
            if (session.ExitRequested is not null)
            {
                break;
            }
        }

        return session.ExitRequested ?? session.LastExitCode;
    }

    /// <summary>Reads and runs lines until end of input or <c>exit</c>; prompts with "$ " on a terminal.</summary>
    public static async Task<int> RunInteractiveAsync(ShellSession session, InputReader stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        while (session.ExitRequested is null)
        {
            if (session.IsTty)
            {
                await WriteAsync(stdout, "$ ", cancellationToken).ConfigureAwait(false);
            }

            // Re-armed per input line, not per command: a Ctrl-C typed after Enter but before the command started
            // still reaches that command.
            string? line;
            session.Interrupts.Reset();
            using (var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Interrupts.Token))
            {
                try
                {
                    line = await stdin.ReadLineAsync(reading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Ctrl-C at the prompt: the line discipline already dropped the line; prompt again.
                    session.LastExitCode = InterruptedExitCode;
                    continue;
                }
            }

            if (line is null)
            {
                break;
            }

            await RunScriptAsync(session, line, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        return session.ExitRequested ?? session.LastExitCode;
    }

    /// <summary>Runs an argv vector as exec does: no parsing, no expansion.</summary>
    public static async Task<int> RunArgvAsync(ShellSession session, IReadOnlyList<string> argv, InputReader stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        session.Interrupts.Reset();
        var code = await InvokeAsync(session, argv, session.Variables, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        session.LastExitCode = code;
        return code;
    }

    /// <summary>Looks a command up and runs it; the foreground command is what Ctrl-C interrupts.</summary>
    public static async Task<int> InvokeAsync(
        ShellSession session,
        IReadOnlyList<string> argv,
        IReadOnlyDictionary<string, string> environment,
        InputReader stdin,
        Stream stdout,
        Stream stderr,
        CancellationToken cancellationToken)
    {
        if (!CommandTable.TryGet(argv[0], out var handler))
        {
            await WriteAsync(stderr, $"sh: {argv[0]}: not found\n", cancellationToken).ConfigureAwait(false);
            return NotFoundExitCode;
        }

        // Ctrl-C stops the foreground command; a shell itself ignores it (as an interactive sh ignores SIGINT) and
        // carries on with its next command.
        var interrupt = CommandTable.IsShell(argv[0]) ? CancellationToken.None : session.Interrupts.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interrupt);
        var command = new CommandContext
        {
            Session = session,
            Argv = argv,
            Stdin = stdin,
            Stdout = stdout,
            Stderr = stderr,
            Environment = environment,
            CancellationToken = linked.Token,
        };
        try
        {
            return await handler(command).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return InterruptedExitCode;
        }
        catch (FileSystemException e)
        {
            await WriteAsync(stderr, $"{command.Name}: {e.Message}\n", cancellationToken).ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task RunAndOrAsync(ShellSession session, AndOrList list, InputReader stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        await RunPipelineAsync(session, list.Pipelines[0], stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < list.Operators.Count && session.ExitRequested is null; i++)
        {
            var succeeded = session.LastExitCode == 0;
            if (succeeded == (list.Operators[i] == "&&"))
            {
                await RunPipelineAsync(session, list.Pipelines[i + 1], stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunPipelineAsync(ShellSession session, Pipeline pipeline, InputReader stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        int code;
        if (pipeline.Commands.Count == 1)
        {
            code = await RunSimpleAsync(session, pipeline.Commands[0], stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Stages run concurrently, joined by in-memory pipes. When a reader stops early its pipe is completed,
            // and the writer's further output is dropped (the SIGPIPE a real pipeline would deliver, minus the signal).
            var pipes = Enumerable.Range(0, pipeline.Commands.Count - 1).Select(_ => new Pipe()).ToArray();
            var stages = new Task<int>[pipeline.Commands.Count];
            for (var i = 0; i < stages.Length; i++)
            {
                var input = i == 0 ? stdin : new InputReader(pipes[i - 1].Reader.AsStream());
                var output = i == stages.Length - 1 ? stdout : pipes[i].Writer.AsStream();
                var readerToComplete = i == 0 ? null : pipes[i - 1].Reader;
                var writerToComplete = i == stages.Length - 1 ? null : pipes[i].Writer;
                stages[i] = RunStageAsync(session, pipeline.Commands[i], input, output, stderr, readerToComplete, writerToComplete, cancellationToken);
            }

            var codes = await Task.WhenAll(stages).ConfigureAwait(false);
            code = codes[^1];
        }

        if (pipeline.Negated)
        {
            code = code == 0 ? 1 : 0;
        }

        session.LastExitCode = code;
    }

    private static async Task<int> RunStageAsync(
        ShellSession session,
        SimpleCommand command,
        InputReader stdin,
        Stream stdout,
        Stream stderr,
        PipeReader? readerToComplete,
        PipeWriter? writerToComplete,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            return await RunSimpleAsync(session, command, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (writerToComplete is not null)
            {
                await writerToComplete.CompleteAsync().ConfigureAwait(false);
            }

            if (readerToComplete is not null)
            {
                await readerToComplete.CompleteAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunSimpleAsync(ShellSession session, SimpleCommand command, InputReader stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var argv = command.Words.SelectMany(w => WordExpander.ExpandFields(w, session)).ToList();
        var assignments = command.Assignments.Select(a => (a.Name, Value: WordExpander.ExpandSingle(a.Value, session))).ToList();

        var opened = new List<RedirectedFileStream>();
        try
        {
            foreach (var redirection in command.Redirections)
            {
                var target = WordExpander.ExpandSingle(redirection.Target, session);
                switch (redirection.Kind)
                {
                    case RedirectionKind.Duplicate:
                        if (target is not ("1" or "2") || redirection.Fd is not (1 or 2))
                        {
                            await WriteAsync(stderr, $"sh: {target}: Bad fd number\n", cancellationToken).ConfigureAwait(false);
                            return 2;
                        }

                        var duplicate = target == "1" ? stdout : stderr;
                        (stdout, stderr) = redirection.Fd == 1 ? (duplicate, stderr) : (stdout, duplicate);
                        break;
                    case RedirectionKind.Input:
                        try
                        {
                            stdin = new InputReader(new MemoryStream(session.FileSystem.ReadFile(session.Resolve(target)), writable: false));
                        }
                        catch (FileSystemException e)
                        {
                            await WriteAsync(stderr, $"sh: cannot open {target}: {e.Reason}\n", cancellationToken).ConfigureAwait(false);
                            return 2;
                        }

                        break;
                    default:
                        RedirectedFileStream file;
                        try
                        {
                            file = RedirectedFileStream.Open(session.FileSystem, session.Resolve(target), redirection.Kind == RedirectionKind.Append);
                        }
                        catch (FileSystemException e)
                        {
                            await WriteAsync(stderr, $"sh: cannot create {target}: {e.Reason}\n", cancellationToken).ConfigureAwait(false);
                            return 2;
                        }

                        opened.Add(file);
                        if (redirection.Fd == 1)
                        {
                            stdout = file;
                        }
                        else if (redirection.Fd == 2)
                        {
                            stderr = file;
                        }

                        break;
                }
            }

            if (argv.Count == 0)
            {
                foreach (var (name, value) in assignments)
                {
                    session.Variables[name] = value;
                }

                return 0;
            }

            IReadOnlyDictionary<string, string> environment = session.Variables;
            if (assignments.Count > 0)
            {
                var copy = new Dictionary<string, string>(session.Variables, StringComparer.Ordinal);
                foreach (var (name, value) in assignments)
                {
                    copy[name] = value;
                }

                environment = copy;
            }

            return await InvokeAsync(session, argv, environment, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var file in opened)
            {
                file.Commit();
            }
        }
    }

    private static ValueTask WriteAsync(Stream stream, string text, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
}
