/* SPDX-License-Identifier: Apache-2.0 */
#include "inspect.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* /proc/net tables grow with the sockets; a busy host has a few MiB. */
#define PROC_READ_MAX (64u * 1024u * 1024u)

static int open_proc(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* The pid a /proc entry names, or 0. */
static pid_t proc_entry_pid(const char *name)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)name[0]))
		return 0;
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > INT_MAX)
		return 0;
	return (pid_t)v;
}

static void read_comm(int procfd, char *out, size_t cap)
{
	struct oh_buf b = { 0 };

	out[0] = '\0';
	if (oh_read_at(procfd, "comm", PROC_READ_MAX, &b) == 0) {
		b.data[strcspn(b.data, "\n")] = '\0';
		snprintf(out, cap, "%s", b.data);
	}
	oh_buf_free(&b);
}

/* --------------------------------------------------------- the sockets */

static bool hex_of_len(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdefABCDEF") == n;
}

/*
 * The kernel prints each 32-bit word of an address as the hex of its value
 * in memory (seq_printf "%08X" of a __be32), so storing the parsed value
 * back into memory gives the address bytes on either endianness.
 */
static void decode_addr(const char *hex, bool v6, struct listener *l)
{
	unsigned char bytes[16];
	size_t words = v6 ? 4 : 1;

	for (size_t i = 0; i < words; i++) {
		char w[9];
		memcpy(w, hex + 8 * i, 8);
		w[8] = '\0';
		uint32_t v = (uint32_t)strtoul(w, NULL, 16);
		memcpy(bytes + 4 * i, &v, 4);
	}
	inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, l->address, sizeof(l->address));
	l->any = true;
	for (size_t i = 0; i < 4 * words; i++)
		if (bytes[i] != 0)
			l->any = false;
}

int inspect_parse_net(const char *text, const char *proto,
		      struct listener **out, size_t *n, struct oh_error *err)
{
	bool v6 = strchr(proto, '6') != NULL, tcp = proto[0] == 't';
	const char *line = strchr(text, '\n');   /* after the header */
	/* Collected apart and appended once: growing *out by one entry per
	 * socket would copy it once per socket (a host can have 10^5). */
	cleanup_free struct listener *found = NULL;
	size_t nfound = 0, cap = 0;

	while (line != NULL && *++line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512], local[40], remote[40];
		unsigned lport, rport, st;
		unsigned long inode;

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		line = end;
		if (buf[strspn(buf, " ")] == '\0')
			continue;
		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(buf, " %*u: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x %*x:%*x "
			   "%*x:%*x %*x %*u %*u %lu", local, &lport, remote, &rport, &st,
			   &inode) != 6 ||
		    !hex_of_len(local, v6 ? 32 : 8) || lport > 65535)
			return oh_err(err, 0, "/proc/net/%s: cannot read the line \"%.80s\"",
				      proto, buf);
		/* TCP_LISTEN; an unconnected UDP socket (TCP_CLOSE, no peer)
		 * receives from anyone, which is what netstat -l lists. */
		if (tcp ? st != 0x0A : (st != 0x07 || rport != 0))
			continue;
		if (nfound == cap) {
			cap = cap ? cap * 2 : 16;
			found = xrealloc(found, cap * sizeof(*found));
		}
		struct listener *l = &found[nfound++];
		memset(l, 0, sizeof(*l));
		snprintf(l->proto, sizeof(l->proto), "%s", proto);
		decode_addr(local, v6, l);
		l->port = lport;
		l->inode = inode;
	}
	if (nfound > 0) {
		*out = xrealloc(*out, (*n + nfound) * sizeof(**out));
		memcpy(*out + *n, found, nfound * sizeof(*found));
		*n += nfound;
	}
	return 0;
}

/* The target of /proc/PID/ns/NAME ("net:[4026531833]"), or "" when hidden. */
static void ns_of(int procfd, const char *name, char *out, size_t cap)
{
	char path[32];
	ssize_t r;

	snprintf(path, sizeof(path), "ns/%s", name);
	r = readlinkat(procfd, path, out, cap - 1);
	out[r > 0 ? r : 0] = '\0';
}

static int cmp_by_inode(const void *a, const void *b)
{
	const struct listener *x = *(struct listener *const *)a;
	const struct listener *y = *(struct listener *const *)b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* The first entry of by (sorted by inode) with that inode, or n. */
static size_t first_with_inode(struct listener *const *by, size_t n,
			       unsigned long inode)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (by[mid]->inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Names the owner of each listener: a process in the same network
 * namespace with an fd on the socket's inode.  Reading another process's fd
 * table needs ptrace access, so owners are only as visible as the caller's
 * privileges make them.
 */
static void find_owners(int procfd, struct listener *ls, size_t n)
{
	char want[64], have[64];
	cleanup_dir DIR *proc = NULL;
	size_t left = n;
	struct dirent *e;

	ns_of(procfd, "net", want, sizeof(want));
	if (want[0] == '\0' || n == 0 || (proc = opendir("/proc")) == NULL)
		return;
	/* Socket fds are looked up by inode: a scan of every listener per fd
	 * would cost listeners x fds. */
	cleanup_free struct listener **by = xmalloc(n * sizeof(*by));
	for (size_t i = 0; i < n; i++)
		by[i] = &ls[i];
	qsort(by, n, sizeof(*by), cmp_by_inode);
	while (left > 0 && (e = readdir(proc)) != NULL) {
		pid_t pid = proc_entry_pid(e->d_name);
		cleanup_close int pfd = -1, fdfd = -1;
		cleanup_dir DIR *fds = NULL;
		struct dirent *f;

		if (pid == 0 || (pfd = openat(dirfd(proc), e->d_name,
					      O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		ns_of(pfd, "net", have, sizeof(have));
		if (strcmp(have, want) != 0)
			continue;
		fdfd = openat(pfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fdfd < 0 || (fds = fdopendir(fdfd)) == NULL)
			continue;
		fdfd = -1;   /* the DIR owns it now */
		while ((f = readdir(fds)) != NULL) {
			char link[64];
			unsigned long inode;
			ssize_t r = readlinkat(dirfd(fds), f->d_name, link, sizeof(link) - 1);

			if (r <= 0)
				continue;
			link[r] = '\0';
			if (sscanf(link, "socket:[%lu]", &inode) != 1)
				continue;
			for (size_t i = first_with_inode(by, n, inode);
			     i < n && by[i]->inode == inode; i++) {
				if (by[i]->pid != 0)
					continue;
				by[i]->pid = pid;
				read_comm(pfd, by[i]->process, sizeof(by[i]->process));
				left--;
			}
		}
	}
}

static int cmp_listener(const void *a, const void *b)
{
	const struct listener *x = a, *y = b;
	int c = strcmp(x->proto, y->proto);

	if (c != 0)
		return c;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return strcmp(x->address, y->address);
}

static int read_listeners(int procfd, pid_t pid, struct kernel_view *k,
			  struct oh_error *err)
{
	static const char *const protos[] = { "tcp", "tcp6", "udp", "udp6" };
	struct oh_buf b = { 0 };

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		char name[16];

		snprintf(name, sizeof(name), "net/%s", protos[i]);
		if (oh_read_at(procfd, name, PROC_READ_MAX, &b) < 0) {
			/* No tcp6/udp6 when the kernel runs without IPv6. */
			if (errno == ENOENT)
				continue;
			oh_err(err, errno, "process %ld: cannot read /proc/%ld/%s",
			       (long)pid, (long)pid, name);
			oh_buf_free(&b);
			return -1;
		}
		if (inspect_parse_net(b.data, protos[i], &k->listening, &k->nlistening,
				      err) < 0) {
			oh_buf_free(&b);
			return oh_err_wrap(err, "process %ld", (long)pid);
		}
	}
	oh_buf_free(&b);
	/* qsort's base must not be NULL, even for no elements. */
	if (k->nlistening > 1)
		qsort(k->listening, k->nlistening, sizeof(*k->listening), cmp_listener);
	find_owners(procfd, k->listening, k->nlistening);
	return 0;
}

/* --------------------------------------------------- the container's procs */

/*
 * The cgroup that stands for the container: from /proc/PID/cgroup, the
 * unified ("0::") line when it is not the root, else the first hierarchy
 * that is not (cgroup v1 hosts show "0::/" for a v2 hierarchy nobody uses).
 * *key is "HIER:CONTROLLERS:".  False when every line is the root, as for
 * a process of a container without its own cgroup.
 */
static bool cgroup_ref(const char *text, char *key, size_t kcap, char *path,
		       size_t pcap)
{
	bool found = false;

	for (const char *l = text, *end; l && *l; l = end ? end + 1 : NULL) {
		end = strchr(l, '\n');
		/* The colons are looked for within the line: a search past its
		 * end would read the rest of the text once per line. */
		size_t llen = end ? (size_t)(end - l) : strlen(l);
		const char *c1 = memchr(l, ':', llen);
		const char *c2 = c1 ? memchr(c1 + 1, ':', llen - (size_t)(c1 + 1 - l)) : NULL;
		size_t plen;

		if (c2 == NULL)
			continue;
		plen = llen - (size_t)(c2 + 1 - l);
		if (plen == 1 && c2[1] == '/')
			continue;
		bool unified = strncmp(l, "0::", 3) == 0;
		if (found && !unified)
			continue;
		snprintf(key, kcap, "%.*s", (int)(c2 + 1 - l), l);
		snprintf(path, pcap, "%.*s", (int)plen, c2 + 1);
		found = true;
		if (unified)
			break;
	}
	return found;
}

/* Whether the cgroup file text puts the process at or under key's path. */
static bool in_cgroup(const char *text, const char *key, const char *path)
{
	size_t klen = strlen(key), plen = strlen(path);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, klen) != 0)
			continue;
		const char *p = l + klen;
		return strncmp(p, path, plen) == 0 &&
		       (p[plen] == '\n' || p[plen] == '\0' || p[plen] == '/');
	}
	return false;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct kernel_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Whether the stat text shows a task that exited (Z, X). */
static bool stat_exited(const char *stat)
{
	const char *p = strrchr(stat, ')');

	return p == NULL || p[1] != ' ' || strchr("ZXx", p[2]) != NULL;
}

/*
 * The task that stands for process pid (procfd its /proc directory): pid
 * itself while its main thread lives, else any live thread of it, as a
 * main thread that exited stays a zombie until every thread has: the
 * others still run with credentials of their own.  0 when none lives.
 */
static pid_t live_task(int procfd, pid_t pid, struct oh_buf *b)
{
	cleanup_close int tfd = -1;
	cleanup_dir DIR *d = NULL;
	struct dirent *e;

	if (oh_read_at(procfd, "stat", PROC_READ_MAX, b) < 0)
		return 0;
	if (!stat_exited(b->data))
		return pid;
	if ((tfd = openat(procfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(tfd)) == NULL)
		return 0;
	tfd = -1;   /* the DIR owns it now */
	while ((e = readdir(d)) != NULL) {
		pid_t tid = proc_entry_pid(e->d_name);
		cleanup_close int t = -1;

		if (tid == 0 || tid == pid ||
		    (t = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if (oh_read_at(t, "stat", PROC_READ_MAX, b) == 0 && !stat_exited(b->data))
			return tid;
	}
	return 0;
}

/* Appends process pid to k by its live task; a process with none holds
 * nothing any more (`runc ps` leaves zombies out too), nor does one gone
 * meanwhile. */
static void add_live(int procfd, pid_t pid, struct kernel_view *k, size_t *cap,
		     struct oh_buf *b)
{
	struct kernel_proc kp = { .pid = live_task(procfd, pid, b) };
	struct oh_error ignored;

	if (kp.pid == 0 || procview_read(kp.pid, &kp.v, &ignored) < 0)
		return;
	if (k->nprocs == *cap) {
		*cap = *cap * 2 + 8;
		k->procs = xrealloc(k->procs, *cap * sizeof(*k->procs));
	}
	k->procs[k->nprocs++] = kp;
}

/*
 * Adds the other processes of init's container: those in its cgroup (what
 * `runc ps` lists, including `runc exec` processes), or, for a container
 * without a cgroup of its own but with its own pid namespace, those in that
 * namespace.  Processes that exit meanwhile are left out.
 */
static void add_members(int initfd, pid_t init, struct kernel_view *k)
{
	char key[64], path[PATH_MAX], pidns[64] = "", ours[64] = "";
	struct oh_buf b = { 0 };
	cleanup_dir DIR *proc = NULL;
	struct dirent *e;
	bool by_cgroup = false;
	size_t cap = k->nprocs;

	if (oh_read_at(initfd, "cgroup", PROC_READ_MAX, &b) == 0)
		by_cgroup = cgroup_ref(b.data, key, sizeof(key), path, sizeof(path));
	if (!by_cgroup) {
		cleanup_close int self = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ns_of(initfd, "pid", pidns, sizeof(pidns));
		if (self >= 0)
			ns_of(self, "pid", ours, sizeof(ours));
		/* Sharing the host's pid namespace, a container has no members
		 * to tell apart from the host's processes. */
		if (pidns[0] == '\0' || strcmp(pidns, ours) == 0) {
			oh_buf_free(&b);
			return;
		}
	}
	if ((proc = opendir("/proc")) == NULL) {
		oh_buf_free(&b);
		return;
	}
	while ((e = readdir(proc)) != NULL) {
		pid_t pid = proc_entry_pid(e->d_name);
		cleanup_close int pfd = -1;
		char ns[64];

		if (pid == 0 || pid == init ||
		    (pfd = openat(dirfd(proc), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if (by_cgroup) {
			if (oh_read_at(pfd, "cgroup", PROC_READ_MAX, &b) < 0 || !in_cgroup(b.data, key, path))
				continue;
		} else {
			ns_of(pfd, "pid", ns, sizeof(ns));
			if (strcmp(ns, pidns) != 0)
				continue;
		}
		add_live(pfd, pid, k, &cap, &b);
	}
	oh_buf_free(&b);
	if (k->nprocs > 2)
		qsort(k->procs + 1, k->nprocs - 1, sizeof(*k->procs), cmp_proc);
}

/* Appends the pids of cgroup directory dfd's cgroup.procs and of every
 * cgroup below it to *pids; dfd is consumed.  The kernel lets no cgroup
 * nest deeper than its own limit, and every directory is read once. */
static int cgroup_tree_pids(int dfd, const char *name, pid_t **pids, size_t *n,
			    size_t *cap, struct oh_buf *b, struct oh_error *err)
{
	cleanup_dir DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (d == NULL) {
		int en = errno;
		close(dfd);
		return oh_err(err, en, "%s", name);
	}
	if (oh_read_at(dirfd(d), "cgroup.procs", PROC_READ_MAX, b) < 0)
		return errno == ENOENT ? 0 : oh_err(err, errno, "%s/cgroup.procs", name);
	for (const char *l = b->data; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		long pid = strtol(l, NULL, 10);
		if (pid <= 0 || pid > INT_MAX)
			continue;
		if (*n == *cap) {
			*cap = *cap * 2 + 64;
			*pids = xrealloc(*pids, *cap * sizeof(**pids));
		}
		(*pids)[(*n)++] = (pid_t)pid;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			if (errno == ENOENT)
				continue;   /* removed meanwhile: empty */
			return oh_err(err, errno, "%s/%s", name, e->d_name);
		}
		cleanup_free char *subname = xasprintf("%s/%s", name, e->d_name);
		if (cgroup_tree_pids(sub, subname, pids, n, cap, b, err) < 0)
			return -1;
	}
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

int inspect_add_cgroup_members(struct kernel_view *k, const struct runc_state *st,
			       struct oh_error *err)
{
	const struct jval *paths = jobj_get(json_root(st->doc), "cgroup_paths");
	cleanup_free pid_t *pids = NULL;
	size_t n = 0, pcap = 0, cap = k->nprocs, dirs = 0;
	struct oh_buf b = { 0 };
	int rc = 0;

	if (paths == NULL || paths->type != J_OBJECT || paths->len == 0)
		return oh_err(err, 0, "the runtime's state records no cgroup for the container");
	for (uint32_t i = 0; i < paths->len && rc == 0; i++) {
		const struct jval *v = &paths->u.members[i].val;
		const char *path = v != NULL && v->type == J_STRING ? v->u.str : NULL;

		/* The runtime's record, read as a path below the cgroup
		 * mounts and nowhere else. */
		if (path == NULL || strncmp(path, "/sys/fs/cgroup/", 15) != 0 ||
		    strstr(path, "/../") != NULL || strstr(path, "/./") != NULL ||
		    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0)) {
			rc = oh_err(err, 0, "the runtime's state records a cgroup path that is not "
				    "below /sys/fs/cgroup: %s", path ? path : "(not a string)");
			break;
		}
		int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0) {
			/* A hierarchy the runtime did not create a cgroup in. */
			if (errno == ENOENT)
				continue;
			rc = oh_err(err, errno, "%s", path);
			break;
		}
		dirs++;
		rc = cgroup_tree_pids(dfd, path, &pids, &n, &pcap, &b, err);
	}
	oh_buf_free(&b);
	if (rc < 0)
		return -1;
	if (dirs == 0)
		return oh_err(err, ENOENT, "none of the cgroups the runtime's state records "
			      "for the container exists");
	if (n > 1)
		qsort(pids, n, sizeof(*pids), cmp_pid);
	cleanup_dir DIR *proc = opendir("/proc");
	if (proc == NULL)
		return oh_err(err, errno, "/proc");
	for (size_t i = 0; i < n; i++) {
		char name[24];
		cleanup_close int pfd = -1;

		if ((i > 0 && pids[i] == pids[i - 1]) || pids[i] == st->pid)
			continue;
		snprintf(name, sizeof(name), "%ld", (long)pids[i]);
		if ((pfd = openat(dirfd(proc), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;   /* gone meanwhile */
		add_live(pfd, pids[i], k, &cap, &b);
	}
	oh_buf_free(&b);
	return 0;
}

int inspect_pid(pid_t pid, bool container, struct kernel_view *k,
		struct oh_error *err)
{
	cleanup_close int pfd = -1;

	memset(k, 0, sizeof(*k));
	k->procs = xcalloc(1, sizeof(*k->procs));
	k->nprocs = 1;
	k->procs[0].pid = pid;
	if (procview_read(pid, &k->procs[0].v, err) < 0) {
		kernel_view_free(k);
		return -1;
	}
	pfd = open_proc(pid);
	if (pfd < 0) {
		int e = errno == ENOENT ? ESRCH : errno;
		kernel_view_free(k);
		return oh_err(err, e, "process %ld", (long)pid);
	}
	if (container)
		add_members(pfd, pid, k);
	if (read_listeners(pfd, pid, k, err) < 0) {
		kernel_view_free(k);
		return -1;
	}
	return 0;
}

void kernel_view_free(struct kernel_view *k)
{
	free(k->procs);
	free(k->listening);
	memset(k, 0, sizeof(*k));
}

/* ------------------------------------------------------- runc's state */

/* runc's own rule for ids (^[\w+-\.]+$), which also keeps "/" and ".."
 * out of the paths built from them. */
static bool valid_id(const char *id)
{
	if (id[0] == '\0' || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return false;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
			return false;
	return true;
}

/*
 * Whether pid is still the container's init: alive (not a zombie nobody has
 * reaped, as runc judges it too) and started at the time runc recorded
 * (field 22 of /proc/PID/stat), so a reused pid is not mistaken for it.
 */
bool inspect_same_process(pid_t pid, unsigned long long start)
{
	cleanup_close int pfd = open_proc(pid);
	struct oh_buf b = { 0 };
	bool same = false;

	if (pfd >= 0 && oh_read_at(pfd, "stat", PROC_READ_MAX, &b) == 0) {
		/* The command name may hold spaces and parentheses: count fields
		 * from the last ')'. */
		const char *p = strrchr(b.data, ')');
		char state = p && p[1] == ' ' ? p[2] : '?';
		for (int field = 2; p != NULL && field < 22; field++)
			p = strchr(p + 1, ' ');
		same = p != NULL && strtoull(p + 1, NULL, 10) == start && state != 'Z' &&
		       state != 'X' && state != 'x';
	}
	oh_buf_free(&b);
	return same;
}

struct label {
	const char *s;      /* "key=value" */
	size_t klen;        /* bytes before the '=' */
	uint32_t at;        /* position among the labels with a '=' */
	bool keep;
};

static int cmp_label_key(const void *a, const void *b)
{
	const struct label *x = *(struct label *const *)a, *y = *(struct label *const *)b;
	int c = memcmp(x->s, y->s, x->klen < y->klen ? x->klen : y->klen);

	if (c == 0)
		c = (x->klen > y->klen) - (x->klen < y->klen);
	return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

/* The container's annotations, as runc keeps them: "key=value" labels. */
static struct jval *labels_to_annotations(struct jdoc *doc, const struct jval *labels)
{
	struct jval *obj = json_alloc(doc, sizeof(*obj));
	uint32_t total = labels ? labels->len : 0, n = 0, nl = 0;
	cleanup_free struct label *ls = xmalloc((total ? total : 1) * sizeof(*ls));
	cleanup_free struct label **by = xmalloc((total ? total : 1) * sizeof(*by));

	for (uint32_t i = 0; i < total; i++) {
		const struct jval *l = &labels->u.items[i];
		const char *eq;

		if (l->type != J_STRING || (eq = strchr(l->u.str, '=')) == NULL)
			continue;
		ls[nl] = (struct label){ .s = l->u.str, .klen = (size_t)(eq - l->u.str),
					 .at = nl };
		by[nl] = &ls[nl];
		nl++;
	}
	/* runc appends its own bundle=PATH label after the annotations: the
	 * first of a key is the annotation.  Sorted by key, then position, the
	 * first of each run of equal keys is kept (a comparison of every label
	 * with those before it cost n^2 / 2 for n labels). */
	if (nl > 1)
		qsort(by, nl, sizeof(*by), cmp_label_key);
	for (uint32_t i = 0; i < nl; i++)
		by[i]->keep = i == 0 || by[i]->klen != by[i - 1]->klen ||
			      memcmp(by[i]->s, by[i - 1]->s, by[i]->klen) != 0;
	*obj = jv_object(doc, nl);
	for (uint32_t i = 0; i < nl; i++) {
		if (!ls[i].keep)
			continue;
		struct jval key = jv_strn(doc, ls[i].s, ls[i].klen);
		obj->u.members[n++] = (struct jmember){
			.key = key.u.str, .klen = key.len, .val = jv_str(doc, ls[i].s + ls[i].klen + 1),
		};
	}
	obj->len = n;
	return obj;
}

int runc_state_read(const char *root, const char *id, struct runc_state *st,
		    struct oh_error *err)
{
	cleanup_close int rootfd = -1, dfd = -1, fd = -1;
	cleanup_free char *name = NULL;
	char *buf;
	size_t len;
	int64_t pid;
	uint64_t start;

	memset(st, 0, sizeof(*st));
	if (!valid_id(id)) {
		oh_err(err, 0, "\"%s\" is not a container id", id);
		err->errnum = ENOENT;
		return -1;
	}
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 && errno != ENOENT)
		return oh_err(err, errno, "%s: cannot open the runtime's state directory",
			      root);
	dfd = rootfd < 0 ? -1 : openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				       O_CLOEXEC);
	if (dfd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) {
			oh_err(err, 0, "no container \"%s\" in %s", id, root);
			err->errnum = ENOENT;
			return -1;
		}
		return oh_err(err, errno, "%s/%s", root, id);
	}
	name = xasprintf("%s/%s/state.json", root, id);
	fd = openat(dfd, "state.json", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		oh_err(err, e, "%s: cannot open", name);
		/* A container being deleted loses its state file first. */
		if (e == ENOENT)
			err->errnum = ENOENT;
		return -1;
	}
	if (oh_read_fd(fd, name, OH_MAX_INPUT, &buf, &len, err) < 0 ||
	    json_parse(buf, len, name, &st->doc, err) < 0)
		return -1;
	struct jval *r = json_root(st->doc);
	if (!jv_get_i64(jobj_get(r, "init_process_pid"), &pid) || pid <= 0 || pid > INT_MAX ||
	    !jv_get_u64(jobj_get(r, "init_process_start"), &start)) {
		json_free(st->doc);
		st->doc = NULL;
		return oh_err(err, 0, "%s: no init_process_pid and init_process_start", name);
	}
	st->id = xstrdup(id);
	st->pid = (pid_t)pid;
	st->start = start;
	st->annotations = labels_to_annotations(st->doc,
						jobj_get(jobj_get(r, "config"), "labels"));
	/* runc's own test: the fifo exists until `runc start` opens it. */
	st->created = faccessat(dfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	st->running = inspect_same_process(st->pid, st->start);
	return 0;
}

void runc_state_free(struct runc_state *st)
{
	free(st->id);
	json_free(st->doc);
	memset(st, 0, sizeof(*st));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int runc_list(const char *root, char ***ids, size_t *n, struct oh_error *err)
{
	cleanup_dir DIR *d = opendir(root);
	struct dirent *e;
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	if (d == NULL)
		return errno == ENOENT ? 0
				       : oh_err(err, errno, "%s: cannot list the containers", root);
	while ((e = readdir(d)) != NULL) {
		cleanup_close int dfd = -1;

		if (!valid_id(e->d_name))
			continue;
		dfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0 || faccessat(dfd, "state.json", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = xstrdup(e->d_name);
	}
	if (*n > 1)
		qsort(*ids, *n, sizeof(**ids), cmp_str);
	return 0;
}
