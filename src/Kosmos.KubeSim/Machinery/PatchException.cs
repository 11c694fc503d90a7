namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// A patch could not be applied: malformed patch document, a path that does not exist, a failed RFC 6902
/// <c>test</c>, or a strategic-merge directive the server does not accept. The message is meant for the
/// client verbatim; the HTTP layer decides the status code (a real API server answers 422 or 400).
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException(string message)
        : base(message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
