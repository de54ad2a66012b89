/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libseccomp, loaded on first use.  The hook's usual path (podman's configs
 * under the bundled profiles) never calls into libseccomp: the bundled
 * profiles are built in as models and judged by oci-harden's own BPF
 * evaluator, and the native architecture is the binary's own
 * (oh_sc_arch_native).  Loading the library at every start cost about
 * 0.025 ms of each hook run (bench/RESULTS.md, run H4), so the binary does
 * not name it among its DT_NEEDED libraries; these functions, with
 * libseccomp's names and prototypes, open it the first time one is
 * called, and every call goes on to libseccomp's own.
 *
 * A library that cannot be loaded ends the process, as the dynamic loader
 * would have ended it at start (with 127): nothing runs on with a missing
 * filter compiler.  The front end that registered a handler
 * (oh_sc_on_load_failure) first records it as any other error of its
 * judgement and picks the status (the audit line; in audit mode an
 * admission); without one the status is 2.
 * The package declares the dependency itself (CMakeLists.txt), since
 * dpkg-shlibdeps sees no DT_NEEDED entry.  A build that links libseccomp
 * statically (OH_STATIC_LIBS) leaves this file out.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>

#include "scload.h"

#ifndef OH_SECCOMP_SONAME
#define OH_SECCOMP_SONAME "libseccomp.so.2"
#endif

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static oh_sc_load_failure_fn on_failure;
static void *on_failure_ctx;

void oh_sc_on_load_failure(oh_sc_load_failure_fn fn, void *ctx)
{
	on_failure = fn;
	on_failure_ctx = ctx;
}

static void fatal(const char *what)
{
	const char *why = dlerror();
	char msg[1024];
	int status = 2;

	snprintf(msg, sizeof(msg), "cannot load %s%s%s: %s", OH_SECCOMP_SONAME,
		 what[0] ? ", symbol " : "", what, why ? why : "unknown error");
	if (on_failure != NULL) {
		/* Once: a handler that reaches libseccomp again ends here. */
		oh_sc_load_failure_fn fn = on_failure;
		on_failure = NULL;
		status = fn(msg, on_failure_ctx);
	} else {
		fprintf(stderr, "oci-harden: %s\n", msg);
	}
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

static void load(void)
{
	/* RTLD_NOW: every symbol bound before the first call, as BIND_NOW
	 * binds the binary's own at start. */
	lib = dlopen(OH_SECCOMP_SONAME, RTLD_NOW | RTLD_LOCAL);
}

static void *sym(const char *name)
{
	/* The failure is handled after pthread_once returns: a handler that
	 * reached libseccomp again from inside it would wait on it for ever. */
	pthread_once(&once, load);
	if (lib == NULL)
		fatal("");
	void *p = dlsym(lib, name);
	if (p == NULL)
		fatal(name);
	return p;
}

/* One function: its pointer resolved once (a race between threads stores
 * the same value). */
#define FORWARD(ret, name, params, args)                                   \
	ret name params                                                     \
	{                                                                   \
		static ret (*fn) params;                                    \
		ret (*f) params = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);   \
		if (f == NULL) {                                            \
			f = (ret (*) params)sym(#name);                     \
			__atomic_store_n(&fn, f, __ATOMIC_RELEASE);         \
		}                                                           \
		return f args;                                              \
	}

#define FORWARD_VOID(name, params, args)                                   \
	void name params                                                    \
	{                                                                   \
		static void (*fn) params;                                   \
		void (*f) params = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);  \
		if (f == NULL) {                                            \
			f = (void (*) params)sym(#name);                    \
			__atomic_store_n(&fn, f, __ATOMIC_RELEASE);         \
		}                                                           \
		f args;                                                     \
	}

FORWARD(const struct scmp_version *, seccomp_version, (void), ())
FORWARD(int, seccomp_api_set, (unsigned int level), (level))
FORWARD(scmp_filter_ctx, seccomp_init, (uint32_t def_action), (def_action))
FORWARD_VOID(seccomp_release, (scmp_filter_ctx ctx), (ctx))
FORWARD(uint32_t, seccomp_arch_resolve_name, (const char *arch_name), (arch_name))
FORWARD(uint32_t, seccomp_arch_native, (void), ())
FORWARD(int, seccomp_arch_add, (scmp_filter_ctx ctx, uint32_t arch_token),
	(ctx, arch_token))
FORWARD(int, seccomp_arch_remove, (scmp_filter_ctx ctx, uint32_t arch_token),
	(ctx, arch_token))
FORWARD(int, seccomp_attr_set,
	(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value),
	(ctx, attr, value))
FORWARD(char *, seccomp_syscall_resolve_num_arch, (uint32_t arch_token, int num),
	(arch_token, num))
FORWARD(int, seccomp_syscall_resolve_name_arch, (uint32_t arch_token, const char *name),
	(arch_token, name))
FORWARD(int, seccomp_syscall_resolve_name, (const char *name), (name))
FORWARD(int, seccomp_rule_add_array,
	(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
	 const struct scmp_arg_cmp *arg_array),
	(ctx, action, syscall, arg_cnt, arg_array))
FORWARD(int, seccomp_notify_alloc,
	(struct seccomp_notif **req, struct seccomp_notif_resp **resp), (req, resp))
FORWARD_VOID(seccomp_notify_free,
	(struct seccomp_notif *req, struct seccomp_notif_resp *resp), (req, resp))
FORWARD(int, seccomp_notify_receive, (int fd, struct seccomp_notif *req), (fd, req))
FORWARD(int, seccomp_notify_respond, (int fd, struct seccomp_notif_resp *resp),
	(fd, resp))
FORWARD(int, seccomp_export_bpf, (const scmp_filter_ctx ctx, int fd), (ctx, fd))
