namespace Kosmos.KubeSim.Exec.Protocol;

/// <summary>The remotecommand WebSocket subprotocols (k8s.io/apimachinery) and their channel numbers.</summary>
internal static class ChannelProtocol
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    public const string V3 = "v3.channel.k8s.io";
    public const string V2 = "v2.channel.k8s.io";
    public const string V1 = "channel.k8s.io";

    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Error = 3;
    public const byte Resize = 4;

    /// <summary>v5: a client message on this channel carries the numbers of the channels it closes (<c>FF 00</c>: stdin EOF).</summary>
    public const byte Close = 255;

    /// <summary>The subprotocols served; the first one in the client's list that is also here wins.</summary>
    public static readonly IReadOnlyList<string> Supported = [V5, V4, V3, V2, V1];

    /// <summary>1 for channel.k8s.io, otherwise the number in "vN.".</summary>
    public static int VersionOf(string protocol) => protocol == V1 ? 1 : protocol[1] - '0';
}
