#ifndef WGMESH_CSQLITE_SHIM_H
#define WGMESH_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift
 * cannot import: this hands the same destructor to Swift as a function. */
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
