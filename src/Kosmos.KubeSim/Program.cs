namespace Kosmos.KubeSim;

/// <summary>Standalone simulator: <c>dotnet run --project src/Kosmos.KubeSim -- --urls http://127.0.0.1:PORT</c>.</summary>
// An explicit entry class (not top-level statements) so it does not collide with the dashboard's Program.
internal static class SimulatorProgram
{
    public static Task Main(string[] args) => SimulatorHost.RunStandaloneAsync(args);
}
