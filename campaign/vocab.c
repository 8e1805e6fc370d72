// vocab.c - the object types a scenario may name (see vocab.h).
#include <string.h>

#include "kernel/ev6_types.h"
#include "campaign/db.h"
#include "campaign/vocab.h"

#define TYPE_NAME(upper, lower) #lower,
#define PART_NAME(lower) #lower,

static const char *const all_names[] = { EV6_TYPES(TYPE_NAME) EV6_PARTS(PART_NAME) NULL };
static const char *const part_names[] = { EV6_PARTS(PART_NAME) NULL };

// Without the first type, EV6_T_UNKNOWN: what the registry says of an
// address it does not know, nothing a scenario can aim at.
_Static_assert(EV6_T_UNKNOWN == 0, "EV6_TYPES must start with UNKNOWN");
const char *const *const object_names = all_names + 1;

static int
in(const char *const *set, const char *name)
{
  for(; *set; set++)
    if(strcmp(*set, name) == 0)
      return 1;
  return 0;
}

int
is_object_name(const char *name)
{
  return in(object_names, name);
}

int
is_object_part(const char *name)
{
  return in(part_names, name);
}

// Nothing to free.
void
object_types_sync(sqlite3 *db)
{
  sqlite3_stmt *st = db_prepare(db,
    "INSERT INTO object_types (name, kind) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING");

  for(int i = 0; object_names[i]; i++){
    sqlite3_reset(st);
    db_bind_text(st, 1, object_names[i]);
    db_bind_text(st, 2, is_object_part(object_names[i]) ? "part" : "object");
    db_step(st);
  }
  sqlite3_finalize(st);
}
