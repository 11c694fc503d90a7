using Kosmos.Dashboard.Tests.Fakes;
using Kosmos.Dashboard.ViewModels;
using Kosmos.Recovery.Runbook;

namespace Kosmos.Dashboard.Tests.ViewModels;

public sealed class SetResourcesFormTests
{
    [Fact]
    public void From_OomKilledAgent_PrefilledWithTheRunbooksValuesAsTheGuideSuggests()
    {
        var detail = TestData.OomDetail();
        var guide = RunbookGuide.Build(detail, TestData.Now)!;

        var form = SetResourcesForm.From(detail);

        Assert.Equal(("agent", "2Gi", "1Gi", null, null), (form.Container, form.MemoryLimit, form.MemoryRequest, form.CpuLimit, form.CpuRequest));
        Assert.Equal(Assert.Single(guide.Suggestions).Values, form.Request.ToActionRequest());
        Assert.StartsWith("Pre-filled with the runbook guidance's suggestion: the runbook's values", form.Prefill, StringComparison.Ordinal);
        Assert.StartsWith(form.MemoryLimit + " ", guide.Facts.Single(f => f.Key == "suggested-limit").Value, StringComparison.Ordinal);
        Assert.Equal(form.MemoryRequest, guide.Facts.Single(f => f.Key == "suggested-request").Value);
        var row = Assert.Single(form.Containers);
        Assert.Equal(("agent", "256Mi", "512Mi", "pod " + detail.Pods[0].Name), (row.Name, row.MemoryRequest, row.MemoryLimit, row.OomKilledIn));
    }

    [Fact]
    public void From_PodKilledAtAnOlderLimit_TheNoteNamesTheLimitThePodHad()
    {
        var detail = TestData.OomDetail();
        var pod = detail.Pods[0];
        pod = pod with { Containers = [.. pod.Containers.Select(c => c with { Resources = TestData.AgentContainer(memoryLimit: "256Mi").Resources })] };

        var form = SetResourcesForm.From(detail with { Pods = [pod] });

        Assert.Contains($"was OOMKilled (pod {pod.Name}) at its 256Mi limit", form.Prefill, StringComparison.Ordinal);
        Assert.DoesNotContain("512Mi", form.Prefill, StringComparison.Ordinal);
    }

    [Fact]
    public void From_NoDetail_EmptyAndNotPrefilled()
    {
        var form = SetResourcesForm.From(null);

        Assert.Empty(form.Containers);
        Assert.Null(form.Prefill);
        Assert.Null(form.MemoryLimit);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("  ", true)]
    [InlineData("1Gi", false)]
    [InlineData("1Gx", false)]
    public void IsEmpty_ContainerChosenForThePerson_OnlyATypedValueCounts(string? typed, bool empty)
    {
        var detail = TestData.OomDetail();
        var form = SetResourcesForm.From(detail with { Summary = detail.Summary with { Health = detail.Summary.Health with { RunbookSection = Kosmos.Recovery.Health.RunbookSection.None } } });
        Assert.Equal("agent", form.Container);
        Assert.Null(form.Prefill);

        form.Set(Kosmos.Recovery.Actions.ResourceField.MemoryRequest, typed);

        Assert.Equal(empty, form.IsEmpty);
    }
}
