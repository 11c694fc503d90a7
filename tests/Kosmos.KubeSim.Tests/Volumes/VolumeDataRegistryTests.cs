using System.Text;
using Kosmos.KubeSim.Volumes;

namespace Kosmos.KubeSim.Tests.Volumes;

/// <summary>The contents behind claims and snapshots: a snapshot is a point-in-time copy, and a claim restored from it starts as that copy.</summary>
public sealed class VolumeDataRegistryTests
{
    [Fact]
    public void RestoreFromSnapshot_HasTheSnapshotsConversations_NotOnesWrittenAfterIt()
    {
        var registry = new VolumeDataRegistry(TimeProvider.System);
        registry.Provision("claim-1", null);
        var seeded = registry.Get("claim-1").EnumerateFiles("conversations");
        registry.TakeSnapshot("snap-1", "claim-1");

        registry.Get("claim-1").WriteFile("conversations/written-after.json", Encoding.UTF8.GetBytes("""{"id":"written-after"}"""));
        registry.Provision("restored-1", "snap-1");
        registry.Get("restored-1").WriteFile("conversations/on-the-restored-claim.json", Encoding.UTF8.GetBytes("""{"id":"x"}"""));

        Assert.Equal(2, seeded.Count);
        Assert.Equal(seeded, registry.Get("snap-1").EnumerateFiles("conversations"));
        Assert.Equal([.. seeded, "/conversations/on-the-restored-claim.json"], registry.Get("restored-1").EnumerateFiles("conversations").Order(StringComparer.Ordinal));
        Assert.Contains("/conversations/written-after.json", registry.Get("claim-1").EnumerateFiles("conversations"));
    }

    [Fact]
    public void Provision_Twice_KeepsTheFirstContents()
    {
        var registry = new VolumeDataRegistry(TimeProvider.System);
        registry.Provision("claim-1", null);
        registry.Get("claim-1").Delete("conversations", recursive: true);

        registry.Provision("claim-1", null);

        Assert.False(registry.Get("claim-1").Exists("conversations"));
    }
}
