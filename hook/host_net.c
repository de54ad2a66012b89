/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The listeners of the host and of every network namespace a process uses,
 * attributed to the containers the runtimes' state directories name.
 *
 * One pass over /proc groups the processes by network namespace; each
 * namespace is then read once through one of its processes with inspect.c
 * (inspect_pid: the /proc/PID/net tables and the sockets' owners).  So the cost
 * grows with the processes and namespaces, not with their product of
 * containers and state directories.
 */
#include "hostscan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

/*
 * Where the runtimes keep their containers' state, relative to the root:
 * runc's (also podman's with runc), crun's, Docker's runc (through
 * containerd's shim, namespace moby), and containerd's runc shims, one
 * directory per containerd namespace ("*" stands for each).
 */
const char *const host_state_dirs[] = {
	"run/runc", "run/crun", "run/docker/runtime-runc/moby",
	"run/containerd/runc/*", NULL,
};

char *host_path(const char *root, const char *rel)
{
	while (*rel == '/')
		rel++;
	if (strcmp(root, "/") == 0)
		return xasprintf("/%s", rel);
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s", (int)n, root, rel);
}

/* The inode of a process's network namespace, 0 when hidden or gone. */
static unsigned long netns_at(int dirfd, const char *pid)
{
	char path[64], link[64];
	unsigned long ino;
	ssize_t r;

	snprintf(path, sizeof(path), "%s/ns/net", pid);
	errno = 0;
	r = readlinkat(dirfd, path, link, sizeof(link) - 1);
	if (r <= 0)
		return 0;
	link[r] = '\0';
	return sscanf(link, "net:[%lu]", &ino) == 1 ? ino : 0;
}

const char *host_engine_of_bundle(const char *bundle, const char *runtime)
{
	if (bundle == NULL)
		return runtime;
	/* podman keeps bundles in its storage's userdata directories, Docker
	 * in containerd's task directories of namespace moby. */
	if (strstr(bundle, "/overlay-containers/") || strstr(bundle, "/libpod/"))
		return "podman";
	if (strstr(bundle, "io.containerd.runtime.v2.task/moby/") ||
	    strstr(bundle, "io.containerd.runtime.v1.linux/moby/"))
		return "docker";
	if (strstr(bundle, "io.containerd.runtime."))
		return "containerd";
	return runtime;
}

int host_crun_status_pid(const char *text, size_t len, pid_t *pid,
			 char **bundle, struct oh_error *err)
{
	struct jdoc *doc = NULL;
	char *buf = xmalloc(len + 1);
	int64_t v;

	memcpy(buf, text, len);
	buf[len] = '\0';
	*bundle = NULL;
	if (json_parse(buf, len, "crun status", &doc, err) < 0)
		return -1;
	struct jval *r = json_root(doc);
	if (!jv_get_i64(jobj_get(r, "pid"), &v) || v <= 0 || v > INT_MAX) {
		json_free(doc);
		return oh_err(err, 0, "crun status: no pid");
	}
	*pid = (pid_t)v;
	struct jval *b = jobj_get(r, "bundle");
	if (b != NULL && b->type == J_STRING)
		*bundle = xstrdup(b->u.str);
	json_free(doc);
	return 0;
}

static struct host_container *add_container(struct host_net *n, const char *id,
					     const char *engine, pid_t pid)
{
	char proc[32];

	n->containers = xrealloc(n->containers,
				 (n->ncontainers + 1) * sizeof(*n->containers));
	struct host_container *c = &n->containers[n->ncontainers++];
	c->id = xstrdup(id);
	c->engine = xstrdup(engine);
	c->pid = pid;
	snprintf(proc, sizeof(proc), "/proc/%ld", (long)pid);
	c->netns = netns_at(AT_FDCWD, proc);
	c->doc = NULL;
	c->annotations = NULL;
	return c;
}

static void note(struct host_net *n, char *msg)
{
	n->notes = xrealloc(n->notes, (n->nnotes + 1) * sizeof(*n->notes));
	n->notes[n->nnotes++] = msg;
}

/* The containers of one runc-format state directory (runc, Docker's and
 * containerd's shims all use runc's layout). */
static void runc_dir(struct host_net *n, const char *dir, const char *runtime,
		     const char *engine_hint)
{
	struct oh_error err = { 0 };
	char **ids = NULL;
	size_t nids = 0;

	if (runc_list(dir, &ids, &nids, &err) < 0) {
		note(n, xstrdup(err.msg));
		return;
	}
	for (size_t i = 0; i < nids; i++) {
		struct runc_state st;

		if (runc_state_read(dir, ids[i], &st, &err) == 0) {
			if (st.running) {
				const char *bundle = NULL;
				struct jval *b = jobj_get(st.annotations, "bundle");
				if (b != NULL && b->type == J_STRING)
					bundle = b->u.str;
				struct host_container *c = add_container(n, ids[i],
					engine_hint ? engine_hint
					: host_engine_of_bundle(bundle, runtime), st.pid);
				/* The annotations live in the state's document. */
				c->doc = st.doc;
				c->annotations = st.annotations;
				st.doc = NULL;
			}
			runc_state_free(&st);
		} else if (err.errnum != ENOENT) {
			note(n, xstrdup(err.msg));
		}
		free(ids[i]);
	}
	free(ids);
}

/* crun's layout: DIR/ID/status, JSON with the pid. */
static void crun_dir(struct host_net *n, const char *dir)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *e;
	struct oh_buf b = { 0 };

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[NAME_MAX + 16];
		struct oh_error err = { 0 };
		char *bundle = NULL;
		pid_t pid;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/status", e->d_name);
		if (oh_read_at(dirfd(d), path, 1 << 20, &b) < 0)
			continue;
		if (host_crun_status_pid(b.data, b.len, &pid, &bundle, &err) < 0) {
			note(n, xasprintf("%s/%s: %s", dir, path, err.msg));
			continue;
		}
		char proc[32];
		snprintf(proc, sizeof(proc), "/proc/%ld", (long)pid);
		if (access(proc, F_OK) == 0)
			add_container(n, e->d_name, host_engine_of_bundle(bundle, "crun"), pid);
		free(bundle);
	}
	oh_buf_free(&b);
}

static void find_containers(struct host_net *n, const char *root)
{
	for (size_t i = 0; host_state_dirs[i] != NULL; i++) {
		const char *rel = host_state_dirs[i];
		const char *star = strchr(rel, '*');

		if (star == NULL) {
			cleanup_free char *dir = host_path(root, rel);
			if (strcmp(rel, "run/crun") == 0)
				crun_dir(n, dir);
			else
				runc_dir(n, dir, "runc", strstr(rel, "docker") ? "docker" : NULL);
			continue;
		}
		/* containerd: one directory per namespace. */
		cleanup_free char *prel = xasprintf("%.*s", (int)(star - rel - 1), rel);
		cleanup_free char *parent = host_path(root, prel);
		cleanup_dir DIR *d = opendir(parent);
		struct dirent *e;
		while (d != NULL && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			cleanup_free char *dir = oh_path_join(parent, e->d_name);
			cleanup_free char *engine = strcmp(e->d_name, "moby") == 0
				? xstrdup("docker") : xasprintf("containerd/%s", e->d_name);
			runc_dir(n, dir, "containerd", engine);
		}
	}
}

struct ns_rep {
	unsigned long ino;
	pid_t pids[4];     /* the first few processes in it, to read it through */
	size_t npids;
};

static int cmp_ns(const void *a, const void *b)
{
	const struct ns_rep *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

/* Every network namespace a process is in, with a few of its processes. */
static struct ns_rep *namespaces(size_t *count, size_t *hidden)
{
	cleanup_dir DIR *proc = opendir("/proc");
	struct ns_rep *ns = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	*count = 0;
	if (proc == NULL)
		return NULL;
	while ((e = readdir(proc)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		unsigned long ino = netns_at(dirfd(proc), e->d_name);
		if (ino == 0) {
			/* Another user's process, to an unprivileged caller. */
			if (errno == EACCES || errno == EPERM)
				(*hidden)++;
			continue;
		}
		/* Processes of one namespace mostly follow one another (a
		 * container's processes have neighbouring pids): look back a
		 * little before appending, and merge the rest after sorting. */
		size_t k = n;
		for (size_t j = n; j > 0 && j + 8 > n; j--)
			if (ns[j - 1].ino == ino) {
				k = j - 1;
				break;
			}
		if (k == n) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				ns = xrealloc(ns, cap * sizeof(*ns));
			}
			ns[n].ino = ino;
			ns[n].npids = 0;
			n++;
		}
		if (ns[k].npids < 4)
			ns[k].pids[ns[k].npids++] = (pid_t)strtol(e->d_name, NULL, 10);
	}
	if (n > 1)
		qsort(ns, n, sizeof(*ns), cmp_ns);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && ns[out - 1].ino == ns[i].ino) {
			struct ns_rep *t = &ns[out - 1];
			for (size_t j = 0; j < ns[i].npids && t->npids < 4; j++)
				t->pids[t->npids++] = ns[i].pids[j];
			continue;
		}
		ns[out++] = ns[i];
	}
	*count = out;
	return ns;
}

static void add_sockets(struct host_net *n, const struct kernel_view *k,
			unsigned long ino)
{
	const struct host_container *c = NULL;

	for (size_t i = 0; i < n->ncontainers && c == NULL; i++)
		if (n->containers[i].netns == ino)
			c = &n->containers[i];
	n->sockets = xrealloc(n->sockets,
			      (n->nsockets + k->nlistening + 1) * sizeof(*n->sockets));
	for (size_t i = 0; i < k->nlistening; i++) {
		struct host_socket *s = &n->sockets[n->nsockets++];
		s->l = k->listening[i];
		s->netns = ino;
		s->host = ino == n->host_netns;
		s->host_network = false;
		s->container = s->host ? NULL : c;
	}
}

/* The text of /proc/PID/cgroup, or NULL. */
static char *cgroup_of(pid_t pid)
{
	char path[48];
	struct oh_buf b = { 0 };

	snprintf(path, sizeof(path), "/proc/%ld/cgroup", (long)pid);
	if (oh_read_at(AT_FDCWD, path, 1 << 16, &b) < 0) {
		oh_buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* Whether a cgroup file places a process in the root cgroup of every
 * hierarchy (no container of its own to tell apart). */
static bool root_cgroup(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *c = strchr(l, ':');
		c = c ? strchr(c + 1, ':') : NULL;
		if (c != NULL && !(c[1] == '/' && (c[2] == '\n' || c[2] == '\0')))
			return false;
	}
	return true;
}

/*
 * The host's sockets held by a process of a container that shares the
 * host's network namespace belong to that container: its processes are
 * in the cgroup of its init (what `runc ps` lists).
 */
static void host_network_owners(struct host_net *n)
{
	for (size_t c = 0; c < n->ncontainers; c++) {
		const struct host_container *hc = &n->containers[c];
		if (hc->netns != n->host_netns)
			continue;
		cleanup_free char *want = cgroup_of(hc->pid);
		if (want == NULL || root_cgroup(want))
			continue;
		for (size_t i = 0; i < n->nsockets; i++) {
			struct host_socket *s = &n->sockets[i];
			if (!s->host || s->l.pid <= 0)
				continue;
			cleanup_free char *have = cgroup_of(s->l.pid);
			if (have != NULL && strcmp(have, want) == 0) {
				s->host = false;
				s->host_network = true;
				s->container = hc;
			}
		}
	}
}

/* Reads one namespace through the first of its processes still there. */
static void read_ns(struct host_net *n, const struct ns_rep *ns)
{
	for (size_t i = 0; i < ns->npids; i++) {
		struct oh_error err = { 0 };
		struct kernel_view k;

		if (inspect_pid(ns->pids[i], false, &k, &err) < 0) {
			if (err.errnum == ESRCH)
				continue;
			note(n, xasprintf("network namespace %lu: %s", ns->ino, err.msg));
			return;
		}
		add_sockets(n, &k, ns->ino);
		kernel_view_free(&k);
		return;
	}
}

int host_net_scan(const char *root, struct host_net *n, struct oh_error *err)
{
	size_t nns;

	memset(n, 0, sizeof(*n));
	n->root = xstrdup(root);
	n->host_netns = netns_at(AT_FDCWD, "/proc/1");
	if (n->host_netns == 0)
		n->host_netns = netns_at(AT_FDCWD, "/proc/self");
	if (n->host_netns == 0)
		return oh_err(err, errno, "cannot read the network namespace of /proc/1");
	find_containers(n, root);
	size_t hidden = 0;
	struct ns_rep *ns = namespaces(&nns, &hidden);
	if (ns == NULL)
		return oh_err(err, errno, "cannot list /proc");
	if (hidden > 0)
		note(n, xasprintf("the network namespace of %zu process%s cannot be read "
				  "with this user's privileges: run as root for every "
				  "container's sockets", hidden, hidden == 1 ? "" : "es"));
	n->nnamespaces = nns;
	/* The host's namespace first, then the others in inode order. */
	for (size_t i = 0; i < nns; i++)
		if (ns[i].ino == n->host_netns)
			read_ns(n, &ns[i]);
	for (size_t i = 0; i < nns; i++)
		if (ns[i].ino != n->host_netns)
			read_ns(n, &ns[i]);
	free(ns);
	host_network_owners(n);
	return 0;
}

void host_net_free(struct host_net *n)
{
	for (size_t i = 0; i < n->ncontainers; i++) {
		free(n->containers[i].id);
		free(n->containers[i].engine);
		json_free(n->containers[i].doc);
	}
	for (size_t i = 0; i < n->nnotes; i++)
		free(n->notes[i]);
	free(n->notes);
	free(n->containers);
	free(n->sockets);
	free(n->root);
	memset(n, 0, sizeof(*n));
}
