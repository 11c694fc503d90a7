namespace Kosmos.Cluster;
