/* SPDX-License-Identifier: Apache-2.0 */
#include "verify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "caps.h"
#include "host.h"
#include "scstrength.h"
#include "util.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

int verify_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int verify_pidfd_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static void after_execve(struct procview *v)
{
	uint64_t gain = v->cap_amb | (v->uid == 0 ? v->cap_inh | v->cap_bnd : 0);

	v->cap_prm |= gain;
	v->cap_eff |= gain;
}

/* Every capability the config's sets name, read as leniently as a runtime
 * reads them: what no process of the container may exceed. */
static uint64_t config_grants(const struct spec *s)
{
	uint64_t m = 0;

	for (int i = 0; i < CS_COUNT; i++) {
		const struct jval *set = s->capset[i];
		for (uint32_t k = 0; set != NULL && set->type == J_ARRAY && k < set->len; k++) {
			int cap = set->u.items[k].type == J_STRING
					  ? caps_from_loose(set->u.items[k].u.str) : -1;
			if (cap >= 0)
				m |= 1ull << cap;
		}
	}
	return m;
}

/* Whether /proc/TID/stat shows a task that exited (Z, X): it holds
 * nothing any more.  A task that cannot be read counts as gone too. */
static bool task_exited(pid_t tid)
{
	char path[64];
	struct oh_buf b = { 0 };
	bool gone = true;

	snprintf(path, sizeof(path), "/proc/%ld", (long)tid);
	cleanup_close int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && oh_read_at(fd, "stat", 64 * 1024, &b) == 0) {
		const char *p = strrchr(b.data, ')');
		gone = p == NULL || p[1] != ' ' || strchr("ZXx", p[2]) != NULL;
	}
	oh_buf_free(&b);
	return gone;
}

/* The tids of a process other than itself, appended to k; threads that
 * exited (a main thread that ended before the others does not go away
 * until they do) are left out. */
static void add_threads_of(pid_t pid, struct kernel_view *k, size_t *cap)
{
	char path[64];
	cleanup_dir DIR *d = NULL;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long tid = strtol(e->d_name, &end, 10);
		struct kernel_proc kp = { 0 };
		struct oh_error ignored;

		if (e->d_name[0] < '0' || e->d_name[0] > '9' || *end != '\0' || tid == pid ||
		    task_exited((pid_t)tid))
			continue;
		kp.pid = (pid_t)tid;
		/* A thread gone meanwhile holds nothing any more. */
		if (procview_read(kp.pid, &kp.v, &ignored) < 0)
			continue;
		if (k->nprocs == *cap) {
			*cap = *cap * 2 + 8;
			k->procs = xrealloc(k->procs, *cap * sizeof(*k->procs));
		}
		k->procs[k->nprocs++] = kp;
	}
}

void verify_add_threads(struct kernel_view *k)
{
	size_t n = k->nprocs, cap = k->nprocs;

	for (size_t i = 0; i < n; i++)
		add_threads_of(k->procs[i].pid, k, &cap);
}

static void progs_free(struct oh_bpf_prog *progs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		oh_bpf_prog_free(&progs[i]);
	free(progs);
}

/*
 * The filters of task tid, newest first, read while the task sits in a
 * ptrace stop (the kernel hands them only to a tracer of a stopped task).
 * PTRACE_SEIZE and PTRACE_INTERRUPT send no signal: the task resumes at
 * the detach as if nothing happened; a system call it slept in restarts.
 * Returns 1 when the task is gone.
 */
static int read_filters(pid_t tid, int count, struct oh_bpf_prog **out, size_t *n,
			struct oh_error *err)
{
	int status, rc = 0;
	struct oh_bpf_prog *progs = NULL;
	size_t got = 0;

	*out = NULL;
	*n = 0;
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0)
		return errno == ESRCH ? 1 : oh_err(err, errno, "task %ld: cannot attach to "
						   "read its seccomp filters", (long)tid);
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0) {
		rc = errno == ESRCH ? 1 : oh_err(err, errno, "task %ld: cannot stop it to read "
						 "its seccomp filters", (long)tid);
		goto detach;
	}
	/* Bounded: a task that cannot stop (a vfork parent waits for its
	 * child's exec or exit and takes no ptrace stop meanwhile) would hold
	 * the wrapper for ever. */
	struct timespec t0, now;
	/* A running task stops within microseconds: poll briefly first, then
	 * back off, so that the read costs a container start little. */
	long nap_us = 20;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t w = waitpid(tid, &status, __WALL | WNOHANG);
		if (w == tid)
			break;
		if (w < 0 && errno != EINTR) {
			rc = oh_err(err, errno, "task %ld: waiting for its ptrace stop", (long)tid);
			goto detach;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >=
		    VERIFY_STOP_WAIT_MS) {
			rc = oh_err(err, 0, "task %ld: no ptrace stop within %d ms (a task "
				    "waiting for a vfork child takes none), so its seccomp "
				    "filters cannot be read", (long)tid, VERIFY_STOP_WAIT_MS);
			goto detach;
		}
		nanosleep(&(struct timespec){ 0, nap_us * 1000 }, NULL);
		nap_us = nap_us < 5000 ? nap_us * 2 : 5000;
	}
	if (!WIFSTOPPED(status)) {
		rc = 1;   /* it exited meanwhile */
		goto out;
	}
	/* The kernel keeps at most 32768 instructions of filters per task,
	 * each counted with 4 more: a count beyond that is a lie. */
	if (count < 0 || count > 32768 / 5) {
		rc = oh_err(err, 0, count < 0 ? "task %ld: the kernel does not say how many "
			    "seccomp filters it has" : "task %ld: more seccomp filters than the "
			    "kernel keeps", (long)tid);
		goto detach;
	}
	progs = xcalloc((size_t)count + 1, sizeof(*progs));
	for (; got < (size_t)count; got++) {
		long len = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)got, NULL);
		if (len <= 0 || len > BPF_MAXINSNS) {
			rc = oh_err(err, len < 0 ? errno : 0, "task %ld: cannot read its seccomp "
				    "filter %zu%s", (long)tid, got,
				    len < 0 && (errno == EACCES || errno == EPERM)
					    ? " (it takes CAP_SYS_ADMIN, and no seccomp filter on "
					      "the reader)" : "");
			goto detach;
		}
		progs[got].insns = xcalloc((size_t)len, sizeof(struct sock_filter));
		progs[got].len = (size_t)len;
		if (ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)got, progs[got].insns) != len) {
			got++;
			rc = oh_err(err, errno, "task %ld: its seccomp filter %zu changed while "
				    "read", (long)tid, got - 1);
			goto detach;
		}
	}
detach:
	if (ptrace(PTRACE_DETACH, tid, NULL, NULL) < 0 && errno != ESRCH && rc == 0)
		rc = oh_err(err, errno, "task %ld: cannot let it go on", (long)tid);
out:
	if (rc != 0) {
		progs_free(progs, got);
		return rc;
	}
	*out = progs;
	*n = got;
	return 0;
}

/* Reads and judges task kp's filters into kp->v; 1 when it is gone. */
static int judge_filters(struct kernel_proc *kp, struct oh_error *err)
{
	struct oh_bpf_prog *progs;
	size_t n;
	struct oh_sc_strength st;
	int rc;

	if (kp->v.seccomp != 2)
		return 0;
	rc = read_filters(kp->pid, kp->v.seccomp_filters, &progs, &n, err);
	if (rc != 0)
		return rc;
	rc = oh_sc_filters_strength(progs, n, kp->v.cap_bnd, host_facts(), &st, err);
	progs_free(progs, n);
	if (rc < 0)
		return oh_err_wrap(err, "task %ld: its seccomp filters", (long)kp->pid);
	kp->v.filters_read = true;
	kp->v.filters_confining = st.confining;
	oh_sc_strength_list(&st, kp->v.filters_allow, sizeof(kp->v.filters_allow));
	return 0;
}

int verify_read_filters(struct kernel_view *k, struct oh_error *err)
{
	for (size_t i = 0; i < k->nprocs; i++) {
		int rc = judge_filters(&k->procs[i], err);
		if (rc < 0)
			return -1;
		if (rc > 0)   /* gone: nothing of it is left to judge */
			k->procs[i--] = k->procs[--k->nprocs];
	}
	return 0;
}

int verify_judge(struct kernel_view *k, const struct spec *config,
		 const struct policy *p, const struct verify_opts *o,
		 struct decision *d, struct oh_error *err)
{
	if (o->threads)
		verify_add_threads(k);
	if (o->read_filters && verify_read_filters(k, err) < 0)
		return -1;
	for (size_t i = 0; i < k->nprocs; i++)
		after_execve(&k->procs[i].v);
	k->granted_known = true;
	k->granted = config_grants(config);
	rules_judge(&(struct subject){ .on = CTX_KERNEL, .k = k, .ann = config },
		    p, host_facts(), d);
	return 0;
}
