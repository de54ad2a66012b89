/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a container host exposes, gathered for `oci-harden host`: the
 * listening sockets of the host and of every container's network namespace,
 * the mandatory access control, the distribution's support lifetime, the
 * engines' defaults, the runtimes' versions against known escape CVEs and
 * the packages that have no business on a container host.
 *
 * Gathering (host_net.c, host_sys.c, host_engine.c, host_runtime.c) only
 * reads; files come from under the root given (--root), sockets and
 * processes from the running kernel's /proc.  These readers sit beside
 * inspect.c, below the rules: the judgement of the facts under the policy
 * is host_judge.h's, the report cmd_host.c's.
 */
#ifndef OH_HOSTSCAN_H
#define OH_HOSTSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <stdint.h>

#include "error.h"
#include "inspect.h"

struct oh_buf;

/* ------------------------------------------------------------ sockets */

struct host_container {
	char *id;
	char *engine;          /* runc, crun, podman, docker, containerd/NS */
	pid_t pid;             /* init */
	unsigned long netns;   /* inode of its network namespace, 0 unknown */
	/* Its annotations (runc keeps them as labels), for the policy's
	 * exemptions as `inspect` applies them; NULL when unknown (crun). */
	struct jdoc *doc;
	struct jval *annotations;
};

struct host_socket {
	struct listener l;
	unsigned long netns;
	/* The container whose namespace it is, or NULL: the host's namespace
	 * (host true) or one no runtime state names.  A container sharing the
	 * host's namespace (--network host) owns the host's sockets its
	 * processes hold: container set, host false, host_network true. */
	const struct host_container *container;
	bool host;
	bool host_network;
};

struct host_net {
	char *root;                       /* where the state directories were read */
	unsigned long host_netns;
	struct host_container *containers;
	size_t ncontainers;
	size_t nnamespaces;
	struct host_socket *sockets;      /* host first, then by namespace */
	size_t nsockets;
	char **notes;                     /* namespaces that could not be read */
	size_t nnotes;
};

/* Reads the listeners of every network namespace in use, attributed to the
 * containers the runtimes' state directories under root name. */
int host_net_scan(const char *root, struct host_net *n, struct oh_error *err);
void host_net_free(struct host_net *n);

/* The state directories of the runtimes, relative to the root. */
extern const char *const host_state_dirs[];
/* A crun status file's pid (for the unit tests). */
int host_crun_status_pid(const char *text, size_t len, pid_t *pid,
			 char **bundle, struct oh_error *err);
/* The engine a runc-format container belongs to, from its bundle path. */
const char *host_engine_of_bundle(const char *bundle, const char *runtime);

/* ------------------------------------------------ mandatory access control */

struct host_mac {
	bool apparmor_present;     /* the module is loaded */
	bool apparmor_enabled;     /* parameters/enabled is Y */
	bool apparmor_fs;          /* securityfs shows apparmor */
	unsigned apparmor_enforce, apparmor_complain;   /* loaded profiles */
	bool apparmor_profiles_read;
	bool selinux_present;      /* selinuxfs mounted */
	int selinux_enforce;       /* 1 enforcing, 0 permissive, -1 unknown */
};

void host_mac_read(const char *root, struct host_mac *m);

/* ------------------------------------------------------- support lifetime */

struct host_os {
	char *source;              /* the os-release file read, or NULL */
	char *id, *version_id, *codename, *pretty;
	char *data;                /* the distro-info csv it was found in, or NULL */
	char *data_tried;          /* the csv looked in when not found */
	char *release, *eol;       /* YYYY-MM-DD or NULL */
	/* Extended support after eol: labels and dates, in the csv's order. */
	struct { const char *label; char *date; } ext[4];
	size_t next;
};

/* Parses os-release text (a unit-tested parser). */
void host_os_release_parse(const char *text, struct host_os *o);
/* Finds the release in distro-info csv text; 1 found, 0 not. */
int host_distro_info_parse(const char *text, struct host_os *o);
int host_os_read(const char *root, struct host_os *o, struct oh_error *err);
void host_os_free(struct host_os *o);

/* ---------------------------------------------------------- packages */

struct host_pkg {
	char *name, *version;
};

struct host_pkgs {
	char *source;              /* the dpkg status file, or NULL */
	struct host_pkg *pkgs;     /* installed only, sorted by name */
	size_t n;
	bool rpm_present;          /* an rpm database exists (not read) */
};

/* Parses dpkg's status file text: installed packages only. */
void host_dpkg_parse(const char *text, struct host_pkgs *p);
int host_pkgs_read(const char *root, struct host_pkgs *p, struct oh_error *err);
const struct host_pkg *host_pkg_find(const struct host_pkgs *p, const char *name);
void host_pkgs_free(struct host_pkgs *p);

/* The kinds of packages a container host needs none of. */
enum pkg_kind { PK_COMPILER, PK_DESKTOP, PK_SERVER, PK_COUNT };
extern const char *const pkg_kind_name[PK_COUNT];
/* The kind of a package, or -1 when it is none of them. */
int host_pkg_kind(const char *name);

/* Debian's version order (dpkg --compare-versions): <0, 0, >0. */
int host_version_cmp(const char *a, const char *b);

/* ---------------------------------------------------------- runtimes */

struct runtime_cve {
	const char *runtime;       /* runc, crun */
	const char *id;
	/* The first fixed version of each release branch, ascending, in
	 * dpkg's notation (1.4.0~rc3); NULL-terminated. */
	const char *fixed[4];
	const char *what;
};
extern const struct runtime_cve runtime_cves[];
extern const size_t runtime_ncves;

struct host_runtime {
	char *name;                /* runc, crun */
	char *path;                /* the binary, or NULL when none was found */
	char *version;             /* upstream version judged */
	char *version_source;      /* "dpkg runc 1.1.5+ds1-1+deb12u1", "runc --version" */
	char *package_version;     /* the Debian package's, or NULL */
	char *changelog;           /* the Debian changelog read, or NULL */
	char **changelog_cves;     /* CVE ids the changelog names */
	size_t nchangelog_cves;
	char *note;                /* why something could not be read */
	const struct runtime_cve **vulnerable;   /* by version and changelog */
	size_t nvulnerable;
	const struct runtime_cve **backported;   /* older version, fixed by the package */
	size_t nbackported;
};

/* Whether version (upstream, dpkg notation or runc's) is older than the
 * fix of its branch. */
bool host_cve_affects(const struct runtime_cve *c, const char *version);
/* What cannot be read is a note on the runtime, never a failure. */
void host_runtimes_read(const char *root, const struct host_pkgs *pk,
			struct host_runtime **out, size_t *n);
void host_runtimes_free(struct host_runtime *r, size_t n);

/* ------------------------------------------------------------ engines */

enum engine_kind { ENG_DOCKER, ENG_PODMAN, ENG_CRIO, ENG_CONTAINERD, ENG_COUNT };
extern const char *const engine_name[ENG_COUNT];

/* One setting of an engine that is weaker than D04 asks. */
struct engine_weak {
	char *source;              /* the file that sets it, or the engine's default */
	char *pointer;             /* where in that file (JSON pointer) */
	char *message;
	/* Where the pointer leads and its value ends, 0 if unknown. */
	unsigned line, column, end_line, end_column;
};

struct host_engine {
	enum engine_kind kind;
	bool installed;
	char *evidence;            /* what shows it is installed */
	char **files;              /* configuration files read, in order */
	size_t nfiles;
	char *error;               /* a file that cannot be read or parsed */
	char *unjudged;            /* why its settings could not be judged */
	bool hooks;                /* oci-harden's hooks are in place */
	bool wrapper;              /* oci-harden-runtime is the default runtime */
	char *hardening;           /* how, or what is missing */
	char *hardening_source;    /* the file that decides it, or NULL */
	struct engine_weak *weak;
	size_t nweak;
};

/* Fills e[ENG_COUNT]; a file that cannot be read is the engine's error.
 * Default capabilities outside allowed_caps (a mask of capability
 * numbers: the policy's allowlist) are weak. */
void host_engines_read(const char *root, uint64_t allowed_caps,
		       const struct host_pkgs *pk, struct host_engine *e);
void host_engines_free(struct host_engine *e);

/* --------------------------------------------------------- child process */

/*
 * Runs argv (argv[0] an absolute path) with stdin from /dev/null, an empty
 * environment, and reads its stdout (at most max bytes, within timeout
 * seconds).  *status is the exit status, or -1 when it did not exit by
 * itself.  Fails when it cannot be started.
 */
int host_run(char *const argv[], size_t max, double timeout,
	     struct oh_buf *out, int *status, struct oh_error *err);

/* A path under the root ("/" + rel when root is "/"). */
char *host_path(const char *root, const char *rel);
/*
 * Reads ROOT/rel whole into b (NUL-terminated, at most max bytes); -1 with
 * errno set on failure.  Under a root other than "/" a symlink in the last
 * component is not followed: its target would be the auditing host's file.
 */
int host_read(const char *root, const char *rel, size_t max, struct oh_buf *b);

#endif
