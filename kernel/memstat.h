// memstat(): what recovery costs in memory, for the memory benchmark
// (user/memtest, make bench). Both fields are 0 in a RECOVERY=0 kernel.
struct memstat {
  uint64 registry_bytes;   // the object registry: static ranges + page type map
  uint64 replica_bytes;    // replicas kept to restore damaged objects
  uint64 free_pages;       // free physical pages (as freepages())
  uint64 retired_pages;    // damaged pages Ev6 took out of circulation
};
