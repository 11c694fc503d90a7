namespace Kosmos.Dashboard.ViewModels;

/// <summary>
/// Calls <c>tick</c> every <c>period</c> of <see cref="TimeProvider"/> time, so "5m ago" texts keep moving on a screen
/// nobody touches. Dispose to stop and wait for the loop.
/// </summary>
public sealed class RenderTicker : IAsyncDisposable
{
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    public RenderTicker(TimeProvider time, TimeSpan period, Func<Task> tick)
    {
        _timer = new PeriodicTimer(period, time);
        _loop = RunAsync(tick);
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _loop;
    }

    private async Task RunAsync(Func<Task> tick)
    {
        while (await _timer.WaitForNextTickAsync())
        {
            try
            {
                await tick();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
