/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seccomp denials: the kernel's SECCOMP audit records, read, attributed to
 * containers and explained with each container's own filter.
 */
#include "denials.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "bpfeval.h"
#include "caps.h"
#include "inspect.h"
#include "json.h"
#include "ohseccomp.h"
#include "scgroups.h"
#include "scmodel.h"
#include "scstrength.h"
#include "siphash.h"
#include "spec.h"
#include "util.h"

/* ------------------------------------------------------------- parser */

static bool starts(const char *s, size_t n, size_t i, const char *tok)
{
	size_t k = strlen(tok);

	return i + k <= n && memcmp(s + i, tok, k) == 0;
}

/*
 * Where the record's fields start.  The type must open the record: at the
 * start of an audit.log line, or after "audit: " at the start of a kmsg
 * record's text or of a dmesg line ("[ 9232.828610] audit: ...").  Found
 * anywhere else, "type=1326" is text someone else wrote (a quoted field of
 * another record, a program's log line) and no record.
 */
static bool find_type(const char *s, size_t n, size_t *at)
{
	size_t i = 0;

	if (n > 0 && s[0] == '[') {
		const char *e = memchr(s, ']', n);
		if (e == NULL)
			return false;
		i = (size_t)(e - s) + 1;
		while (i < n && s[i] == ' ')
			i++;
		if (!starts(s, n, i, "audit: "))
			return false;
	}
	if (starts(s, n, i, "audit: "))
		i += 7;
	if (starts(s, n, i, "type=1326 ")) {
		*at = i + 9;
		return true;
	}
	if (starts(s, n, i, "type=SECCOMP ")) {
		*at = i + 12;
		return true;
	}
	return false;
}

static bool parse_ul(const char *v, size_t n, int base, unsigned long long max,
		     unsigned long long *out)
{
	unsigned long long x = 0;

	if (base == 16 && n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		v += 2, n -= 2;
	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d;
		char c = v[i];
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		if (x > (max - (unsigned)d) / (unsigned)base)
			return false;
		x = x * (unsigned)base + (unsigned)d;
	}
	*out = x;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * An untrusted string as audit writes it: "quoted" when it is plain, else
 * hex-encoded.  Stored with anything but printable ASCII made '?', so
 * that a name cannot write to the terminal.
 */
static bool store_str(char *out, size_t cap, const char *v, size_t n, bool quoted)
{
	size_t k = 0;

	if (!quoted) {
		if (n % 2 != 0)
			return false;
		for (size_t i = 0; i < n; i += 2) {
			int hi = hexval(v[i]), lo = hexval(v[i + 1]);
			if (hi < 0 || lo < 0)
				return false;
			if (k + 1 < cap) {
				char c = (char)(hi * 16 + lo);
				out[k++] = c >= 0x20 && c < 0x7f ? c : '?';
			}
		}
	} else {
		for (size_t i = 0; i < n && k + 1 < cap; i++)
			out[k++] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '?';
	}
	out[k] = '\0';
	return true;
}

enum { F_PID, F_COMM, F_EXE, F_SIG, F_ARCH, F_SYSCALL, F_COMPAT, F_CODE, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"pid", "comm", "exe", "sig", "arch", "syscall", "compat", "code",
};

static bool parse_stamp(const char *s, size_t n, uint64_t *ms)
{
	/* audit(1796124411.741:17102) */
	for (size_t i = 0; i + 6 < n; i++) {
		if (memcmp(s + i, "audit(", 6) != 0)
			continue;
		size_t j = i + 6, dot = j;
		unsigned long long sec, frac;
		while (dot < n && isdigit((unsigned char)s[dot]))
			dot++;
		if (dot == j || dot >= n || s[dot] != '.' ||
		    !parse_ul(s + j, dot - j, 10, UINT64_MAX / 1000 - 1, &sec))
			return false;
		size_t e = dot + 1;
		while (e < n && isdigit((unsigned char)s[e]))
			e++;
		if (e - dot - 1 != 3 || !parse_ul(s + dot + 1, 3, 10, 999, &frac))
			return false;
		*ms = sec * 1000 + frac;
		return true;
	}
	return false;
}

enum oh_denial_line oh_denial_parse(const char *s, size_t n, struct oh_denial *out)
{
	size_t i;
	unsigned seen = 0;

	memset(out, 0, sizeof(*out));
	/* A /dev/kmsg record: "PRI,SEQ,USEC,FLAGS;text".  Userspace may write
	 * to kmsg but the kernel gives its records facility user (PRI 8 and
	 * above): only the kernel's own audit records count. */
	size_t d = 0;
	while (d < n && isdigit((unsigned char)s[d]))
		d++;
	if (d > 0 && d < n && s[d] == ',') {
		const char *semi = memchr(s, ';', n);
		unsigned long long pri;
		if (semi == NULL || !parse_ul(s, d, 10, UINT32_MAX, &pri))
			return OH_DL_OTHER;
		size_t at = (size_t)(semi - s) + 1;
		if (pri >= 8 || n - at < 17 || memcmp(s + at, "audit: type=1326 ", 17) != 0)
			return OH_DL_OTHER;
		s += at;
		n -= at;
	}
	if (!find_type(s, n, &i))
		return OH_DL_OTHER;
	/* The stamp sits between the type and the fields in both formats. */
	parse_stamp(s + i, n - i, &out->when_ms);
	while (i < n) {
		/* audit.log appends enriched fields after a GS (0x1d):
		 * ARCH=x86_64 SYSCALL=keyctl; uppercase keys match none of ours. */
		while (i < n && (s[i] == ' ' || s[i] == '\x1d'))
			i++;
		size_t k = i;
		while (i < n && s[i] != '=' && s[i] != ' ' && s[i] != '\x1d')
			i++;
		size_t klen = i - k;
		if (i >= n || s[i] != '=') {
			continue;
		}
		i++;
		const char *v = s + i;
		size_t vlen;
		bool quoted = i < n && s[i] == '"';
		if (quoted) {
			const char *q = memchr(s + i + 1, '"', n - i - 1);
			if (q == NULL)
				return OH_DL_MALFORMED;
			v = s + i + 1;
			vlen = (size_t)(q - v);
			i = (size_t)(q - s) + 1;
		} else {
			while (i < n && s[i] != ' ' && s[i] != '\x1d')
				i++;
			vlen = (size_t)(s + i - v);
		}
		int f = -1;
		for (int t = 0; t < F_COUNT; t++)
			if (strlen(field_names[t]) == klen && memcmp(s + k, field_names[t], klen) == 0)
				f = t;
		if (f < 0)
			continue;
		/* One meaning or none: a repeated field is not a record we read. */
		if (seen & (1u << f))
			return OH_DL_MALFORMED;
		seen |= 1u << f;
		unsigned long long x = 0;
		bool ok = true;
		switch (f) {
		case F_PID:
			ok = !quoted && parse_ul(v, vlen, 10, INT_MAX, &x) && x > 0;
			out->pid = (long)x;
			break;
		case F_COMM:
			ok = store_str(out->comm, sizeof(out->comm), v, vlen, quoted);
			break;
		case F_EXE:
			ok = store_str(out->exe, sizeof(out->exe), v, vlen, quoted);
			break;
		case F_SIG:
			ok = !quoted && parse_ul(v, vlen, 10, 128, &x);
			out->sig = (long)x;
			break;
		case F_ARCH:
			ok = !quoted && parse_ul(v, vlen, 16, UINT32_MAX, &x);
			out->arch = (uint32_t)x;
			break;
		case F_SYSCALL:
			ok = !quoted && parse_ul(v, vlen, 10, INT_MAX, &x);
			out->nr = (long)x;
			break;
		case F_COMPAT:
			ok = !quoted && parse_ul(v, vlen, 10, 1, &x);
			out->compat = x == 1;
			break;
		case F_CODE:
			ok = !quoted && parse_ul(v, vlen, 16, UINT32_MAX, &x);
			out->code = (uint32_t)x & SECCOMP_RET_ACTION_FULL;
			break;
		}
		if (!ok)
			return OH_DL_MALFORMED;
	}
	unsigned need = 1u << F_PID | 1u << F_ARCH | 1u << F_SYSCALL | 1u << F_CODE;
	return (seen & need) == need ? OH_DL_RECORD : OH_DL_MALFORMED;
}

/* ------------------------------------------------------------ readers */

static void one_line(const char *s, size_t n, oh_denial_fn fn, void *ctx,
		     struct oh_denial_counts *c)
{
	struct oh_denial d;

	c->lines++;
	switch (oh_denial_parse(s, n, &d)) {
	case OH_DL_OTHER:
		break;
	case OH_DL_MALFORMED:
		c->malformed++;
		break;
	case OH_DL_RECORD:
		c->records++;
		fn(ctx, &d);
		break;
	}
}

int oh_denials_read_stream(FILE *f, const char *name, oh_denial_fn fn, void *ctx,
			   struct oh_denial_counts *c, struct oh_error *err)
{
	cleanup_free char *line = xmalloc(OH_DENIAL_LINE_MAX);
	size_t n = 0;
	bool overlong = false;
	int ch;

	while ((ch = getc_unlocked(f)) != EOF) {
		if (ch == '\n') {
			if (overlong) {
				c->lines++;
				c->malformed++;
			} else {
				one_line(line, n, fn, ctx, c);
			}
			n = 0;
			overlong = false;
			continue;
		}
		if (n == OH_DENIAL_LINE_MAX)
			overlong = true;
		else
			line[n++] = (char)ch;
	}
	if (ferror(f))
		return oh_err(err, errno, "%s: cannot read", name);
	if (overlong) {
		c->lines++;
		c->malformed++;
	} else if (n > 0) {
		one_line(line, n, fn, ctx, c);
	}
	return 0;
}

int oh_denials_read_kmsg(const char *path, oh_denial_fn fn, void *ctx,
			 struct oh_denial_counts *c, struct oh_error *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	cleanup_free char *rec = xmalloc(OH_DENIAL_LINE_MAX + 1);

	struct stat st;

	if (fd < 0)
		return oh_err(err, errno, "%s: cannot open", path);
	/* A saved copy of kmsg is read line by line. */
	if (fstat(fd, &st) == 0 && !S_ISCHR(st.st_mode)) {
		FILE *f = fdopen(fd, "r");
		if (f == NULL)
			return oh_err(err, errno, "%s", path);
		fd = -1;
		int rc = oh_denials_read_stream(f, path, fn, ctx, c, err);
		fclose(f);
		return rc;
	}
	for (;;) {
		/* One record per read; the kernel keeps the fields after a ';'
		 * on the first line, continuation lines (" KEY=v") after. */
		ssize_t r = read(fd, rec, OH_DENIAL_LINE_MAX);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EPIPE) {
			c->lost++;
			continue;
		}
		if (r < 0 && errno == EAGAIN)
			return 0;
		if (r < 0)
			return oh_err(err, errno, "%s: cannot read", path);
		if (r == 0)
			return 0;
		const char *nl = memchr(rec, '\n', (size_t)r);
		one_line(rec, nl ? (size_t)(nl - rec) : (size_t)r, fn, ctx, c);
	}
}

const char *oh_denial_action(uint32_t code)
{
	switch (code & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		return "SCMP_ACT_KILL_PROCESS";
	case SECCOMP_RET_KILL_THREAD:
		return "SCMP_ACT_KILL_THREAD";
	case SECCOMP_RET_TRAP:
		return "SCMP_ACT_TRAP";
	case SECCOMP_RET_ERRNO:
		return "SCMP_ACT_ERRNO";
	case SECCOMP_RET_USER_NOTIF:
		return "SCMP_ACT_NOTIFY";
	case SECCOMP_RET_TRACE:
		return "SCMP_ACT_TRACE";
	case SECCOMP_RET_LOG:
		return "SCMP_ACT_LOG";
	case SECCOMP_RET_ALLOW:
		return "SCMP_ACT_ALLOW";
	}
	return "unknown action";
}

bool oh_denial_denies(uint32_t code)
{
	uint32_t a = code & SECCOMP_RET_ACTION_FULL;

	return a != SECCOMP_RET_LOG && a != SECCOMP_RET_ALLOW;
}

/* ---------------------------------------------------------- containers */

/* A container of a state root, read once. */
struct ctr {
	char *id;
	const char *runtime;
	char *bundle;
	char *config;             /* the config the runtime ran, as far as we know */
	pid_t pid;
	ino_t pidns;
	bool own_pidns;           /* not the host's pid namespace */
	char *cgroup;             /* init's /proc/PID/cgroup */
	/* the filter, loaded on first use */
	bool loaded;
	char problem[1024];        /* why there is no filter to explain with */
	struct spec spec;
	struct oh_sc_profile om;
	struct oh_bpf_prog prog;
};

struct drec {
	struct oh_denial d;
	size_t count;
};

#define DENIALS_MAX_DISTINCT 65536u

struct oh_denials {
	struct oh_denials_opts o;
	struct oh_denial_counts counts;
	/* open addressing on (pid, arch, nr, code), hashed with a key of
	 * this run: a process chooses the numbers it calls, and an unkeyed
	 * hash would let it make records that all collide */
	uint64_t key[2];
	struct drec *recs;
	size_t nrecs;
	uint32_t *slots;          /* index + 1, 0 for empty */
	size_t nslots;
	struct ctr *ctrs;
	size_t nctrs;
	ino_t host_pidns;
	struct oh_denial_row *rows;
	char **names;             /* per row, malloc'd by libseccomp */
	struct profile *prof;     /* the policy's, loaded on first use */
	bool prof_tried;
};

struct oh_denials *oh_denials_new(const struct oh_denials_opts *o)
{
	struct oh_denials *r = xcalloc(1, sizeof(*r));

	r->o = *o;
	if (getrandom(r->key, sizeof(r->key), GRND_NONBLOCK) != (ssize_t)sizeof(r->key)) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		r->key[0] = ((uint64_t)t.tv_sec << 32) ^ (uint64_t)t.tv_nsec ^ (uintptr_t)r;
		r->key[1] = ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
	}
	r->nslots = 1024;
	r->slots = xcalloc(r->nslots, sizeof(*r->slots));
	return r;
}

struct oh_denial_counts *oh_denials_counts(struct oh_denials *r)
{
	return &r->counts;
}

static uint64_t rec_hash(const struct oh_denials *r, const struct oh_denial *d)
{
	struct oh_sip s;

	oh_sip_init(&s, r->key[0], r->key[1]);
	oh_sip_word(&s, (uint64_t)d->pid, 1);
	oh_sip_word(&s, (uint64_t)d->arch << 32 | d->code >> 16, 1);
	oh_sip_word(&s, (uint64_t)d->nr, 1);
	s.len = 24;
	return oh_sip_final(&s, 1, 3);
}

static bool rec_same(const struct oh_denial *a, const struct oh_denial *b)
{
	return a->pid == b->pid && a->arch == b->arch && a->nr == b->nr && a->code == b->code;
}

static void rehash(struct oh_denials *r)
{
	free(r->slots);
	r->nslots *= 2;
	r->slots = xcalloc(r->nslots, sizeof(*r->slots));
	for (size_t i = 0; i < r->nrecs; i++) {
		size_t s = rec_hash(r, &r->recs[i].d) & (r->nslots - 1);
		while (r->slots[s] != 0)
			s = (s + 1) & (r->nslots - 1);
		r->slots[s] = (uint32_t)i + 1;
	}
}

void oh_denials_add(void *ctx, const struct oh_denial *d)
{
	struct oh_denials *r = ctx;
	size_t s = rec_hash(r, d) & (r->nslots - 1);

	while (r->slots[s] != 0) {
		struct drec *e = &r->recs[r->slots[s] - 1];
		if (rec_same(&e->d, d)) {
			e->count++;
			/* the latest record speaks for the process */
			if (d->when_ms >= e->d.when_ms)
				e->d = *d;
			return;
		}
		s = (s + 1) & (r->nslots - 1);
	}
	if (r->nrecs >= DENIALS_MAX_DISTINCT) {
		r->counts.dropped++;
		return;
	}
	/* Doubling at each power of two: one more slot per record copied the
	 * whole table each time (quadratic wherever realloc copies). */
	if (r->nrecs == 0 || (r->nrecs & (r->nrecs - 1)) == 0)
		r->recs = xrealloc(r->recs, (r->nrecs ? r->nrecs * 2 : 1) * sizeof(*r->recs));
	r->recs[r->nrecs] = (struct drec){ .d = *d, .count = 1 };
	r->slots[s] = (uint32_t)++r->nrecs;
	if (r->nrecs * 2 > r->nslots)
		rehash(r);
}

static bool ns_inode(pid_t pid, ino_t *ino)
{
	char p[64];
	struct stat st;

	snprintf(p, sizeof(p), "/proc/%d/ns/pid", (int)pid);
	if (stat(p, &st) < 0)
		return false;
	*ino = st.st_ino;
	return true;
}

static char *proc_text(pid_t pid, const char *what)
{
	char p[64];
	struct oh_buf b = { 0 };

	if (pid > 0)
		snprintf(p, sizeof(p), "/proc/%d", (int)pid);
	else
		snprintf(p, sizeof(p), "/proc");
	cleanup_close int dfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || oh_read_at(dfd, what, 1u << 16, &b) < 0) {
		oh_buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* The wall-clock second a process started, 0 when unknown. */
static uint64_t start_wall(pid_t pid)
{
	static uint64_t btime;
	cleanup_free char *st = proc_text(pid, "stat");
	const char *p;
	unsigned long long ticks;

	if (btime == 0) {
		cleanup_free char *s = proc_text(0, "stat");
		const char *b = s ? strstr(s, "\nbtime ") : NULL;
		if (b == NULL || sscanf(b + 7, "%" SCNu64, &btime) != 1)
			return 0;
	}
	if (st == NULL || (p = strrchr(st, ')')) == NULL)
		return 0;
	for (int field = 2; p != NULL && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &ticks) != 1)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	return btime + ticks / (unsigned long long)(hz > 0 ? hz : 100);
}

static void add_ctr(struct oh_denials *r, const char *id, const char *runtime,
		    const char *bundle, char *config, pid_t pid)
{
	struct ctr c = { 0 };

	c.id = xstrdup(id);
	c.runtime = runtime;
	c.bundle = bundle ? xstrdup(bundle) : NULL;
	c.config = config;
	c.pid = pid;
	if (pid > 0 && ns_inode(pid, &c.pidns))
		c.own_pidns = c.pidns != r->host_pidns;
	c.cgroup = pid > 0 ? proc_text(pid, "cgroup") : NULL;
	if (r->nctrs == 0 || (r->nctrs & (r->nctrs - 1)) == 0)
		r->ctrs = xrealloc(r->ctrs, (r->nctrs ? r->nctrs * 2 : 1) * sizeof(*r->ctrs));
	r->ctrs[r->nctrs++] = c;
}

static void read_runc(struct oh_denials *r, const char *root)
{
	char **ids = NULL;
	size_t n = 0;
	struct oh_error err = { 0 };

	if (runc_list(root, &ids, &n, &err) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct runc_state st;
		if (runc_state_read(root, ids[i], &st, &err) == 0) {
			/* runc appends its own bundle= label last. */
			const char *bundle = NULL;
			const struct jval *labels =
				jobj_get(jobj_get(json_root(st.doc), "config"), "labels");
			for (uint32_t k = 0; labels && labels->type == J_ARRAY && k < labels->len; k++)
				if (labels->u.items[k].type == J_STRING &&
				    strncmp(labels->u.items[k].u.str, "bundle=", 7) == 0)
					bundle = labels->u.items[k].u.str + 7;
			add_ctr(r, ids[i], "runc", bundle,
				bundle ? oh_path_join(bundle, "config.json") : NULL,
				st.running ? st.pid : 0);
			runc_state_free(&st);
		}
		free(ids[i]);
	}
	free(ids);
}

/* crun keeps ROOT/ID/status (pid, bundle) and the config it ran. */
static void read_crun(struct oh_denials *r, const char *root)
{
	cleanup_dir DIR *d = opendir(root);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct oh_buf b = { 0 };
		struct jdoc *doc = NULL;
		struct oh_error err = { 0 };
		int64_t pid = 0;

		if (e->d_name[0] == '.')
			continue;
		cleanup_close int dfd = openat(dirfd(d), e->d_name,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0 || oh_read_at(dfd, "status", 1u << 20, &b) < 0 ||
		    json_parse(b.data, b.len, "status", &doc, &err) < 0) {
			if (doc == NULL)
				oh_buf_free(&b);
			continue;
		}
		const struct jval *root_v = json_root(doc);
		const struct jval *bundle = jobj_get(root_v, "bundle");
		jv_get_i64(jobj_get(root_v, "pid"), &pid);
		cleanup_free char *dir = oh_path_join(root, e->d_name);
		add_ctr(r, e->d_name, "crun", bundle && bundle->type == J_STRING ? bundle->u.str : NULL,
			oh_path_join(dir, "config.json"), pid > 0 && pid <= INT_MAX ? (pid_t)pid : 0);
		json_free(doc);
	}
}

static void ctr_free(struct ctr *c)
{
	free(c->id);
	free(c->bundle);
	free(c->config);
	free(c->cgroup);
	if (c->loaded) {
		oh_bpf_prog_free(&c->prog);
		oh_sc_profile_free(&c->om);
		spec_free(&c->spec);
	}
}

void oh_denials_free(struct oh_denials *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nctrs; i++)
		ctr_free(&r->ctrs[i]);
	for (size_t i = 0; r->names && i < r->nrecs; i++)
		free(r->names[i]);
	free(r->names);
	free(r->ctrs);
	free(r->recs);
	free(r->slots);
	free(r->rows);
	if (r->prof)
		profile_free(r->prof);
	free(r);
}

/* ---------------------------------------------------------- attribution */

static struct ctr *attribute(struct oh_denials *r, const struct oh_denial *d,
			     char *why, size_t cap)
{
	ino_t ns;
	pid_t pid = (pid_t)d->pid;

	if (!ns_inode(pid, &ns)) {
		snprintf(why, cap, "process %ld (%s) has exited: no container can be named "
			 "for it", d->pid, d->comm);
		return NULL;
	}
	uint64_t started = start_wall(pid);
	if (d->when_ms != 0 && started > d->when_ms / 1000 + 1) {
		snprintf(why, cap, "process %ld exited; the pid now names another process, "
			 "started after the record", d->pid);
		return NULL;
	}
	if (ns != r->host_pidns) {
		for (size_t i = 0; i < r->nctrs; i++)
			if (r->ctrs[i].own_pidns && r->ctrs[i].pidns == ns)
				return &r->ctrs[i];
		snprintf(why, cap, "process %ld is in a pid namespace no container of the "
			 "state roots has", d->pid);
		return NULL;
	}
	/* A container sharing the host's pid namespace: its cgroup. */
	cleanup_free char *cg = proc_text(pid, "cgroup");
	cleanup_free char *mine = proc_text(getpid(), "cgroup");
	for (size_t i = 0; cg != NULL && i < r->nctrs; i++) {
		const struct ctr *c = &r->ctrs[i];
		if (!c->own_pidns && c->cgroup != NULL && strcmp(c->cgroup, cg) == 0 &&
		    (mine == NULL || strcmp(mine, cg) != 0))
			return &r->ctrs[i];
	}
	snprintf(why, cap, "not a container's: process %ld (%s) is a host process", d->pid,
		 d->comm);
	return NULL;
}

static void ctr_load(struct ctr *c)
{
	struct oh_error err = { 0 };
	char *buf;
	size_t len;
	size_t insns;

	if (c->loaded || c->problem[0] != '\0')
		return;
	if (c->config == NULL) {
		snprintf(c->problem, sizeof(c->problem), "the runtime's state names no bundle");
		return;
	}
	if (oh_read_file(c->config, OH_MAX_INPUT, &buf, &len, &err) < 0 ||
	    spec_parse(buf, len, c->config, &c->spec, &err) < 0) {
		snprintf(c->problem, sizeof(c->problem), "%s", err.msg);
		return;
	}
	if (c->spec.seccomp == NULL) {
		spec_free(&c->spec);
		snprintf(c->problem, sizeof(c->problem), "%s has no seccomp profile now",
			 c->config);
		return;
	}
	if (oh_seccomp_decode(c->spec.seccomp, false, c->config, &c->om, &err) < 0) {
		spec_free(&c->spec);
		snprintf(c->problem, sizeof(c->problem), "%s", err.msg);
		return;
	}
	if (bpf_compile_prog(&c->om, NULL, 0, &insns, &c->prog, NULL, NULL, &err) < 0) {
		oh_sc_profile_free(&c->om);
		spec_free(&c->spec);
		snprintf(c->problem, sizeof(c->problem), "%s", err.msg);
		return;
	}
	c->loaded = true;
}

/* ---------------------------------------------------------- explanation */

static const struct oh_sc_arch *arch_of(const struct oh_denial *d)
{
	for (size_t i = 0; i < oh_sc_arch_count(); i++) {
		const struct oh_sc_arch *a = oh_sc_arch_at(i);
		if (a->audit == d->arch && ((d->nr & 0x40000000) != 0) == (a->x32_bit != 0))
			return a;
	}
	return NULL;
}

static void entry_label(const struct oh_sc_rule *r, long k, char *out, size_t cap)
{
	if (r->nnames > 1)
		snprintf(out, cap, "linux.seccomp.syscalls[%ld] (%s, +%u more): %s", k,
			 oh_sc_rule_name(r, 0), r->nnames - 1, oh_sc_action_name(r->action));
	else
		snprintf(out, cap, "linux.seccomp.syscalls[%ld] (%s): %s", k,
			 r->nnames ? oh_sc_rule_name(r, 0) : "?", oh_sc_action_name(r->action));
}

static const char *must_block_why(const char *name)
{
	for (size_t i = 0; i < oh_sc_must_block_count(); i++) {
		const char *why;
		if (strcmp(oh_sc_must_block_name(i, &why), name) == 0)
			return why;
	}
	return NULL;
}

static const struct oh_sc_profile *policy_profile(struct oh_denials *r)
{
	struct oh_error err = { 0 };

	if (!r->prof_tried) {
		r->prof_tried = true;
		if (r->o.profile == NULL || profile_load(r->o.profile, &r->prof, &err) < 0)
			r->prof = NULL;
	}
	return r->prof ? profile_model(r->prof) : NULL;
}

/* The entry of the policy's profile that denies the call to this
 * container, as " (entry 75 \"deny keyring\" of default)". */
static void source_entry(struct oh_denials *r, const struct ctr *c, const char *name,
			 char *out, size_t cap)
{
	const struct oh_sc_profile *m = policy_profile(r);

	for (uint32_t i = 0; m != NULL && i < m->nrules; i++) {
		const struct oh_sc_rule *e = &m->rules[i];
		size_t len = strlen(out);

		if (!oh_sc_rule_names(e, name) || !oh_sc_action_denies(e->action) ||
		    !oh_sc_rule_applies(e, c->spec.capset[CS_BOUNDING], r->o.h, NULL, 0))
			continue;
		if (e->comment != NULL && e->comment[0] != '\0')
			snprintf(out + len, cap - len, ", from entry %u \"%.*s\" of %s", i,
				 (int)strcspn(e->comment, ":;"), e->comment, profile_path(r->prof));
		else
			snprintf(out + len, cap - len, ", from entry %u of %s", i,
				 profile_path(r->prof));
		return;
	}
}

/* The policy's profile: an entry that would allow the call to a container
 * holding a capability this one lacks. */
static bool gated_by_cap(struct oh_denials *r, const struct ctr *c, const char *name,
			 char *out, size_t cap)
{
	const struct oh_sc_profile *m = policy_profile(r);

	if (m == NULL)
		return false;
	for (uint32_t i = 0; i < m->nrules; i++) {
		const struct oh_sc_rule *e = &m->rules[i];
		char why[256];

		if (!oh_sc_rule_names(e, name) || oh_sc_action_denies(e->action) ||
		    !e->has_includes || e->includes.ncaps == 0)
			continue;
		if (oh_sc_rule_applies(e, c->spec.capset[CS_BOUNDING], r->o.h, why, sizeof(why)))
			continue;
		const char *capname = e->includes.caps[0].u.str;
		int n = caps_from_exact(capname);
		bool allowed = n >= 0 && (r->o.allowed_caps & (1ull << n));
		snprintf(out, cap, "grant %s: entry %u of %s allows %s to a container "
			 "holding it (%s)%s", capname, i, profile_path(r->prof), name, why,
			 allowed ? "" : "; the policy's capability allowlist must name it too");
		return true;
	}
	return false;
}

static bool in_group(const char *name, char *out, size_t cap)
{
	for (size_t g = 0; g < sc_group_count; g++)
		for (const char *const *k = sc_groups[g].calls; k && *k; k++)
			if (strcmp(*k, name) == 0) {
				snprintf(out, cap, "enable seccomp.groups \"%s\" in the policy "
					 "(it opens %s)", sc_groups[g].name, sc_groups[g].opens);
				return true;
			}
	return false;
}

static void explain(struct oh_denials *r, struct ctr *c, struct oh_denial_row *row)
{
	const struct oh_sc_arch *a = arch_of(&row->d);
	struct oh_sc_answer ans;
	struct oh_error err = { 0 };
	const char *name = row->syscall;

	row->entry_index = -1;
	ctr_load(c);
	if (!c->loaded) {
		snprintf(row->entry, sizeof(row->entry), "unknown: %.1000s", c->problem);
		return;
	}
	if (a == NULL || name == NULL) {
		snprintf(row->entry, sizeof(row->entry), "unknown: libseccomp %s does not know "
			 "call %ld of architecture %#x", bpf_libseccomp_version(), row->d.nr,
			 row->d.arch);
		return;
	}
	if (oh_sc_answer(&c->om, &c->prog, a, name, (int)row->d.nr, false, &ans, &err) < 0) {
		snprintf(row->entry, sizeof(row->entry), "unknown: %.1000s", err.msg);
		return;
	}
	oh_sc_ret_str(ans.v.ret, row->verdict, sizeof(row->verdict));
	row->allowed_now = oh_sc_ret_allows(ans.v.ret);
	switch (ans.from) {
	case OH_SC_FROM_STUB:
		snprintf(row->entry, sizeof(row->entry), "runc's -ENOSYS stub: %s is above %d, "
			 "the highest call the profile names on %s", name, ans.v.highest, a->scmp);
		break;
	case OH_SC_FROM_RULE:
		row->entry_index = ans.rule;
		entry_label(&c->om.rules[ans.rule], ans.rule, row->entry, sizeof(row->entry));
		source_entry(r, c, name, row->entry, sizeof(row->entry));
		break;
	case OH_SC_FROM_ARGS:
		snprintf(row->entry, sizeof(row->entry), "entries with argument tests for %s "
			 "(%zu), else the default action %s", name, ans.nconds,
			 oh_sc_action_name(c->om.def));
		break;
	case OH_SC_FROM_DEFAULT:
		snprintf(row->entry, sizeof(row->entry), "the default action %s: no entry "
			 "names %s", oh_sc_action_name(c->om.def), name);
		break;
	case OH_SC_FROM_FILTER:
		snprintf(row->entry, sizeof(row->entry), "the filter");
		break;
	}

	/* The smallest change, from the most binding reason down. */
	const char *mb = must_block_why(name);
	if (oh_sc_ret_allows(ans.v.ret))
		snprintf(row->change, sizeof(row->change), "none: the container's profile "
			 "allows %s now", name);
	else if (mb != NULL)
		snprintf(row->change, sizeof(row->change), "the call is in the must-block "
			 "set (%s): do not allow it", mb);
	/* A group opens a few documented calls; a capability opens far more
	 * of the kernel than the call: the group is the smaller change. */
	else if (in_group(name, row->change, sizeof(row->change)))
		;
	else if (gated_by_cap(r, c, name, row->change, sizeof(row->change)))
		;
	else if (ans.from == OH_SC_FROM_RULE)
		snprintf(row->change, sizeof(row->change), "remove %s from "
			 "linux.seccomp.syscalls[%ld] (in the profile: the entry that denies it)",
			 name, ans.rule);
	else if (ans.from == OH_SC_FROM_ARGS)
		snprintf(row->change, sizeof(row->change), "allow %s with the arguments the "
			 "workload passes: an SCMP_ACT_ALLOW entry with those argument tests",
			 name);
	else
		snprintf(row->change, sizeof(row->change), "add %s to an SCMP_ACT_ALLOW "
			 "entry of the profile", name);
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct oh_denial_row *a = pa, *b = pb;
	int c;

	/* Containers first, by id; then the unattributed, by pid. */
	if ((a->container == NULL) != (b->container == NULL))
		return a->container == NULL ? 1 : -1;
	if (a->container && (c = strcmp(a->container, b->container)) != 0)
		return c;
	if (a->d.pid != b->d.pid)
		return a->d.pid < b->d.pid ? -1 : 1;
	if (a->d.nr != b->d.nr)
		return a->d.nr < b->d.nr ? -1 : 1;
	return a->d.code < b->d.code ? -1 : a->d.code > b->d.code;
}

int oh_denials_finish(struct oh_denials *r, const struct oh_denial_row **rows,
		      size_t *n, struct oh_error *err)
{
	(void)err;
	if (!ns_inode(1, &r->host_pidns))
		ns_inode(getpid(), &r->host_pidns);
	for (const char *const *p = r->o.runc_roots; p && *p; p++)
		read_runc(r, *p);
	for (const char *const *p = r->o.crun_roots; p && *p; p++)
		read_crun(r, *p);
	r->rows = xcalloc(r->nrecs ? r->nrecs : 1, sizeof(*r->rows));
	r->names = xcalloc(r->nrecs ? r->nrecs : 1, sizeof(*r->names));
	for (size_t i = 0; i < r->nrecs; i++) {
		struct oh_denial_row *row = &r->rows[i];
		const struct oh_sc_arch *a;

		row->d = r->recs[i].d;
		row->count = r->recs[i].count;
		row->action = oh_denial_action(row->d.code);
		row->denied = oh_denial_denies(row->d.code);
		row->entry_index = -1;
		a = arch_of(&row->d);
		row->arch_name = a ? a->scmp : NULL;
		if (a != NULL && oh_sc_arch_token(a) != 0)
			r->names[i] = seccomp_syscall_resolve_num_arch(oh_sc_arch_token(a),
								       (int)row->d.nr);
		row->syscall = r->names[i];
		struct ctr *c = attribute(r, &row->d, row->attribution, sizeof(row->attribution));
		if (c == NULL)
			continue;
		row->container = c->id;
		row->runtime = c->runtime;
		row->bundle = c->bundle;
		snprintf(row->attribution, sizeof(row->attribution), "%s container %s "
			 "(process %ld)", c->runtime, c->id, row->d.pid);
		explain(r, c, row);
	}
	if (r->nrecs > 1)
		qsort(r->rows, r->nrecs, sizeof(*r->rows), cmp_row);
	*rows = r->rows;
	*n = r->nrecs;
	return 0;
}
