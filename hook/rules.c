/* SPDX-License-Identifier: Apache-2.0 */
#include "rules.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "inspect.h"
#include "policy.h"
#include "rootfs.h"
#include "seccomp.h"
#include "util.h"

/* ------------------------------------------------------------ catalogue */

const struct rule_info rule_table[RULE_COUNT] = {
	[R_NO_NEW_PRIVILEGES] = {
		.id = "no-new-privileges", .default_action = ACT_FIX, .fixable = true,
		.summary = "The process must run with no-new-privileges, so setuid "
			   "binaries and file capabilities cannot raise its privileges.",
		.cis = "5.26",
		.cis_title = "Ensure that the container is restricted from acquiring "
			     "additional privileges",
		.help = "run with --security-opt no-new-privileges, or set "
			"process.noNewPrivileges to true",
	},
	[R_CAP_ALL] = {
		.id = "cap-all", .default_action = ACT_DENY, .fixable = true,
		.summary = "No capability set may hold all or nearly all capabilities "
			   "(what --privileged and --cap-add=all grant).",
		.cis = "5.4, 5.5",
		.cis_title = "Ensure that Linux kernel capabilities are restricted "
			     "within containers; ensure that privileged containers "
			     "are not used",
		.help = "drop --privileged and --cap-add=all; add only the "
			"capabilities the workload needs with --cap-add",
	},
	[R_CAP_NOT_ALLOWED] = {
		.id = "cap-not-allowed", .default_action = ACT_FIX, .fixable = true,
		.summary = "Capabilities outside the policy's allowlist are removed "
			   "from every set.",
		.cis = "5.4",
		.cis_title = "Ensure that Linux kernel capabilities are restricted "
			     "within containers",
		.help = "drop the capability (--cap-drop), or add it to "
			"capabilities.allowed in the policy if the workload needs it",
	},
	[R_SECCOMP_UNCONFINED] = {
		.id = "seccomp-unconfined", .default_action = ACT_FIX, .fixable = true,
		.summary = "The container must run under a seccomp filter that "
			   "denies something.",
		.cis = "5.22",
		.cis_title = "Ensure that the default seccomp profile is not disabled",
		.help = "remove --security-opt seccomp=unconfined, or give a "
			"confining profile with --security-opt seccomp=FILE",
	},
	[R_APPARMOR_UNCONFINED] = {
		.id = "apparmor-unconfined", .default_action = ACT_FIX, .fixable = true,
		.summary = "The process must not run AppArmor-unconfined (where the "
			   "host has AppArmor it must have a profile).",
		.cis = "5.2",
		.cis_title = "Ensure that, if applicable, an AppArmor profile is enabled",
		.help = "remove --security-opt apparmor=unconfined; on AppArmor hosts "
			"run with a profile (--security-opt apparmor=PROFILE)",
	},
	[R_PRIVILEGED] = {
		.id = "privileged", .default_action = ACT_DENY, .fixable = false,
		.summary = "The container must not be privileged: all capabilities, "
			   "no seccomp and no masked paths together.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.help = "run without --privileged",
	},
	[R_MASKED_PATHS_REMOVED] = {
		.id = "masked-paths-removed", .default_action = ACT_WARN, .fixable = true,
		.summary = "Kernel files that leak host information (/proc/kcore, "
			   "/proc/keys, /sys/firmware, ...) must stay masked.",
		.cis = "5.5",
		.cis_title = "Ensure that privileged containers are not used",
		.help = "do not unmask paths (--security-opt unmask=...); keep the "
			"engine's default maskedPaths",
	},
	[R_HOST_NAMESPACES] = {
		.id = "host-namespaces", .default_action = ACT_WARN, .fixable = false,
		.summary = "The container must have its own pid, ipc, uts, network "
			   "and mount namespaces, not the host's.",
		.cis = "5.10, 5.16, 5.17, 5.21",
		.cis_title = "Ensure that the host's network, process, IPC and UTS "
			     "namespaces are not shared",
		.help = "do not run with --network=host, --pid=host, --ipc=host or "
			"--uts=host",
	},
	[R_ROOT_USER] = {
		.id = "root-user", .default_action = ACT_WARN, .fixable = false,
		.summary = "The process should run as a non-root user.",
		.cis = "4.1",
		.cis_title = "Ensure that a user for the container has been created",
		.help = "run as an unprivileged user (--user UID:GID, or USER in the "
			"image)",
	},
	[R_WRITABLE_ROOTFS] = {
		.id = "writable-rootfs", .default_action = ACT_WARN, .fixable = true,
		.summary = "The root filesystem should be mounted read-only.",
		.cis = "5.13",
		.cis_title = "Ensure that the container's root filesystem is mounted "
			     "as read only",
		.help = "run with --read-only and mount writable volumes or tmpfs "
			"where the workload writes",
	},
	[R_SELINUX_DISABLED] = {
		.id = "selinux-disabled", .default_action = ACT_WARN, .fixable = false,
		.summary = "Where the host has SELinux, the process must run with a "
			   "confining label (not disabled, not spc_t).",
		.cis = "5.3",
		.cis_title = "Ensure that, if applicable, SELinux security options "
			     "are set",
		.help = "remove --security-opt label=disable and label=type:spc_t",
	},
	[R_LISTENING_ALL_INTERFACES] = {
		.id = "listening-all-interfaces", .default_action = ACT_WARN,
		.fixable = false,
		.summary = "A service in a running container should listen on the "
			   "address it serves, not on every interface (0.0.0.0 or ::); "
			   "judged by `inspect` on the kernel's sockets.",
		.cis = "5.9, 5.14",
		.cis_title = "Ensure that only needed ports are open on the container; "
			     "ensure that incoming container traffic is bound to a "
			     "specific host interface",
		.help = "bind the service to the address it must serve (127.0.0.1 "
			"for a sidecar's local port), and publish ports on a specific "
			"host address (-p IP:PORT:PORT)",
	},
	[R_SUID_FILES] = {
		.id = "suid-files", .default_action = ACT_WARN, .fixable = false,
		.summary = "The root filesystem should hold no setuid or setgid files: "
			   "without no-new-privileges they raise the privileges of "
			   "whoever runs them.",
		.cis = "4.8",
		.cis_title = "Ensure setuid and setgid permissions are removed",
		.help = "remove the bits when building the image (find / -xdev -perm "
			"/6000 -type f -exec chmod a-s {} +) and run with "
			"no-new-privileges",
	},
	[R_PHONE_HOME_TOOLS] = {
		.id = "phone-home-tools", .default_action = ACT_WARN, .fixable = false,
		.summary = "The root filesystem should not hold tools that download or "
			   "send data over the network (wget, curl, nc, netcat), which an "
			   "intruder uses to fetch payloads and exfiltrate data.",
		.cis = "4.3",
		.cis_title = "Ensure that unnecessary packages are not installed in "
			     "the container",
		.help = "build on a distroless or scratch base, or remove the tools "
			"(and busybox's wget and nc applets) from the image",
	},
	[R_PACKAGE_MANAGER] = {
		.id = "package-manager", .default_action = ACT_WARN, .fixable = false,
		.summary = "The root filesystem should not hold package managers (apt, "
			   "dpkg, apk, dnf, yum, pip), which let an intruder install "
			   "tools.",
		.cis = "4.3",
		.cis_title = "Ensure that unnecessary packages are not installed in "
			     "the container",
		.help = "install in a build stage and copy only the application into a "
			"minimal runtime image",
	},
	[R_COMPILER] = {
		.id = "compiler", .default_action = ACT_WARN, .fixable = false,
		.summary = "The root filesystem should not hold compilers or build "
			   "tools (cc, gcc, make), which let an intruder build tools in "
			   "place.",
		.cis = "4.3",
		.cis_title = "Ensure that unnecessary packages are not installed in "
			     "the container",
		.help = "compile in a build stage and copy only the result into the "
			"runtime image",
	},
	[R_HOST_LISTENING_ALL_INTERFACES] = {
		.id = "host-listening-all-interfaces", .default_action = ACT_WARN,
		.fixable = false,
		.summary = "A service of the container host itself should listen on "
			   "the address it serves, not on every interface; judged by "
			   "`host` on the host's network namespace.",
		.cis = "1.2.1",
		.cis_title = "Ensure the container host has been Hardened",
		.help = "stop the service if it is not needed, bind it to 127.0.0.1 "
			"or ::1 if only local clients use it, and make it authenticate "
			"its clients if it must be reachable",
	},
	[R_HOST_MAC_DISABLED] = {
		.id = "host-mac-disabled", .default_action = ACT_WARN, .fixable = false,
		.summary = "The host should run a mandatory access control (AppArmor "
			   "or SELinux), enabled and enforcing, so engines can confine "
			   "containers with profiles or labels.",
		.cis = "1.2.1, 5.2, 5.3",
		.cis_title = "Ensure the container host has been Hardened; ensure that, "
			     "if applicable, an AppArmor profile is enabled; ensure that, "
			     "if applicable, SELinux security options are set",
		.help = "enable AppArmor (apparmor=1 security=apparmor on the kernel "
			"command line, the apparmor package) or SELinux in enforcing mode",
	},
	[R_HOST_END_OF_LIFE] = {
		.id = "host-end-of-life", .default_action = ACT_WARN, .fixable = false,
		.summary = "The host's distribution release should still have regular "
			   "security support (Debian's distro-info-data dates).",
		.cis = "1.2.1",
		.cis_title = "Ensure the container host has been Hardened",
		.help = "upgrade to a supported release, or subscribe to the extended "
			"support (LTS, ELTS, ESM) the report names until then",
	},
	[R_HOST_RUNTIME_VULNERABLE] = {
		.id = "host-runtime-vulnerable", .default_action = ACT_DENY,
		.fixable = false,
		.summary = "The OCI runtimes (runc, crun) must not be older than the "
			   "fixes of known container escapes, unless the distribution's "
			   "changelog names the backported fix.",
		.cis = "1.2.2",
		.cis_title = "Ensure that the version of Docker is up to date",
		.help = "upgrade the runtime package (apt-get install --only-upgrade "
			"runc crun) or replace a locally installed binary with a fixed "
			"release",
	},
	[R_HOST_ENGINE_UNHARDENED] = {
		.id = "host-engine-unhardened", .default_action = ACT_WARN,
		.fixable = false,
		.summary = "Every engine installed should start its containers through "
			   "oci-harden: its hooks (podman, CRI-O) or its runtime wrapper "
			   "(Docker, containerd, CRI-O).",
		.cis = "5.4, 5.22, 5.26",
		.cis_title = "Ensure that Linux kernel capabilities are restricted within "
			     "containers; ensure that the default seccomp profile is not "
			     "disabled; ensure that the container is restricted from "
			     "acquiring additional privileges",
		.help = "install the hooks.d files (cmake --install, or the .deb) for "
			"podman and CRI-O, and make oci-harden-runtime the default "
			"runtime of Docker, containerd and CRI-O (README: the runtime "
			"wrapper)",
	},
	[R_HOST_ENGINE_WEAK_DEFAULTS] = {
		.id = "host-engine-weak-defaults", .default_action = ACT_WARN,
		.fixable = false,
		.summary = "An engine's defaults should be what D04 asks: "
			   "no-new-privileges, a seccomp profile, no capabilities beyond "
			   "the allowlist, AppArmor confinement, user namespaces and no "
			   "inter-container traffic on Docker's default bridge.",
		.cis = "2.2, 2.9, 2.16, 2.18",
		.cis_title = "Ensure network traffic is restricted between containers "
			     "on the default bridge; enable user namespace support; "
			     "ensure that a daemon-wide custom seccomp profile is applied "
			     "if appropriate; ensure that containers are restricted from "
			     "acquiring new privileges",
		.help = "change the setting named in the engine's configuration file "
			"(daemon.json, containers.conf, crio.conf) and restart the engine",
	},
	[R_HOST_UNNEEDED_SOFTWARE] = {
		.id = "host-unneeded-software", .default_action = ACT_WARN,
		.fixable = false,
		.summary = "A container host should not carry compilers, desktop "
			   "environments or servers it does not need to run containers: "
			   "each is attack surface and a tool for an intruder.",
		.cis = "1.2.1",
		.cis_title = "Ensure the container host has been Hardened",
		.help = "remove the packages (apt-get purge) and build software in "
			"containers or on build machines instead",
	},
};

int rule_by_id(const char *id)
{
	for (int r = 0; r < RULE_COUNT; r++)
		if (strcmp(rule_table[r].id, id) == 0)
			return r;
	return -1;
}

static const char *const action_names[] = {
	[ACT_OFF] = "off", [ACT_WARN] = "warn", [ACT_FIX] = "fix", [ACT_DENY] = "deny",
};

const char *action_name(enum action a)
{
	return action_names[a];
}

int action_parse(const char *s, enum action *out)
{
	for (int a = ACT_OFF; a <= ACT_DENY; a++)
		if (strcmp(action_names[a], s) == 0) {
			*out = (enum action)a;
			return 0;
		}
	return -1;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_COMPLIANT: return "compliant";
	case V_FIXABLE: return "fixable";
	case V_DENIED: return "denied";
	case V_ERROR: return "error";
	}
	return "error";
}

/* --------------------------------------------------------------- checks */

struct ctx {
	const struct spec *s;            /* the config, or only annotations (kernel) */
	const struct kernel_view *k;     /* for the kernel checks */
	const struct rootfs_result *fs;  /* for the rootfs checks */
	const struct policy *p;
	const struct host_facts *h;
	struct decision *d;
	int rule;
	enum action action;
};

void decision_addv(struct decision *d, int rule, enum action a,
		   const char *pointer, const char *fmt, va_list ap)
{
	struct finding *f;

	d->findings = xrealloc(d->findings, (d->nfindings + 1) * sizeof(*f));
	f = &d->findings[d->nfindings++];
	f->rule = rule;
	f->action = a;
	f->pointer = xstrdup(pointer);
	f->line = f->column = 0;
	if (vasprintf(&f->message, fmt, ap) < 0)
		f->message = xstrdup("?");
}

void decision_add(struct decision *d, int rule, enum action a,
		  const char *pointer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	decision_addv(d, rule, a, pointer, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void add(struct ctx *c, const char *pointer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	decision_addv(c->d, c->rule, c->action, pointer, fmt, ap);
	va_end(ap);
}

static void check_nnp(struct ctx *c)
{
	if (c->s->nnp == NULL)
		add(c, "/process/noNewPrivileges",
		    "process.noNewPrivileges is not set: setuid binaries and file "
		    "capabilities can raise the process's privileges");
	else if (c->s->nnp->type != J_TRUE)
		add(c, "/process/noNewPrivileges",
		    "process.noNewPrivileges is false: setuid binaries and file "
		    "capabilities can raise the process's privileges");
}

/* Capabilities of a set as a mask, read as leniently as any runtime would. */
static uint64_t set_mask(const struct jval *set)
{
	uint64_t m = 0;

	for (uint32_t i = 0; set != NULL && i < set->len; i++) {
		int cap = caps_from_loose(set->u.items[i].u.str);
		if (cap >= 0)
			m |= 1ull << cap;
	}
	return m;
}

/*
 * The cap-all criterion: a set holds at least CAPS_BASE_COUNT - 2 of the
 * CAPS_BASE_COUNT capabilities every kernel since 3.16 knows (CAP_CHOWN ..
 * CAP_AUDIT_READ).  Engines build --privileged and --cap-add=all from the
 * host's bounding set, which may lack one or two (this project's CI host
 * lacks CAP_SYS_RESOURCE), and older engines do not know the capabilities
 * added after 3.16; neither should let such a set pass.
 */
#define CAP_ALL_THRESHOLD (CAPS_BASE_COUNT - 2)

bool rules_capmask_is_all(uint64_t mask)
{
	uint64_t base = (1ull << CAPS_BASE_COUNT) - 1;

	return caps_popcount(mask & base) >= CAP_ALL_THRESHOLD;
}

static bool set_is_all(const struct jval *set)
{
	return rules_capmask_is_all(set_mask(set));
}

static void check_cap_all(struct ctx *c)
{
	char sets[128] = "";
	const char *first = NULL;
	int held = 0;

	for (int i = 0; i < CS_COUNT; i++) {
		if (c->s->capset[i] == NULL || !set_is_all(c->s->capset[i]))
			continue;
		if (first == NULL) {
			first = capset_names[i];
			held = caps_popcount(set_mask(c->s->capset[i]));
		}
		if (sets[0])
			strcat(sets, ", ");
		strcat(sets, capset_names[i]);
	}
	if (first != NULL) {
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", first);
		add(c, ptr, "capability sets %s hold all or nearly all capabilities "
		    "(%d of %d): this is what --privileged or --cap-add=all grant",
		    sets, held, caps_known());
	}
}

/* Appends "name" to a comma-separated list once. */
static void list_add(struct oh_buf *b, const char *name)
{
	/* An empty name would match everywhere and never advance the search
	 * below (a hang on ["CAP_BOGUS", ""]); show it as "" instead. */
	if (name[0] == '\0')
		name = "\"\"";
	size_t n = strlen(name);

	for (const char *p = b->data; p != NULL && (p = strstr(p, name)) != NULL; p += n)
		if ((p == b->data || (p - b->data >= 2 && p[-2] == ',')) && (p[n] == '\0' || p[n] == ','))
			return;
	if (b->len > 0)
		oh_buf_puts(b, ", ");
	oh_buf_puts(b, name);
}

static void check_cap_not_allowed(struct ctx *c)
{
	struct oh_buf bad = { 0 }, unknown = { 0 }, sets = { 0 };
	char first[96] = "", first_unknown[96] = "";
	int nbad = 0, nunknown = 0;

	for (int i = 0; i < CS_COUNT; i++) {
		const struct jval *set = c->s->capset[i];
		for (uint32_t k = 0; set != NULL && k < set->len; k++) {
			const char *name = set->u.items[k].u.str;
			int cap = caps_from_exact(name);
			struct oh_buf *list = cap < 0 ? &unknown : &bad;
			char *ptr = cap < 0 ? first_unknown : first;
			size_t before = list->len;

			if (cap >= 0 && (c->p->allowed_caps & (1ull << cap)))
				continue;
			list_add(list, name);
			if (list->len != before)
				(cap < 0 ? nunknown++ : nbad++);
			list_add(&sets, capset_names[i]);
			if (ptr[0] == '\0')
				snprintf(ptr, 96, "/process/capabilities/%s/%u",
					 capset_names[i], k);
		}
	}
	if (nbad == 1)
		add(c, first, "%s (in %s) is not in the allowlist", bad.data, sets.data);
	else if (nbad > 1)
		add(c, first, "%d capabilities are not in the allowlist: %s (in %s)",
		    nbad, bad.data, sets.data);
	if (nunknown > 0)
		add(c, first_unknown, "not capability names as runc reads them: %s",
		    unknown.data);
	oh_buf_free(&bad);
	oh_buf_free(&unknown);
	oh_buf_free(&sets);
}

static void check_seccomp(struct ctx *c)
{
	const struct jval *sc = c->s->seccomp;

	if (sc == NULL) {
		add(c, "/linux/seccomp",
		    "no seccomp profile: every system call is allowed");
		return;
	}
	if (!seccomp_blocks_something(sc)) {
		const struct jval *def = jobj_get(sc, "defaultAction");
		add(c, "/linux/seccomp",
		    "the seccomp profile blocks nothing (defaultAction %s and no rule "
		    "that denies)", def ? def->u.str : "?");
	}
}

static void check_apparmor(struct ctx *c)
{
	const struct jval *a = c->s->apparmor;

	if (a != NULL && strcmp(a->u.str, "unconfined") == 0)
		add(c, "/process/apparmorProfile",
		    "process.apparmorProfile is \"unconfined\"");
	else if (c->h->apparmor && (a == NULL || a->len == 0))
		add(c, "/process/apparmorProfile",
		    "the host has AppArmor but the process has no profile");
}

static bool seccomp_off(const struct spec *s)
{
	return s->seccomp == NULL || !seccomp_blocks_something(s->seccomp);
}

static void check_privileged(struct ctx *c)
{
	const struct jval *bnd = c->s->capset[CS_BOUNDING];

	if (bnd != NULL && set_is_all(bnd) && seccomp_off(c->s) &&
	    (c->s->masked_paths == NULL || c->s->masked_paths->len == 0))
		add(c, "/process/capabilities/bounding",
		    "the container is privileged: all capabilities, no seccomp "
		    "filter and no masked paths");
}

/* What every engine masks by default and no workload needs to read. */
static const char *const core_masked[] = {
	"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug",
	"/sys/firmware",
};
#define N_CORE_MASKED (sizeof(core_masked) / sizeof(core_masked[0]))

static bool masked(const struct spec *s, const char *path)
{
	const struct jval *m = s->masked_paths;

	for (uint32_t i = 0; m != NULL && i < m->len; i++)
		if (strcmp(m->u.items[i].u.str, path) == 0)
			return true;
	return false;
}

static void check_masked(struct ctx *c)
{
	char missing[256] = "";

	for (size_t i = 0; i < N_CORE_MASKED; i++) {
		if (masked(c->s, core_masked[i]))
			continue;
		if (missing[0])
			strcat(missing, ", ");
		strcat(missing, core_masked[i]);
	}
	if (missing[0])
		add(c, "/linux/maskedPaths", "not masked: %s", missing);
}

static void check_namespaces(struct ctx *c)
{
	static const char *const need[] = { "pid", "ipc", "uts", "network", "mount" };
	const struct jval *ns = c->s->namespaces;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		const struct jval *found = NULL;
		uint32_t at = 0;

		for (uint32_t k = 0; ns != NULL && k < ns->len; k++)
			if (jv_is_str(jobj_get(&ns->u.items[k], "type"), need[i])) {
				found = &ns->u.items[k];
				at = k;
			}
		if (found == NULL) {
			add(c, "/linux/namespaces", "the %s namespace is the host's",
			    need[i]);
			continue;
		}
		const struct jval *path = jobj_get(found, "path");
		if (path != NULL && strncmp(path->u.str, "/proc/1/", 8) == 0) {
			char ptr[64];
			snprintf(ptr, sizeof(ptr), "/linux/namespaces/%u/path", at);
			add(c, ptr, "the %s namespace joins the host's (%s)", need[i],
			    path->u.str);
		}
	}
}

static void check_root_user(struct ctx *c)
{
	if (!c->s->has_uid || c->s->uid == 0)
		add(c, "/process/user/uid", "the process runs as root (uid 0)");
}

static void check_rootfs(struct ctx *c)
{
	if (c->s->root_readonly == NULL || c->s->root_readonly->type != J_TRUE)
		add(c, "/root/readonly", "the root filesystem is writable");
}

static void check_selinux(struct ctx *c)
{
	const struct jval *l = c->s->selinux_label;

	if (!c->h->selinux)
		return;
	if (l == NULL || l->len == 0)
		add(c, "/process/selinuxLabel",
		    "the host has SELinux but the process has no label (label=disable)");
	else if (strstr(l->u.str, ":spc_t:") != NULL)
		add(c, "/process/selinuxLabel",
		    "the process runs as spc_t, SELinux's unconfined container type");
}

/* ------------------------------------------------- kernel-view checks */

/*
 * What `inspect` judges on a running container: the same rules, read from
 * /proc instead of the config, over every process of the container (a
 * process started with `runc exec` may hold other credentials than init).
 */

typedef bool (*proc_pred)(const struct ctx *c, const struct procview *v);

/* One finding naming the processes pred picks:
 * "process 10696 (nc) runs WHAT" or "processes 1 (sh), 7 (nc) run WHAT". */
static void add_procs(struct ctx *c, const char *pointer, proc_pred pred,
		      const char *what)
{
	enum { SHOWN = 8 };
	struct oh_buf who = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->k->nprocs; i++) {
		const struct kernel_proc *kp = &c->k->procs[i];
		if (!pred(c, &kp->v))
			continue;
		if (n++ < SHOWN)
			oh_buf_printf(&who, "%s%ld (%s)", n > 1 ? ", " : "",
				      (long)kp->pid, kp->v.comm);
	}
	if (n == 0)
		return;
	if (n > SHOWN)
		oh_buf_printf(&who, " and %zu more", n - SHOWN);
	add(c, pointer, "%s %s %s %s", n == 1 ? "process" : "processes", who.data,
	    n == 1 ? "runs" : "run", what);
	oh_buf_free(&who);
}

static bool without_nnp(const struct ctx *c, const struct procview *v)
{
	(void)c;
	return !v->nnp;
}

static void kcheck_nnp(struct ctx *c)
{
	add_procs(c, "/process/noNewPrivileges", without_nnp,
		  "without no-new-privileges (NoNewPrivs 0): setuid binaries and "
		  "file capabilities can raise privileges");
}

static bool without_seccomp(const struct ctx *c, const struct procview *v)
{
	(void)c;
	return v->seccomp == 0;
}

static void kcheck_seccomp(struct ctx *c)
{
	add_procs(c, "/linux/seccomp", without_seccomp,
		  "without seccomp (Seccomp 0): every system call is allowed");
}

static bool aa_unconfined(const struct ctx *c, const struct procview *v)
{
	(void)c;
	return v->label[0] == '\0' || strcmp(v->label, "unconfined") == 0;
}

static void kcheck_apparmor(struct ctx *c)
{
	/* Without AppArmor on the host there is no label to judge. */
	if (c->h->apparmor)
		add_procs(c, "/process/apparmorProfile", aa_unconfined,
			  "AppArmor-unconfined");
}

static bool se_unconfined(const struct ctx *c, const struct procview *v)
{
	(void)c;
	return v->label[0] == '\0' || strstr(v->label, ":spc_t:") != NULL ||
	       strstr(v->label, ":unconfined_t:") != NULL;
}

static void kcheck_selinux(struct ctx *c)
{
	if (c->h->selinux)
		add_procs(c, "/process/selinuxLabel", se_unconfined,
			  "with no confining SELinux label (none, spc_t or unconfined_t)");
}

static bool as_root(const struct ctx *c, const struct procview *v)
{
	(void)c;
	return v->uid == 0;
}

static void kcheck_root_user(struct ctx *c)
{
	/* /proc shows uids as the host sees them: a rootless container's root
	 * is not host root and does not count. */
	add_procs(c, "/process/user/uid", as_root, "as root (uid 0 on the host)");
}

/* Each capability set over all the container's processes. */
static void kernel_sets(const struct kernel_view *k, uint64_t sets[CS_COUNT])
{
	memset(sets, 0, CS_COUNT * sizeof(sets[0]));
	for (size_t i = 0; i < k->nprocs; i++) {
		const struct procview *v = &k->procs[i].v;
		sets[CS_BOUNDING] |= v->cap_bnd;
		sets[CS_EFFECTIVE] |= v->cap_eff;
		sets[CS_PERMITTED] |= v->cap_prm;
		sets[CS_INHERITABLE] |= v->cap_inh;
		sets[CS_AMBIENT] |= v->cap_amb;
	}
}

static void kcheck_cap_all(struct ctx *c)
{
	uint64_t sets[CS_COUNT];
	struct oh_buf names = { 0 };
	int first = -1;

	kernel_sets(c->k, sets);
	for (int i = 0; i < CS_COUNT; i++) {
		if (!rules_capmask_is_all(sets[i]))
			continue;
		if (first < 0)
			first = i;
		list_add(&names, capset_names[i]);
	}
	if (first >= 0) {
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", capset_names[first]);
		add(c, ptr, "the kernel shows capability sets %s holding all or nearly "
		    "all capabilities (%d of %d): this is what --privileged or "
		    "--cap-add=all grant", names.data, caps_popcount(sets[first]),
		    caps_known());
	}
	oh_buf_free(&names);
}

static void kcheck_cap_not_allowed(struct ctx *c)
{
	uint64_t sets[CS_COUNT], extra = 0;
	struct oh_buf bad = { 0 }, in = { 0 };
	int nbad = 0, first = -1;

	kernel_sets(c->k, sets);
	for (int i = 0; i < CS_COUNT; i++) {
		uint64_t x = sets[i] & ~c->p->allowed_caps;
		if (x == 0)
			continue;
		extra |= x;
		list_add(&in, capset_names[i]);
		if (first < 0)
			first = i;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(extra & (1ull << cap)))
			continue;
		nbad++;
		if (bad.len)
			oh_buf_puts(&bad, ", ");
		if (caps_name(cap))
			oh_buf_puts(&bad, caps_name(cap));
		else
			oh_buf_printf(&bad, "capability %d", cap);
	}
	if (nbad > 0) {
		char ptr[64];
		snprintf(ptr, sizeof(ptr), "/process/capabilities/%s", capset_names[first]);
		if (nbad == 1)
			add(c, ptr, "the kernel shows %s (in %s), which is not in the "
			    "allowlist", bad.data, in.data);
		else
			add(c, ptr, "the kernel shows %d capabilities that are not in the "
			    "allowlist: %s (in %s)", nbad, bad.data, in.data);
	}
	oh_buf_free(&bad);
	oh_buf_free(&in);
}

static void kcheck_listening(struct ctx *c)
{
	enum { SHOWN = 8 };
	struct oh_buf socks = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->k->nlistening; i++) {
		const struct listener *l = &c->k->listening[i];
		if (!l->any)
			continue;
		if (n++ >= SHOWN)
			continue;
		oh_buf_printf(&socks, "%s%s %s%s%s:%u", n > 1 ? ", " : "", l->proto,
			      strchr(l->address, ':') ? "[" : "", l->address,
			      strchr(l->address, ':') ? "]" : "", l->port);
		if (l->pid > 0)
			oh_buf_printf(&socks, " (%s, pid %ld)", l->process, (long)l->pid);
	}
	if (n == 0)
		return;
	if (n > SHOWN)
		oh_buf_printf(&socks, " and %zu more", n - SHOWN);
	/* No config field says where a service binds: the pointer is empty. */
	add(c, "", "%zu %s on every interface: %s", n,
	    n == 1 ? "socket listens" : "sockets listen", socks.data);
	oh_buf_free(&socks);
}

/* -------------------------------------------------------- rootfs checks */

/* One finding listing what the walk found for the current rule. */
static void add_hits(struct ctx *c, const char *one, const char *many,
		     const char *after)
{
	enum { SHOWN = 12 };
	static const char *const bound[] = {
		[ROOTFS_FILE_LIMIT] = "file-count", [ROOTFS_TIME_LIMIT] = "time",
	};
	struct oh_buf m = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < c->fs->nhits; i++)
		n += c->fs->hits[i].rule == c->rule;
	if (n == 0)
		return;
	oh_buf_printf(&m, "%zu %s: ", n, n == 1 ? one : many);
	n = 0;
	for (size_t i = 0; i < c->fs->nhits; i++) {
		const struct rootfs_hit *h = &c->fs->hits[i];
		if (h->rule != c->rule || n++ >= SHOWN)
			continue;
		oh_buf_printf(&m, "%s%s", n > 1 ? ", " : "", h->path);
		if (strncmp(h->detail, "->", 2) == 0)
			oh_buf_printf(&m, " %s", h->detail);
		else if (h->detail[0])
			oh_buf_printf(&m, " (%s)", h->detail);
	}
	if (n > SHOWN)
		oh_buf_printf(&m, " and %zu more", n - SHOWN);
	if (after[0])
		oh_buf_printf(&m, "; %s", after);
	/* A bounded walk may have missed some: say so where it matters. */
	if (c->fs->stop != ROOTFS_COMPLETE)
		oh_buf_printf(&m, "; the walk stopped at its %s limit, there may be more",
			      bound[c->fs->stop]);
	add(c, "/root/path", "%s", m.data);
	oh_buf_free(&m);
}

static void rcheck_suid(struct ctx *c)
{
	bool nnp = c->s->nnp != NULL && c->s->nnp->type == J_TRUE;

	add_hits(c, "file with the setuid or setgid bit",
		 "files with the setuid or setgid bit",
		 nnp ? "the config sets no-new-privileges, so a setuid or setgid "
		       "file cannot raise privileges while it stays set"
		     : "without no-new-privileges a setuid or setgid file raises the "
		       "privileges of whoever runs it");
}

static void rcheck_phone_home(struct ctx *c)
{
	add_hits(c, "tool that downloads or sends data over the network",
		 "tools that download or send data over the network", "");
}

static void rcheck_package_manager(struct ctx *c)
{
	add_hits(c, "package manager", "package managers", "");
}

static void rcheck_compiler(struct ctx *c)
{
	add_hits(c, "compiler or build tool", "compilers or build tools", "");
}

/* ---------------------------------------------------------- the table */

typedef void (*check_fn)(struct ctx *c);

/* What each rule can judge: a config, a running container's kernel view,
 * a walk of the rootfs.  A rule without a check for a subject never fires
 * on it, so the rootfs and listening rules stay silent in plain config
 * checks. */
enum subject { ON_CONFIG, ON_KERNEL, ON_ROOTFS, ON_COUNT };

static const struct {
	check_fn on[ON_COUNT];
} checks[RULE_COUNT] = {
	[R_NO_NEW_PRIVILEGES] = { { check_nnp, kcheck_nnp, NULL } },
	[R_CAP_ALL] = { { check_cap_all, kcheck_cap_all, NULL } },
	[R_CAP_NOT_ALLOWED] = { { check_cap_not_allowed, kcheck_cap_not_allowed, NULL } },
	[R_SECCOMP_UNCONFINED] = { { check_seccomp, kcheck_seccomp, NULL } },
	[R_APPARMOR_UNCONFINED] = { { check_apparmor, kcheck_apparmor, NULL } },
	[R_PRIVILEGED] = { { check_privileged, NULL, NULL } },
	[R_MASKED_PATHS_REMOVED] = { { check_masked, NULL, NULL } },
	[R_HOST_NAMESPACES] = { { check_namespaces, NULL, NULL } },
	[R_ROOT_USER] = { { check_root_user, kcheck_root_user, NULL } },
	[R_WRITABLE_ROOTFS] = { { check_rootfs, NULL, NULL } },
	[R_SELINUX_DISABLED] = { { check_selinux, kcheck_selinux, NULL } },
	[R_LISTENING_ALL_INTERFACES] = { { NULL, kcheck_listening, NULL } },
	[R_SUID_FILES] = { { NULL, NULL, rcheck_suid } },
	[R_PHONE_HOME_TOOLS] = { { NULL, NULL, rcheck_phone_home } },
	[R_PACKAGE_MANAGER] = { { NULL, NULL, rcheck_package_manager } },
	[R_COMPILER] = { { NULL, NULL, rcheck_compiler } },
};

static bool exemption_matches(const struct spec *s, const struct exemption *e)
{
	for (size_t k = 0; k < e->nmatch; k++) {
		const char *v = spec_annotation(s, e->match[k].key);
		if (v == NULL || regexec(&e->match[k].re, v, 0, NULL, 0) != 0)
			return false;
	}
	return true;
}

enum action rules_action_for(const struct spec *s, const struct policy *p,
			     int r, int *exemption)
{
	if (exemption)
		*exemption = -1;
	for (size_t i = 0; i < p->nexemptions; i++) {
		const struct exemption *e = &p->exemptions[i];
		if ((e->rules & (1u << r)) && exemption_matches(s, e)) {
			if (exemption)
				*exemption = (int)i;
			return ACT_OFF;
		}
	}
	return p->action[r];
}

unsigned decision_rules(const struct decision *d, enum action min)
{
	unsigned mask = 0;

	for (size_t i = 0; d != NULL && i < d->nfindings; i++)
		if (d->findings[i].action >= min)
			mask |= 1u << d->findings[i].rule;
	return mask;
}

void rule_ids(unsigned mask, const char *sep, struct oh_buf *out)
{
	bool first = true;

	for (int r = 0; r < RULE_COUNT; r++) {
		if (!(mask & (1u << r)))
			continue;
		if (!first)
			oh_buf_puts(out, sep);
		oh_buf_puts(out, rule_table[r].id);
		first = false;
	}
}

void decision_settle(struct decision *d)
{
	d->verdict = V_COMPLIANT;
	for (size_t i = 0; i < d->nfindings; i++) {
		if (d->findings[i].action == ACT_DENY)
			d->verdict = V_DENIED;
		else if (d->findings[i].action == ACT_FIX && d->verdict != V_DENIED)
			d->verdict = V_FIXABLE;
	}
}

/* Runs every rule's check for one subject, adding to what c.d holds. */
static void evaluate(struct ctx c, enum subject on)
{
	for (int r = 0; r < RULE_COUNT; r++) {
		check_fn check = checks[r].on[on];
		int ex;

		if (check == NULL)
			continue;
		enum action a = rules_action_for(c.s, c.p, r, &ex);
		if (ex >= 0 && c.p->action[r] != ACT_OFF) {
			/* Record the exemption only where the rule would have fired. */
			struct decision probe = { 0 };
			struct ctx pc = c;
			pc.d = &probe;
			pc.rule = r;
			pc.action = c.p->action[r];
			check(&pc);
			if (probe.nfindings > 0) {
				c.d->exempted |= 1u << r;
				if (c.d->exemption < 0)
					c.d->exemption = ex;
			}
			decision_free(&probe);
		}
		if (a == ACT_OFF)
			continue;
		c.rule = r;
		c.action = a;
		check(&c);
	}
	decision_settle(c.d);
}

int rules_evaluate(const struct spec *s, const struct policy *p,
		   const struct host_facts *h, struct decision *d,
		   struct oh_error *err)
{
	(void)err;
	memset(d, 0, sizeof(*d));
	d->exemption = -1;
	evaluate((struct ctx){ .s = s, .p = p, .h = h, .d = d }, ON_CONFIG);
	return 0;
}

int rules_evaluate_kernel(const struct kernel_view *k, const struct spec *ann,
			  const struct policy *p, const struct host_facts *h,
			  struct decision *d, struct oh_error *err)
{
	static const struct spec none;

	(void)err;
	memset(d, 0, sizeof(*d));
	d->exemption = -1;
	evaluate((struct ctx){ .s = ann ? ann : &none, .k = k, .p = p, .h = h, .d = d },
		 ON_KERNEL);
	return 0;
}

int rules_evaluate_rootfs(const struct rootfs_result *fs, const struct spec *s,
			  const struct policy *p, const struct host_facts *h,
			  struct decision *d, struct oh_error *err)
{
	(void)err;
	if (fs->scanned)
		evaluate((struct ctx){ .s = s, .fs = fs, .p = p, .h = h, .d = d },
			 ON_ROOTFS);
	return 0;
}

void decision_free(struct decision *d)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		free(d->findings[i].message);
		free(d->findings[i].pointer);
	}
	free(d->findings);
	d->findings = NULL;
	d->nfindings = 0;
}

/* ----------------------------------------------------------------- fixes */

static struct jval *ensure_object(struct jdoc *doc, struct jval *parent,
				  const char *key)
{
	struct jval *v = jobj_get(parent, key);

	if (v == NULL) {
		jobj_set(doc, parent, key, jv_object(doc, 0));
		v = jobj_get(parent, key);
	}
	return v;
}

static int fix_nnp(struct spec *s, const struct policy *p,
		   const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	struct jval *proc = ensure_object(s->doc, s->root, "process");
	jobj_set(s->doc, proc, "noNewPrivileges", jv_bool(true));
	return 0;
}

/* Keeps only allowlisted, exactly-spelled capabilities, once each. */
static int fix_caps(struct spec *s, const struct policy *p,
		    const struct host_facts *h, struct oh_error *err)
{
	(void)h, (void)err;
	for (int i = 0; i < CS_COUNT; i++) {
		struct jval *set = s->capset[i];
		uint64_t seen = 0;
		uint32_t n = 0;

		if (set == NULL)
			continue;
		for (uint32_t k = 0; k < set->len; k++) {
			int cap = caps_from_exact(set->u.items[k].u.str);
			if (cap < 0 || !(p->allowed_caps & (1ull << cap)) ||
			    (seen & (1ull << cap)))
				continue;
			seen |= 1ull << cap;
			set->u.items[n++] = set->u.items[k];
		}
		set->len = n;
	}
	return 0;
}

static int fix_seccomp(struct spec *s, const struct policy *p,
		       const struct host_facts *h, struct oh_error *err)
{
	struct profile *prof;
	struct jval out;

	if (profile_load(p->seccomp_profile, &prof, err) < 0)
		return -1;
	if (!seccomp_blocks_something(profile_root(prof))) {
		oh_err(err, 0, "%s: the seccomp profile blocks nothing; it cannot "
		       "confine a container", p->seccomp_profile);
		profile_free(prof);
		return -1;
	}
	/* The bounding set as the capability fix left it. */
	if (profile_translate(prof, s->doc, s->capset[CS_BOUNDING], h, &out, err) < 0) {
		profile_free(prof);
		return -1;
	}
	profile_free(prof);
	struct jval *lin = ensure_object(s->doc, s->root, "linux");
	jobj_set(s->doc, lin, "seccomp", out);
	return 0;
}

static int fix_apparmor(struct spec *s, const struct policy *p,
			const struct host_facts *h, struct oh_error *err)
{
	(void)err;
	struct jval *proc = ensure_object(s->doc, s->root, "process");
	/* runc refuses any profile on a host without AppArmor. */
	if (h->apparmor)
		jobj_set(s->doc, proc, "apparmorProfile", jv_str(s->doc, p->apparmor_profile));
	else
		jobj_del(proc, "apparmorProfile");
	return 0;
}

static int fix_masked(struct spec *s, const struct policy *p,
		      const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	const struct jval *old = s->masked_paths;
	uint32_t have = old ? old->len : 0, add_n = 0;

	for (size_t i = 0; i < N_CORE_MASKED; i++)
		add_n += !masked(s, core_masked[i]);
	struct jval arr = jv_array(s->doc, have + add_n);
	for (uint32_t i = 0; i < have; i++)
		arr.u.items[i] = old->u.items[i];
	for (size_t i = 0; i < N_CORE_MASKED; i++)
		if (!masked(s, core_masked[i]))
			arr.u.items[have++] = jv_str(s->doc, core_masked[i]);
	struct jval *lin = ensure_object(s->doc, s->root, "linux");
	jobj_set(s->doc, lin, "maskedPaths", arr);
	return 0;
}

static int fix_rootfs(struct spec *s, const struct policy *p,
		      const struct host_facts *h, struct oh_error *err)
{
	(void)p, (void)h, (void)err;
	struct jval *root = ensure_object(s->doc, s->root, "root");
	jobj_set(s->doc, root, "readonly", jv_bool(true));
	return 0;
}

typedef int (*fix_fn)(struct spec *s, const struct policy *p,
		      const struct host_facts *h, struct oh_error *err);

/* In the order they run: capabilities before seccomp, whose translation
 * depends on the bounding set. */
static const struct {
	int rule;
	fix_fn fn;
} fixes[] = {
	{ R_NO_NEW_PRIVILEGES, fix_nnp },
	{ R_CAP_ALL, fix_caps },
	{ R_CAP_NOT_ALLOWED, fix_caps },
	{ R_MASKED_PATHS_REMOVED, fix_masked },
	{ R_WRITABLE_ROOTFS, fix_rootfs },
	{ R_APPARMOR_UNCONFINED, fix_apparmor },
	{ R_SECCOMP_UNCONFINED, fix_seccomp },
};

int rules_fix(struct spec *s, const struct policy *p,
	      const struct host_facts *h, const struct decision *d,
	      struct oh_error *err)
{
	unsigned todo = 0;
	struct decision after;

	uint64_t bounding_before = set_mask(s->capset[CS_BOUNDING]);

	for (size_t i = 0; i < d->nfindings; i++)
		if (d->findings[i].action == ACT_FIX)
			todo |= 1u << d->findings[i].rule;
	for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++) {
		/*
		 * A profile is translated for a set of capabilities: podman's
		 * for --cap-add=sys_admin allows unshare and mount.  When the
		 * capability fix shrank the bounding set, the config's profile
		 * allows more than the container may now do, so it is replaced
		 * by the policy's profile translated for what is left (unless
		 * the policy leaves seccomp alone).
		 */
		if (fixes[i].rule == R_SECCOMP_UNCONFINED && s->seccomp != NULL &&
		    (bounding_before & ~set_mask(s->capset[CS_BOUNDING])) != 0 &&
		    rules_action_for(s, p, R_SECCOMP_UNCONFINED, NULL) == ACT_FIX)
			todo |= 1u << R_SECCOMP_UNCONFINED;
		if (!(todo & (1u << fixes[i].rule)))
			continue;
		if (fixes[i].fn(s, p, h, err) < 0)
			return oh_err_wrap(err, "fixing %s", rule_table[fixes[i].rule].id);
		/* Re-read the view: the fix may have replaced what it points at. */
		if (spec_reload(s, err) < 0)
			return oh_err_wrap(err, "internal error after fixing %s",
					   rule_table[fixes[i].rule].id);
	}
	/* The output must pass the same judgement. */
	if (rules_evaluate(s, p, h, &after, err) < 0)
		return -1;
	for (size_t i = 0; i < after.nfindings; i++) {
		if (after.findings[i].action == ACT_FIX || after.findings[i].action == ACT_DENY) {
			oh_err(err, 0, "internal error: the fixed config still fails %s: %s",
			       rule_table[after.findings[i].rule].id,
			       after.findings[i].message);
			decision_free(&after);
			return -1;
		}
	}
	decision_free(&after);
	return 0;
}
