// vocab.h - the words a scenario may use for what it damages, taken from
// the kernel's own list (kernel/ev6_types.h), so that the kernel, the
// configs, the database and the GDB scripts never disagree.
#ifndef CAMPAIGN_VOCAB_H
#define CAMPAIGN_VOCAB_H

#include <sqlite3.h>

// The object types a scenario may name: every registry type of the kernel
// (EV6_TYPES but "unknown") and the parts of objects (EV6_PARTS), in that
// order; NULL-terminated.
extern const char *const *const object_names;

// Is name one of object_names? Is it a part (reported as its holder)?
int is_object_name(const char *name);
int is_object_part(const char *name);

// Add every name missing from the database's object_types table.
void object_types_sync(sqlite3 *db);

#endif
