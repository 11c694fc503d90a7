namespace Kosmos.KubeSim;

public static class SimulatorHost
{
    public static Task RunStandaloneAsync(string[] args) => Task.CompletedTask;
}
