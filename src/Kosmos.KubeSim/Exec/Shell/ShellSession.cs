using Kosmos.KubeSim.Exec.Io;
using Kosmos.KubeSim.FileSystem;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>The mutable state of one exec (or one subshell): working directory, variables, last exit status.</summary>
internal sealed class ShellSession
{
    private static int _lastPid = 40;

    public ShellSession(ExecContext context, bool tty, InterruptSource interrupts)
    {
        Context = context;
        IsTty = tty;
        Interrupts = interrupts;
        WorkingDirectory = ContainerPath.Normalize(context.WorkingDirectory);
        Variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOSTNAME"] = context.FileSystem.Hostname,
            ["HOME"] = "/root",
        };
        if (tty)
        {
            Variables["TERM"] = "xterm";
        }

        foreach (var (name, value) in context.Environment)
        {
            Variables[name] = value;
        }

        ProcessId = NextProcessId();
    }

    private ShellSession(ShellSession parent)
    {
        Context = parent.Context;
        IsTty = parent.IsTty;
        Interrupts = parent.Interrupts;
        WorkingDirectory = parent.WorkingDirectory;
        Variables = new Dictionary<string, string>(parent.Variables, StringComparer.Ordinal);
        LastExitCode = parent.LastExitCode;
        ProcessId = NextProcessId();
    }

    public ExecContext Context { get; }

    public ContainerFileSystem FileSystem => Context.FileSystem;

    public bool IsTty { get; }

    public InterruptSource Interrupts { get; }

    public string WorkingDirectory { get; set; }

    public Dictionary<string, string> Variables { get; }

    public int LastExitCode { get; set; }

    /// <summary>Set by the <c>exit</c> builtin: the shell stops and exits with it.</summary>
    public int? ExitRequested { get; set; }

    public int ProcessId { get; }

    public static int NextProcessId() => Interlocked.Increment(ref _lastPid);

    /// <summary>A subshell (<c>sh -c</c> run from a shell): its own copy of the state.</summary>
    public ShellSession CreateChild() => new(this);

    public string Resolve(string path) => ContainerPath.Resolve(WorkingDirectory, path);
}
