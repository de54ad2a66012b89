/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kernel's view of a running container: the credentials of its
 * processes (procview.h) and the sockets listening in its network namespace,
 * found through the runtime's state directory (runc's, or another runc root
 * such as the one podman uses) or from a host PID.
 *
 * Everything here reads /proc and the state directory; nothing changes the
 * container.  The rules that judge this view live in rules.c
 * (rules_evaluate_kernel), next to the config rules they share ids and
 * thresholds with.
 */
#ifndef OH_INSPECT_H
#define OH_INSPECT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"
#include "procview.h"
#include "spec.h"

struct kernel_proc {
	pid_t pid;
	struct procview v;
};

struct listener {
	char proto[5];                      /* tcp, tcp6, udp, udp6 */
	char address[INET6_ADDRSTRLEN];     /* as inet_ntop writes it */
	bool any;                           /* 0.0.0.0 or :: */
	unsigned port;
	unsigned long inode;
	pid_t pid;                          /* owner, 0 when not visible */
	char process[32];                   /* owner's comm, "" when not visible */
};

struct kernel_view {
	/* procs[0] is the container's init, or the PID named; the others are
	 * the rest of the container's cgroup, by pid. */
	struct kernel_proc *procs;
	size_t nprocs;
	struct listener *listening;         /* sorted by proto, port, address */
	size_t nlistening;
	/* The verifier's: every capability the container's config grants
	 * (the union of its sets), which no process may exceed. */
	bool granted_known;
	uint64_t granted;
};

/*
 * Reads the view of process pid.  With container set, every process in
 * pid's cgroup joins it (what `runc ps` lists); without, pid alone.  The
 * listeners are those of pid's network namespace, each with its owner where
 * this process may read the owner's fd table.  Fails with errnum ESRCH when
 * pid is gone.
 */
int inspect_pid(pid_t pid, bool container, struct kernel_view *k,
		struct oh_error *err);
void kernel_view_free(struct kernel_view *k);

/*
 * Parses the text of /proc/PID/net/{tcp,tcp6,udp,udp6} (proto names which)
 * and appends the listening sockets: TCP in state LISTEN, UDP unconnected
 * (state CLOSE, no remote port), as `netstat -l` counts them.
 */
int inspect_parse_net(const char *text, const char *proto,
		      struct listener **out, size_t *n, struct oh_error *err);

/* A runc container as its state directory describes it. */
struct runc_state {
	char *id;
	pid_t pid;                    /* init_process_pid */
	unsigned long long start;     /* init_process_start, in clock ticks */
	bool created;                 /* exec.fifo exists: created, not started */
	bool running;                 /* pid is alive and is the same process */
	struct jdoc *doc;             /* holds the annotations */
	struct jval *annotations;     /* object of strings (from config.labels) */
};

/* Whether pid is alive and started at start (clock ticks since boot,
 * field 22 of /proc/PID/stat): not a pid reused by another process. */
bool inspect_same_process(pid_t pid, unsigned long long start);

/*
 * Reads ROOT/ID/state.json without following symlinks.  A container whose
 * init process is gone (or whose pid now names another process) is read
 * with running false.  Fails with errnum ENOENT when there is no such
 * container.
 */
int runc_state_read(const char *root, const char *id, struct runc_state *st,
		    struct oh_error *err);
void runc_state_free(struct runc_state *st);

/*
 * Adds to k every process the runtime's state st puts in the container:
 * those of each cgroup its cgroup_paths record, on every hierarchy, and of
 * every cgroup below them, other than st's init, by their live task (a
 * process whose main thread exited stands by a live thread).  Fails when
 * the state records no cgroup, or a cgroup cannot be read.
 */
int inspect_add_cgroup_members(struct kernel_view *k, const struct runc_state *st,
			       struct oh_error *err);

/* The container ids in a runc root, sorted; an absent root has none. */
int runc_list(const char *root, char ***ids, size_t *n, struct oh_error *err);

#endif
