#ifndef CBPF_SHIM_H
#define CBPF_SHIM_H
// libbpf arrives with the eBPF dataplane; the target exists now so the
// package layout is settled and setup installs libbpf-dev from the start.
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#endif
