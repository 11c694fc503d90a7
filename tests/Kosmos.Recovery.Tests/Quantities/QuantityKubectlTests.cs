using Kosmos.TestSupport;

namespace Kosmos.Recovery.Tests.Quantities;

/// <summary>
/// The quantity grammar (the simulator's and the actions') (<see cref="QuantityTests.Grammar"/>) checked against the real parser: kubectl reads
/// <c>create quota --hard</c> values with apimachinery's <c>resource.ParseQuantity</c>, client-side, so a dry run prints
/// what the API server would store, or the parser's error.
/// </summary>
public sealed class QuantityKubectlTests : IDisposable
{
    // Never contacted: --dry-run=client builds and prints the object locally.
    private readonly Kubectl _kubectl = new(new Uri("http://127.0.0.1:9"));

    [Theory]
    [MemberData(nameof(QuantityTests.Grammar), MemberType = typeof(QuantityTests))]
    public async Task Grammar_IsWhatKubectlsOwnParserSays(string input, string stored, string? value)
    {
        var result = await _kubectl.RunAsync("create", "quota", "q", "--hard=memory=" + input, "--dry-run=client", "-o", "jsonpath={.spec.hard.memory}");

        Assert.Equal(stored, result.ExitCode == 0 ? result.Stdout : result.Stderr.Trim());
        Assert.Equal(value is null, result.ExitCode != 0);
    }

    public void Dispose() => _kubectl.Dispose();
}
