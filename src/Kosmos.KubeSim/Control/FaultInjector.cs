namespace Kosmos.KubeSim.Control;

/// <summary>Faults the test controls can inject into the Kubernetes API (never into /sim/ itself). Thread-safe.</summary>
public sealed class FaultInjector
{
    private int _failuresLeft;
    private int _failureCode = 500;
    private long _delayMilliseconds;

    public TimeSpan Delay => TimeSpan.FromMilliseconds(Interlocked.Read(ref _delayMilliseconds));

    /// <summary>Makes the next <paramref name="count"/> API requests fail with <paramref name="code"/> (500 or 429).</summary>
    public void FailNext(int count, int code)
    {
        Volatile.Write(ref _failureCode, code);
        Volatile.Write(ref _failuresLeft, count);
    }

    public void SetDelay(TimeSpan delay) => Interlocked.Exchange(ref _delayMilliseconds, (long)delay.TotalMilliseconds);

    public void Clear()
    {
        Volatile.Write(ref _failuresLeft, 0);
        SetDelay(TimeSpan.Zero);
    }

    /// <summary>Consumes one injected failure, if any is left, and returns its status code.</summary>
    public int? TakeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failuresLeft);
            if (left <= 0)
            {
                return null;
            }

            if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
            {
                return Volatile.Read(ref _failureCode);
            }
        }
    }
}
