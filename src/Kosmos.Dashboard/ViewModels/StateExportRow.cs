using System.Globalization;
using Kosmos.Recovery.Actions;

namespace Kosmos.Dashboard.ViewModels;

/// <summary>One export as the exports panel shows it. Pure.</summary>
public sealed record StateExportRow(Guid Id, string When, string Pod, int Conversations, string Size, string Sha256, string ShortSha, string CreatedBy, string DownloadUrl)
{
    public static StateExportRow From(StateExportInfo export, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(export);
        return new StateExportRow(export.Id, TimeText.StampAgo(export.CreatedAt, now), export.Pod, export.Conversations, Bytes(export.Size),
            export.Sha256, export.Sha256.Length > 12 ? export.Sha256[..12] + "…" : export.Sha256, export.CreatedBy, $"api/exports/{export.Id:D}");
    }

    /// <summary>Bytes as a person reads them: <c>812 B</c>, <c>3.4 KiB</c>, <c>1.2 MiB</c>.</summary>
    public static string Bytes(long size) => size switch
    {
        < 1024 => size.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (size / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => (size / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
    };
}
