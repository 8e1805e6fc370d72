// Driver for the disk: QEMU's virtio block device on virtio-mmio version 2
// at VIRTIO0, with one queue of NUM descriptors.
//
// Interface:
//   virtio_disk_init()      once at boot: reset the device, negotiate
//                           features, set up the queue
//   virtio_disk_rw(b, w)    read (w = 0) or write (w = 1) the block of
//                           locked buffer b; sleeps until the disk is done
//   virtio_disk_intr()      from the trap handler on VIRTIO0_IRQ
//
// Each request is a chain of three descriptors: the request header, the
// buffer's data, and a status byte for the device to fill in. The driver
// puts the chain's first descriptor in the available ring and notifies
// the device; when the device is done it puts that descriptor number in
// the used ring and interrupts. b->disk is 1 while the device owns b; the
// interrupt handler clears it and wakes the process sleeping on b.
//
// The kernel's addresses are physical addresses (the kernel is mapped one
// to one), so they can be handed to the device as they are.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/ev6.h"
#include "kernel/fi.h"
#include "kernel/defs.h"
#include "kernel/memlayout.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/fs.h"
#include "kernel/buf.h"
#include "kernel/virtio.h"

// The MMIO register at offset r.
#define R(r) ((volatile uint32 *)(VIRTIO0 + (r)))

struct disk {
  // The queue, each part in its own kalloc() page. The device reads desc
  // and avail and writes used.
  struct virtq_desc *desc;
  struct virtq_avail *avail;
  struct virtq_used *used;

  // vdisk_lock protects everything here and the queue's contents.
  // Processes waiting for descriptors sleep on &disk.free[0].
  struct spinlock vdisk_lock;
  char free[NUM];     // descriptor i is unused
  uint16 used_idx;    // used-ring entries processed so far

  // Per request in flight, indexed by its first descriptor.
  struct {
    struct buf *b;
    uchar status;     // written by the device
  } info[NUM];
  struct virtio_blk_req ops[NUM];   // the requests' headers
} disk;

void
virtio_disk_init(void)
{
  uint32 status = 0, features;

  initlock(&disk.vdisk_lock, "virtio_disk");

  if(*R(VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MAGIC ||
     *R(VIRTIO_MMIO_VERSION) != 2 ||
     *R(VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK ||
     *R(VIRTIO_MMIO_VENDOR_ID) != VIRTIO_VENDOR)
    panic("virtio_disk_init: no modern virtio disk");

  // Reset, then announce ourselves.
  *R(VIRTIO_MMIO_STATUS) = status;
  status |= VIRTIO_STATUS_ACKNOWLEDGE;
  *R(VIRTIO_MMIO_STATUS) = status;
  status |= VIRTIO_STATUS_DRIVER;
  *R(VIRTIO_MMIO_STATUS) = status;

  // Feature bits 0-31: accept what the device offers, minus what this
  // driver does not handle.
  *R(VIRTIO_MMIO_DEVICE_FEATURES_SEL) = 0;
  features = *R(VIRTIO_MMIO_DEVICE_FEATURES);
  features &= ~(1U << VIRTIO_BLK_F_RO);
  features &= ~(1U << VIRTIO_BLK_F_SCSI);
  features &= ~(1U << VIRTIO_BLK_F_CONFIG_WCE);
  features &= ~(1U << VIRTIO_BLK_F_MQ);
  features &= ~(1U << VIRTIO_F_ANY_LAYOUT);
  features &= ~(1U << VIRTIO_RING_F_EVENT_IDX);
  features &= ~(1U << VIRTIO_RING_F_INDIRECT_DESC);
  *R(VIRTIO_MMIO_DRIVER_FEATURES_SEL) = 0;
  *R(VIRTIO_MMIO_DRIVER_FEATURES) = features;

  // Feature bits 32-63: only VERSION_1, which a modern driver must accept.
  *R(VIRTIO_MMIO_DEVICE_FEATURES_SEL) = 1;
  features = *R(VIRTIO_MMIO_DEVICE_FEATURES);
  features &= 1U << (VIRTIO_F_VERSION_1 - 32);
  *R(VIRTIO_MMIO_DRIVER_FEATURES_SEL) = 1;
  *R(VIRTIO_MMIO_DRIVER_FEATURES) = features;

  status |= VIRTIO_STATUS_FEATURES_OK;
  *R(VIRTIO_MMIO_STATUS) = status;
  if((*R(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0)
    panic("virtio_disk_init: features rejected");

  // Queue 0.
  *R(VIRTIO_MMIO_QUEUE_SEL) = 0;
  if(*R(VIRTIO_MMIO_QUEUE_READY))
    panic("virtio_disk_init: queue already in use");
  if(*R(VIRTIO_MMIO_QUEUE_NUM_MAX) < NUM)
    panic("virtio_disk_init: queue too short");

  disk.desc = kalloc();
  disk.avail = kalloc();
  disk.used = kalloc();
  if(disk.desc == 0 || disk.avail == 0 || disk.used == 0)
    panic("virtio_disk_init: out of memory");
  memset(disk.desc, 0, PGSIZE);
  memset(disk.avail, 0, PGSIZE);
  memset(disk.used, 0, PGSIZE);

  *R(VIRTIO_MMIO_QUEUE_NUM) = NUM;
  *R(VIRTIO_MMIO_QUEUE_DESC_LOW) = (uint64)disk.desc;
  *R(VIRTIO_MMIO_QUEUE_DESC_HIGH) = (uint64)disk.desc >> 32;
  *R(VIRTIO_MMIO_DRIVER_DESC_LOW) = (uint64)disk.avail;
  *R(VIRTIO_MMIO_DRIVER_DESC_HIGH) = (uint64)disk.avail >> 32;
  *R(VIRTIO_MMIO_DEVICE_DESC_LOW) = (uint64)disk.used;
  *R(VIRTIO_MMIO_DEVICE_DESC_HIGH) = (uint64)disk.used >> 32;
  *R(VIRTIO_MMIO_QUEUE_READY) = 1;

  for(int i = 0; i < NUM; i++)
    disk.free[i] = 1;

  status |= VIRTIO_STATUS_DRIVER_OK;
  *R(VIRTIO_MMIO_STATUS) = status;
}

// A free descriptor's index, or -1.
int
alloc_desc(void)
{
  FI_SITE(alloc_desc, &disk);
  for(int i = 0; i < NUM; i++){
    if(disk.free[i]){
      disk.free[i] = 0;
      return i;
    }
  }
  return -1;
}

static void
free_desc(int i)
{
  if(i < 0 || i >= NUM || disk.free[i])
    panic("virtio_disk: freeing a free descriptor");
  disk.desc[i].addr = 0;
  disk.desc[i].len = 0;
  disk.desc[i].flags = 0;
  disk.desc[i].next = 0;
  disk.free[i] = 1;
  wakeup(&disk.free[0]);
}

// Free the chain of descriptors starting at i.
static void
free_chain(int i)
{
  for(;;){
    int more = disk.desc[i].flags & VRING_DESC_F_NEXT;
    int next = disk.desc[i].next;

    free_desc(i);
    if(!more)
      break;
    i = next;
  }
}

// Take three descriptors, or none: 0 or -1.
static int
alloc3_desc(int *idx)
{
  for(int i = 0; i < 3; i++){
    idx[i] = alloc_desc();
    if(idx[i] < 0){
      for(int j = 0; j < i; j++)
        free_desc(idx[j]);
      return -1;
    }
  }
  return 0;
}

void
virtio_disk_rw(struct buf *b, int write)
{
  uint64 sector = b->blockno * (BSIZE / 512);
  struct virtio_blk_req *req;
  int idx[3];

  acquire(&disk.vdisk_lock);

  while(alloc3_desc(idx) != 0)
    sleep(&disk.free[0], &disk.vdisk_lock);

  req = &disk.ops[idx[0]];
  req->type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
  req->reserved = 0;
  req->sector = sector;

  disk.desc[idx[0]].addr = (uint64)req;
  disk.desc[idx[0]].len = sizeof(*req);
  disk.desc[idx[0]].flags = VRING_DESC_F_NEXT;
  disk.desc[idx[0]].next = idx[1];

  disk.desc[idx[1]].addr = (uint64)b->data;
  disk.desc[idx[1]].len = BSIZE;
  disk.desc[idx[1]].flags = VRING_DESC_F_NEXT | (write ? 0 : VRING_DESC_F_WRITE);
  disk.desc[idx[1]].next = idx[2];

  disk.info[idx[0]].status = 0xff;   // the device sets 0 on success
  disk.desc[idx[2]].addr = (uint64)&disk.info[idx[0]].status;
  disk.desc[idx[2]].len = 1;
  disk.desc[idx[2]].flags = VRING_DESC_F_WRITE;
  disk.desc[idx[2]].next = 0;

  b->disk = 1;
  disk.info[idx[0]].b = b;

  disk.avail->ring[disk.avail->idx % NUM] = idx[0];
  // The device must see the descriptors and the ring entry before the
  // new index, and the new index before the notification.
  __sync_synchronize();
  disk.avail->idx += 1;
  __sync_synchronize();
  *R(VIRTIO_MMIO_QUEUE_NOTIFY) = 0;

  while(b->disk == 1)
    sleep(b, &disk.vdisk_lock);

  disk.info[idx[0]].b = 0;
  free_chain(idx[0]);

  release(&disk.vdisk_lock);
}

void
virtio_disk_intr(void)
{
  acquire(&disk.vdisk_lock);

  // Acknowledge first: a completion that arrives while we scan the used
  // ring raises a new interrupt rather than being lost.
  *R(VIRTIO_MMIO_INTERRUPT_ACK) = *R(VIRTIO_MMIO_INTERRUPT_STATUS) & 0x3;

  __sync_synchronize();
  while(disk.used_idx != disk.used->idx){
    int id;
    struct buf *b;

    // Read the entry only after seeing the index that covers it.
    __sync_synchronize();
    id = disk.used->ring[disk.used_idx % NUM].id;
    if(id < 0 || id >= NUM || (b = disk.info[id].b) == 0)
      panic("virtio_disk_intr: bad completion");
    if(disk.info[id].status != 0)
      panic("virtio_disk_intr: disk I/O error");

    b->disk = 0;   // the device is done with b
    wakeup(b);
    disk.used_idx += 1;
  }

  release(&disk.vdisk_lock);
}

#if RECOVERY
// The disk's queue state is not recoverable: errors in it fail-stop.
uint64
disk_register(void)
{
  ev6_registry_add(EV6_T_DISK, &disk, 1, sizeof(disk));
  audit_lock_add(&disk.vdisk_lock);
  return 0;
}
#endif
