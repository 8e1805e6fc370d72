// fsimage.h - what a file-system image holds, read on the host from the
// on-disk format of kernel/fs.h: the names in its root directory, so a
// campaign can refuse a workload whose program the guest would not find
// before any run starts.
#ifndef CAMPAIGN_FSIMAGE_H
#define CAMPAIGN_FSIMAGE_H

#include <stddef.h>

// The regular files of the root directory of image path, sorted, in a
// NULL-terminated array the caller frees with free_names() (preflight.h);
// NULL with the reason in why[n] if the image cannot be read.
char **fsimage_root_files(const char *path, char *why, size_t n);

#endif
