using System.Runtime.CompilerServices;

// The reflector's backoff and the store's diffing are unit-tested directly; everything else through the public API.
[assembly: InternalsVisibleTo("Kosmos.Cluster.Tests")]
