namespace Kosmos.TestSupport;
