// Virtio over MMIO, version 2 ("modern"), as QEMU's virt machine provides
// it, and the virtio block device's request format. Register offsets,
// bits and layouts are from the Virtio 1.x specification; only what the
// disk driver (virtio_disk.c) uses is here.

// MMIO registers, byte offsets from the device's base address.
#define VIRTIO_MMIO_MAGIC_VALUE         0x000  // reads 0x74726976 ("virt")
#define VIRTIO_MMIO_VERSION             0x004  // 2 for a modern device
#define VIRTIO_MMIO_DEVICE_ID           0x008  // 2 for a block device
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010  // 32 feature bits, per ..._SEL
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014  // which 32 bits (0 or 1)
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030  // queue the next writes set up
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034  // largest queue size supported
#define VIRTIO_MMIO_QUEUE_NUM           0x038  // queue size chosen
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050  // write a queue number: go
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080  // physical address of the
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084  //   descriptor table
#define VIRTIO_MMIO_DRIVER_DESC_LOW     0x090  // of the available ring
#define VIRTIO_MMIO_DRIVER_DESC_HIGH    0x094
#define VIRTIO_MMIO_DEVICE_DESC_LOW     0x0a0  // of the used ring
#define VIRTIO_MMIO_DEVICE_DESC_HIGH    0x0a4

#define VIRTIO_MAGIC     0x74726976
#define VIRTIO_VENDOR    0x554d4551   // "QEMU"
#define VIRTIO_ID_BLOCK  2

// Bits of the STATUS register.
#define VIRTIO_STATUS_ACKNOWLEDGE 1   // the OS has seen the device
#define VIRTIO_STATUS_DRIVER      2   // and has a driver for it
#define VIRTIO_STATUS_DRIVER_OK   4   // the driver is ready
#define VIRTIO_STATUS_FEATURES_OK 8   // feature negotiation is done

// Feature bit numbers. Block device features:
#define VIRTIO_BLK_F_RO         5     // read-only disk
#define VIRTIO_BLK_F_SCSI       7     // SCSI command passthrough
#define VIRTIO_BLK_F_CONFIG_WCE 11    // write-back cache mode is settable
#define VIRTIO_BLK_F_MQ         12    // more than one queue
// Device-independent features:
#define VIRTIO_F_ANY_LAYOUT          27
#define VIRTIO_RING_F_INDIRECT_DESC  28
#define VIRTIO_RING_F_EVENT_IDX      29
#define VIRTIO_F_VERSION_1           32   // in the second word of bits

// Split virtqueue layout.

// The number of descriptors in our queue; a power of two.
#define NUM 8

// A descriptor: one buffer of a request.
struct virtq_desc {
  uint64 addr;    // physical address
  uint32 len;
  uint16 flags;   // VRING_DESC_F_*
  uint16 next;    // the next descriptor of the request, if F_NEXT
};
#define VRING_DESC_F_NEXT  1   // the request continues at next
#define VRING_DESC_F_WRITE 2   // the device writes this buffer

// The available ring: requests the driver hands to the device.
struct virtq_avail {
  uint16 flags;
  uint16 idx;        // where the driver puts the next entry (mod NUM)
  uint16 ring[NUM];  // first descriptor of each request
  uint16 unused;
};

// One entry of the used ring.
struct virtq_used_elem {
  uint32 id;    // first descriptor of the completed request
  uint32 len;
};

// The used ring: requests the device has completed.
struct virtq_used {
  uint16 flags;
  uint16 idx;        // where the device puts the next entry (mod NUM)
  struct virtq_used_elem ring[NUM];
};

// Block request types.
#define VIRTIO_BLK_T_IN  0   // read from the disk
#define VIRTIO_BLK_T_OUT 1   // write to the disk

// The header, the first buffer of every block request. The data buffer
// follows, then one status byte the device writes (0 = success).
struct virtio_blk_req {
  uint32 type;      // VIRTIO_BLK_T_*
  uint32 reserved;
  uint64 sector;    // in 512-byte sectors
};
