#ifndef CMNL_SHIM_H
#define CMNL_SHIM_H
// libmnl plus the kernel's netlink, genetlink, rtnetlink and WireGuard UAPI
// headers, so one import gives Swift every constant it needs.
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/wireguard.h>
#include <net/if.h>
#include <sys/socket.h>

// MNL_SOCKET_BUFFER_SIZE is a macro over sysconf(), which Swift cannot
// import; wrap it so the receive path sizes buffers the way libmnl intends.
static inline size_t cmnl_socket_buffer_size(void) {
	return MNL_SOCKET_BUFFER_SIZE;
}

#endif
