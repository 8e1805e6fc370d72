// Fixed-width integer names used throughout the kernel and user space.
typedef unsigned char  uchar;
typedef unsigned short ushort;
typedef unsigned int   uint;
typedef unsigned char  uint8;
typedef unsigned short uint16;
typedef unsigned int   uint32;
typedef unsigned long  uint64;

typedef uint64 pte_t;
typedef uint64 *pagetable_t;   // an Sv39 page-table page: 512 PTEs
