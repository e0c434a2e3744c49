// SPDX-License-Identifier: Apache-2.0
// Thin wrappers over the glibc calls Swift's Glibc module does not show:
// they sit behind _GNU_SOURCE, which the module map cannot define. Without
// this shim they were looked up by symbol name at run time.
#ifndef CWGMESHSYSTEM_H
#define CWGMESHSYSTEM_H

/// setns(2): moves the calling thread into the namespace open at `fd`
/// (`nstype` 0 for any, or a CLONE_NEW* flag). -1 with errno on failure.
int wgm_setns(int fd, int nstype);

/// posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34 and later): the
/// spawned child closes every descriptor from `from` up. `actions` is a
/// posix_spawn_file_actions_t *, passed as void * so Swift needs no cast.
/// Returns 0, or an errno value (as posix_spawn_file_actions_* do).
int wgm_spawn_file_actions_addclosefrom(void *actions, int from);

/// CLONE_NEWNET from <sched.h>, for wgm_setns.
int wgm_clone_newnet(void);

/// The process id of the peer of the connected Unix socket `fd` (SO_PEERCRED,
/// whose struct ucred is declared only under _GNU_SOURCE), or -1 with errno.
int wgm_unix_peer_pid(int fd);

#endif
