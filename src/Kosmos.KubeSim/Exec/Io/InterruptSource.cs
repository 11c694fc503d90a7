namespace Kosmos.KubeSim.Exec.Io;

/// <summary>
/// The terminal's SIGINT: Ctrl-C cancels <see cref="Token"/>; the shell re-arms it before each command. Lifetime: one
/// exec, disposed by the runner after the terminal that calls <see cref="Interrupt"/> has stopped.
/// </summary>
internal sealed class InterruptSource : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _cts = new();

    public CancellationToken Token
    {
        get
        {
            lock (_gate)
            {
                return _cts.Token;
            }
        }
    }

    public void Interrupt()
    {
        CancellationTokenSource current;
        lock (_gate)
        {
            current = _cts;
        }

        try
        {
            current.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Re-armed or finished meanwhile: there is no foreground command left to interrupt.
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            if (_cts.IsCancellationRequested)
            {
                // A cancelled source holds nothing a command still waits on: its token stays cancelled after Dispose.
                _cts.Dispose();
                _cts = new CancellationTokenSource();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _cts.Dispose();
        }
    }
}
