// sha256.h - SHA-256 (FIPS 180-4), to fingerprint the kernel, the
// file-system image, the GDB scripts and the configs a campaign used.
//
//   struct sha256 c; sha256_init(&c); sha256_update(&c, p, n); ...
//   sha256_hex(&c, hex);     // finishes: 64 hex digits and a NUL
#ifndef CAMPAIGN_SHA256_H
#define CAMPAIGN_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
  uint32_t h[8];
  uint64_t bytes;           // message length so far
  unsigned char block[64];  // partial block
  size_t fill;              // bytes in block
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_hex(struct sha256 *c, char hex[65]);

// The digest of a whole file into hex. Returns 0, or -1 with errno set.
int sha256_file(const char *path, char hex[65]);

#endif
