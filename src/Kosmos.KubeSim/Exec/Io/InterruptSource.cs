namespace Kosmos.KubeSim.Exec.Io;

/// <summary>The terminal's SIGINT: Ctrl-C cancels <see cref="Token"/>; the shell re-arms it before each command.</summary>
internal sealed class InterruptSource
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

        current.Cancel();
    }

    public void Reset()
    {
        lock (_gate)
        {
            if (_cts.IsCancellationRequested)
            {
                _cts = new CancellationTokenSource();
            }
        }
    }
}
