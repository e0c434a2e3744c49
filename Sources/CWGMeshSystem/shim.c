// SPDX-License-Identifier: Apache-2.0
// See CWGMeshSystem.h: wrappers for calls glibc declares only under _GNU_SOURCE.
#define _GNU_SOURCE
#include <sched.h>
#include <spawn.h>
#include <sys/socket.h>

#include "CWGMeshSystem.h"

int wgm_setns(int fd, int nstype)
{
	return setns(fd, nstype);
}

int wgm_spawn_file_actions_addclosefrom(void *actions, int from)
{
	return posix_spawn_file_actions_addclosefrom_np(
		(posix_spawn_file_actions_t *)actions, from);
}

int wgm_clone_newnet(void)
{
	return CLONE_NEWNET;
}

int wgm_unix_peer_pid(int fd)
{
	struct ucred credentials;
	socklen_t length = sizeof(credentials);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0)
		return -1;
	return credentials.pid;
}
