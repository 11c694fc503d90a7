namespace Kosmos.Recovery;
