using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.Tests.Fakes;

/// <summary>Exports held in memory; tests add what the page should list.</summary>
public sealed class FakeStateExports : IStateExports
{
    private readonly List<(StateExportInfo Info, byte[] Content)> _exports = [];

    public void Add(StateExportInfo info, byte[] content) => _exports.Add((info, content));

    public Task<IReadOnlyList<StateExportInfo>> ListAsync(AgentRef agent, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StateExportInfo>>([.. _exports.Select(e => e.Info).Where(i => i.Agent == agent).OrderByDescending(i => i.CreatedAt).Take(count)]);

    public Task<(StateExportInfo Info, byte[] Content)?> GetAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<(StateExportInfo, byte[])?>(_exports.FirstOrDefault(e => e.Info.Id == id) is { Info: not null } found ? found : null);
}
