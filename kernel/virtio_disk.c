// Driver for the disk: QEMU's virtio block device on virtio-mmio version 2
// at VIRTIO0, with one queue of NUM descriptors. It runs as a driver task
// (drv.c): a kernel thread of its own that the rest of the kernel reaches
// only by messages.
//
// Interface:
//   virtio_disk_init()      at boot: the queue's pages and the task's slot
//   virtio_disk_start()     after the first process exists: start the task,
//                           which resets and initialises the device
//   virtio_disk_rw(b, w)    read (w = 0) or write (w = 1) the block of
//                           locked buffer b: send the task a message and
//                           sleep until it replies
//   virtio_disk_intr()      from the trap handler on VIRTIO0_IRQ:
//                           acknowledge and notify the task
//
// Each request is a chain of three descriptors: the request header, the
// buffer's data, and a status byte for the device to fill in. Header and
// status live in the request's message (one per buffer, diskmsg[]), not in
// the driver: a restarted task finds them intact. The task serves one
// request at a time: it publishes the chain in the available ring,
// notifies the device, waits for the interrupt and takes the completion
// from the used ring. b->disk is 1 while the device owns b.
//
// Restart (disk_restart): the device is reset and initialised again only
// when disk_valid finds an illegal register access in the task's I/O log.
// Otherwise the device keeps its queue: the driver lets it finish what the
// available ring holds (disk_drain), then rebuilds its own state. A
// request whose status byte says done is answered without doing it again.
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
#include "kernel/drv.h"

// An address no page table maps: the injected crash stores to it (a
// variable, so the compiler cannot see the store is wild).
static volatile uint64 wild_addr = 8;

struct disk {
  // The queue, each part in its own kalloc() page. The device reads desc
  // and avail and writes used.
  struct virtq_desc *desc;
  struct virtq_avail *avail;
  struct virtq_used *used;

  // Only the disk task touches what follows; lock is held while it
  // changes the queue (the injected deadlock takes it twice).
  struct drvlock lock;
  char free[NUM];     // descriptor i is unused
  uint16 used_idx;    // used-ring entries processed so far
  struct drvmsg *info[NUM];   // the request in flight, by its first descriptor
} disk;

static struct drvtask *dt;          // the disk's task
static struct drvmsg diskmsg[NBUF]; // one request per buffer: b is locked while it waits

static void disk_init(struct drvtask *t);
static int disk_restart(struct drvtask *t, int reinit);
static int disk_valid(struct drvtask *t);
static void disk_serve(struct drvtask *t, struct drvmsg *m);

static const struct drvops disk_ops = { disk_init, disk_restart, disk_valid, disk_serve, 0 };

void
virtio_disk_init(void)
{
  disk.desc = kalloc();
  disk.avail = kalloc();
  disk.used = kalloc();
  if(disk.desc == 0 || disk.avail == 0 || disk.used == 0)
    panic("virtio_disk_init: out of memory");
  if((dt = drv_create("disk", &disk_ops, VIRTIO0)) == 0 || dt != &drvtasks[DRV_TASK_DISK])
    panic("virtio_disk_init: no task slot");
}

void
virtio_disk_start(void)
{
  drv_start(dt);
}

// Reset the device and set it up from scratch, on the queue's pages. The
// log's new device life starts with the reset.
static void
disk_device_init(struct drvtask *t)
{
  uint32 status = 0, features;

  if(drv_rd32(t, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MAGIC ||
     drv_rd32(t, VIRTIO_MMIO_VERSION) != 2 ||
     drv_rd32(t, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK ||
     drv_rd32(t, VIRTIO_MMIO_VENDOR_ID) != VIRTIO_VENDOR)
    panic("virtio_disk_init: no modern virtio disk");

  // Reset, then announce ourselves.
  t->init_n = t->log_n;
  drv_wr32(t, VIRTIO_MMIO_STATUS, status);
  status |= VIRTIO_STATUS_ACKNOWLEDGE;
  drv_wr32(t, VIRTIO_MMIO_STATUS, status);
  status |= VIRTIO_STATUS_DRIVER;
  drv_wr32(t, VIRTIO_MMIO_STATUS, status);

  // Feature bits 0-31: accept what the device offers, minus what this
  // driver does not handle.
  drv_wr32(t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
  features = drv_rd32(t, VIRTIO_MMIO_DEVICE_FEATURES);
  features &= ~(1U << VIRTIO_BLK_F_RO);
  features &= ~(1U << VIRTIO_BLK_F_SCSI);
  features &= ~(1U << VIRTIO_BLK_F_CONFIG_WCE);
  features &= ~(1U << VIRTIO_BLK_F_MQ);
  features &= ~(1U << VIRTIO_F_ANY_LAYOUT);
  features &= ~(1U << VIRTIO_RING_F_EVENT_IDX);
  features &= ~(1U << VIRTIO_RING_F_INDIRECT_DESC);
  drv_wr32(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
  drv_wr32(t, VIRTIO_MMIO_DRIVER_FEATURES, features);

  // Feature bits 32-63: only VERSION_1, which a modern driver must accept.
  drv_wr32(t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
  features = drv_rd32(t, VIRTIO_MMIO_DEVICE_FEATURES);
  features &= 1U << (VIRTIO_F_VERSION_1 - 32);
  drv_wr32(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
  drv_wr32(t, VIRTIO_MMIO_DRIVER_FEATURES, features);

  status |= VIRTIO_STATUS_FEATURES_OK;
  drv_wr32(t, VIRTIO_MMIO_STATUS, status);
  if((drv_rd32(t, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0)
    panic("virtio_disk_init: features rejected");

  // Queue 0.
  drv_wr32(t, VIRTIO_MMIO_QUEUE_SEL, 0);
  if(drv_rd32(t, VIRTIO_MMIO_QUEUE_READY))
    panic("virtio_disk_init: queue already in use");
  if(drv_rd32(t, VIRTIO_MMIO_QUEUE_NUM_MAX) < NUM)
    panic("virtio_disk_init: queue too short");

  memset(disk.desc, 0, PGSIZE);
  memset(disk.avail, 0, PGSIZE);
  memset(disk.used, 0, PGSIZE);

  drv_wr32(t, VIRTIO_MMIO_QUEUE_NUM, NUM);
  drv_wr32(t, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint64)disk.desc);
  drv_wr32(t, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint64)disk.desc >> 32);
  drv_wr32(t, VIRTIO_MMIO_DRIVER_DESC_LOW, (uint64)disk.avail);
  drv_wr32(t, VIRTIO_MMIO_DRIVER_DESC_HIGH, (uint64)disk.avail >> 32);
  drv_wr32(t, VIRTIO_MMIO_DEVICE_DESC_LOW, (uint64)disk.used);
  drv_wr32(t, VIRTIO_MMIO_DEVICE_DESC_HIGH, (uint64)disk.used >> 32);
  drv_wr32(t, VIRTIO_MMIO_QUEUE_READY, 1);

  status |= VIRTIO_STATUS_DRIVER_OK;
  drv_wr32(t, VIRTIO_MMIO_STATUS, status);
}

// The driver's software state, for a device whose queue holds nothing.
static void
disk_software_init(void)
{
  disk.lock.held = 0;
  for(int i = 0; i < NUM; i++){
    disk.free[i] = 1;
    disk.info[i] = 0;
  }
  disk.used_idx = disk.used->idx;
}

static void
disk_init(struct drvtask *t)
{
  disk_device_init(t);
  disk_software_init();
}

// Let the device finish every request the available ring gave it (the
// failed task may have published one without notifying). 0 if it does not
// within DRV_DRAIN_WAIT: then only a reset helps.
static int
disk_drain(struct drvtask *t)
{
  uint64 start = r_time();

  drv_wr32(t, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
  while(disk.used->idx != disk.avail->idx){
    if(r_time() - start > DRV_DRAIN_WAIT)
      return 0;
  }
  __sync_synchronize();
  return 1;
}

static int
disk_restart(struct drvtask *t, int reinit)
{
  if(!reinit && !disk_drain(t))
    reinit = 1;
  if(reinit)
    disk_device_init(t);
  disk_software_init();
  return reinit;
}

// The validator. Walks the log from the device's last reset (or from the
// oldest access the log still holds, in a device set up long ago) and
// checks each write against virtio-mmio's legal sequence: STATUS grows one
// bit at a time, ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, after a
// reset that only starts a life; feature words are written between DRIVER
// and FEATURES_OK, the queue between FEATURES_OK and DRIVER_OK;
// afterwards only QUEUE_NOTIFY of queue 0; INTERRUPT_ACK of the two
// interrupt bits at any time (an interrupt of the device's previous life
// may arrive while it is set up again); never a read-only register.
static int
disk_valid(struct drvtask *t)
{
  static const uint32 next_bit[] = {
    VIRTIO_STATUS_ACKNOWLEDGE, VIRTIO_STATUS_DRIVER,
    VIRTIO_STATUS_FEATURES_OK, VIRTIO_STATUS_DRIVER_OK,
  };
  uint32 status, step;
  uint64 n = t->init_n;
  struct drvio *e;

  if(drv_log_at(t, n) == 0){
    n = t->log_n > DRV_LOG_SIZE ? t->log_n - DRV_LOG_SIZE : 0;
    status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
             VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK;
    step = 4;
  } else {
    status = 0;
    step = 0;
  }
  for(; (e = drv_log_at(t, n)) != 0; n++){
    if(!e->write)
      continue;
    switch(e->off){
    case VIRTIO_MMIO_STATUS:
      if(e->val == 0 && n == t->init_n)
        break;
      if(step == 4 || e->val != (status | next_bit[step]))
        return 0;
      status = e->val;
      step++;
      break;
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
    case VIRTIO_MMIO_DRIVER_FEATURES:
      if(step != 2)
        return 0;
      break;
    case VIRTIO_MMIO_QUEUE_SEL:
    case VIRTIO_MMIO_QUEUE_NUM:
    case VIRTIO_MMIO_QUEUE_READY:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_DRIVER_DESC_LOW:
    case VIRTIO_MMIO_DRIVER_DESC_HIGH:
    case VIRTIO_MMIO_DEVICE_DESC_LOW:
    case VIRTIO_MMIO_DEVICE_DESC_HIGH:
      if(step != 3)
        return 0;
      break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
      if(step != 4 || e->val != 0)
        return 0;
      break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
      if((e->val & ~3U) != 0)
        return 0;
      break;
    default:
      return 0;
    }
  }
  return 1;
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

// The client's side: send b's request to the task and wait for the reply.
void
virtio_disk_rw(struct buf *b, int write)
{
  struct drvmsg *m = &diskmsg[b - bcache.buf];

  if(b < bcache.buf || b >= bcache.buf + NBUF)
    panic("virtio_disk_rw: not a cached buffer");
  m->op = write ? DRV_WRITE : DRV_READ;
  m->b = b;
  m->status = 0xff;
  b->disk = 1;
  drv_call(dt, m);
}

// Take the device's completions. One request is in flight at most, so
// anything else in the used ring means the driver's state is corrupt.
// Returns whether m is done.
static int
disk_collect(struct drvtask *t, struct drvmsg *m)
{
  int done = 0;

  __sync_synchronize();
  while(disk.used_idx != disk.used->idx){
    int id;

    if((uint16)(disk.used->idx - disk.used_idx) != 1)
      drv_panic(t, "used ring out of step");
    // Read the entry only after seeing the index that covers it.
    __sync_synchronize();
    id = disk.used->ring[disk.used_idx % NUM].id;
    if(id < 0 || id >= NUM || disk.info[id] != m)
      drv_panic(t, "bad completion");
    if(m->status != 0)
      panic("virtio_disk: disk I/O error");
    disk.info[id] = 0;
    free_chain(id);
    disk.used_idx += 1;
    done = 1;
  }
  return done;
}

// One request, from taking it to the reply. The injected faults fire at
// the points the campaign names (docs/drivers.md).
static void
disk_serve(struct drvtask *t, struct drvmsg *m)
{
  struct buf *b = m->b;
  int write = m->op == DRV_WRITE;
  int idx[3];

  if(m->resubmitted && m->status == 0){
    // The device finished it before the restart: answer, do not redo.
    t->st.answered++;
    b->disk = 0;
    drv_reply(t, m);
    return;
  }

  drv_lock(t, &disk.lock);
  if(drv_take_fault(t, DRV_F_DEADLOCK))
    drv_lock(t, &disk.lock);    // held already: sleeps for ever
  if(alloc3_desc(idx) != 0)
    drv_panic(t, "no free descriptors");

  m->hdr.type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
  m->hdr.reserved = 0;
  m->hdr.sector = b->blockno * (BSIZE / 512);
  m->status = 0xff;   // the device sets 0 on success

  disk.desc[idx[0]].addr = (uint64)&m->hdr;
  disk.desc[idx[0]].len = sizeof(m->hdr);
  disk.desc[idx[0]].flags = VRING_DESC_F_NEXT;
  disk.desc[idx[0]].next = idx[1];

  disk.desc[idx[1]].addr = (uint64)b->data;
  disk.desc[idx[1]].len = BSIZE;
  disk.desc[idx[1]].flags = VRING_DESC_F_NEXT | (write ? 0 : VRING_DESC_F_WRITE);
  disk.desc[idx[1]].next = idx[2];

  disk.desc[idx[2]].addr = (uint64)&m->status;
  disk.desc[idx[2]].len = 1;
  disk.desc[idx[2]].flags = VRING_DESC_F_WRITE;
  disk.desc[idx[2]].next = 0;

  disk.info[idx[0]] = m;
  if(drv_take_fault(t, DRV_F_CRASH))
    *(volatile uint64 *)wild_addr = 0;   // a wild pointer before publishing
  if(drv_take_fault(t, DRV_F_LOCKCRASH)){
    acquire(&t->lock);                   // ... inside a section under the task lock
    *(volatile uint64 *)wild_addr = 0;
  }

  disk.avail->ring[disk.avail->idx % NUM] = idx[0];
  // The device must see the descriptors and the ring entry before the
  // new index, and the new index before the notification.
  __sync_synchronize();
  disk.avail->idx += 1;
  __sync_synchronize();
  if(drv_take_fault(t, DRV_F_BADWRITE))
    drv_wr32(t, VIRTIO_MMIO_STATUS, 0);   // resets the device behind our back
  drv_wr32(t, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
  if(drv_take_fault(t, DRV_F_LOOP))
    for(;;)
      asm volatile("");
  if(drv_take_fault(t, DRV_F_CORRUPT))
    disk.used_idx += NUM / 2 + 1;
  drv_unlock(t, &disk.lock);

  do
    drv_wait_event(t);
  while(!disk_collect(t, m));
  b->disk = 0;
  drv_reply(t, m);
}

// The kernel's half of the interrupt: acknowledge it (a completion that
// arrives meanwhile raises a new one) and tell the task.
void
virtio_disk_intr(void)
{
  drv_wr32(dt, VIRTIO_MMIO_INTERRUPT_ACK, drv_rd32(dt, VIRTIO_MMIO_INTERRUPT_STATUS) & 0x3);
  drv_notify(dt);
}

#if RECOVERY
// The queue's page addresses, for Ev6's surgery on the disk object.
static struct virtq_desc *desc_copy;
static struct virtq_avail *avail_copy;
static struct virtq_used *used_copy;

uint64
disk_register(void)
{
  ev6_registry_add(EV6_T_DISK, &disk, 1, sizeof(disk));
  desc_copy = disk.desc;
  avail_copy = disk.avail;
  used_copy = disk.used;
  return sizeof(desc_copy) + sizeof(avail_copy) + sizeof(used_copy);
}

// Surgery for an error in the disk driver's state, taken by the disk task
// itself (the only code that touches it): put the page addresses back
// and let the task's restart rebuild the rest (disk_software_init) and
// resubmit its request, as after any driver failure (drv.c).
int
disk_recover(struct ev6_error *e)
{
  disk.desc = desc_copy;
  disk.avail = avail_copy;
  disk.used = used_copy;
  ev6_poison_clear(&disk, sizeof(disk));
  return 0;
}
#endif
