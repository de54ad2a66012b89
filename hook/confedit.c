/* SPDX-License-Identifier: Apache-2.0 */
#include "confedit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

void changeset_init(struct changeset *cs, const char *root, const char *name)
{
	size_t n = root ? strlen(root) : 0;

	while (n > 0 && root[n - 1] == '/')
		n--;
	memset(cs, 0, sizeof(*cs));
	cs->root = xasprintf("%.*s", (int)n, n ? root : "");
	cs->name = xstrdup(name);
}

void changeset_free(struct changeset *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->files[i].path);
		free(cs->files[i].old);
		free(cs->files[i].new);
	}
	free(cs->files);
	free(cs->root);
	free(cs->name);
	memset(cs, 0, sizeof(*cs));
}

char *changeset_path(const struct changeset *cs, const char *path)
{
	return xasprintf("%s%s", cs->root, path);
}

/* Reads ROOT+path: *buf NULL when absent.  The last component is not
 * followed: under --root an absolute link would lead out of the root. */
static int read_rooted(const struct changeset *cs, const char *path,
		       char **buf, size_t *len, struct oh_error *err)
{
	cleanup_free char *full = changeset_path(cs, path);
	cleanup_close int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ELOOP)
			return oh_err(err, 0, "%s: is a symbolic link; setup edits "
				      "only regular files (edit the file it points to)", full);
		return oh_err(err, errno, "%s", full);
	}
	if (fstat(fd, &st) < 0)
		return oh_err(err, errno, "%s", full);
	if (!S_ISREG(st.st_mode))
		return oh_err(err, 0, "%s: not a regular file", full);
	return oh_read_fd(fd, full, CONFEDIT_MAX_FILE, buf, len, err);
}

static struct cf_file *find(struct changeset *cs, const char *path)
{
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->files[i].path, path) == 0)
			return &cs->files[i];
	return NULL;
}

static int entry(struct changeset *cs, const char *path, struct cf_file **out,
		 struct oh_error *err)
{
	struct cf_file *f = find(cs, path);

	if (f == NULL) {
		char *buf;
		size_t len;
		if (path[0] != '/')
			return oh_err(err, 0, "%s: not an absolute path", path);
		if (read_rooted(cs, path, &buf, &len, err) < 0)
			return -1;
		cs->files = xrealloc(cs->files, (cs->n + 1) * sizeof(*cs->files));
		f = &cs->files[cs->n++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(path);
		f->existed = buf != NULL;
		f->old = buf;
		f->oldlen = len;
	}
	*out = f;
	return 0;
}

int changeset_read(struct changeset *cs, const char *path, const char **text,
		   size_t *len, struct oh_error *err)
{
	struct cf_file *f;

	if (entry(cs, path, &f, err) < 0)
		return -1;
	*text = f->old;
	*len = f->oldlen;
	return 0;
}

int changeset_put(struct changeset *cs, const char *path, const char *text,
		  size_t len, struct oh_error *err)
{
	struct cf_file *f;

	if (entry(cs, path, &f, err) < 0)
		return -1;
	free(f->new);
	f->new = xmalloc(len + 1);
	memcpy(f->new, text, len);
	f->new[len] = '\0';
	f->newlen = len;
	f->planned = true;
	f->remove = false;
	return 0;
}

static bool changes(const struct cf_file *f)
{
	if (f->remove)
		return f->existed;
	if (!f->planned)
		return false;
	return !f->existed || f->oldlen != f->newlen ||
	       memcmp(f->old, f->new, f->newlen) != 0;
}

size_t changeset_pending(const struct changeset *cs)
{
	size_t n = 0;

	for (size_t i = 0; i < cs->n; i++)
		n += changes(&cs->files[i]);
	return n;
}

/* ---------------------------------------------------------------- diff */

struct lines {
	const char **at;   /* start of each line */
	size_t *len;       /* with its newline, if it has one */
	size_t n;
};

static void split(struct lines *l, const char *s, size_t n)
{
	size_t cap = 16;

	l->at = xmalloc(cap * sizeof(*l->at));
	l->len = xmalloc(cap * sizeof(*l->len));
	l->n = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;
		if (l->n == cap) {
			cap *= 2;
			l->at = xrealloc(l->at, cap * sizeof(*l->at));
			l->len = xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->at[l->n] = s + i;
		l->len[l->n++] = e - i;
		i = e;
	}
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

static void put_line(FILE *out, char sign, const struct lines *l, size_t i)
{
	fputc(sign, out);
	fwrite(l->at[i], 1, l->len[i], out);
	if (l->len[i] == 0 || l->at[i][l->len[i] - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

/*
 * One hunk around the lines that differ: the common head and tail are
 * context.  Setup changes one region of a file (or all of it), so this is
 * the whole diff, and it costs time linear in the files' sizes.
 */
static void diff_one(FILE *out, const struct cf_file *f)
{
	struct lines a = { 0 }, b = { 0 };
	const size_t ctx = 3;

	split(&a, f->existed ? f->old : "", f->existed ? f->oldlen : 0);
	split(&b, f->remove ? "" : f->new, f->remove ? 0 : f->newlen);
	size_t head = 0;
	while (head < a.n && head < b.n && same_line(&a, head, &b, head))
		head++;
	size_t tail = 0;
	while (tail < a.n - head && tail < b.n - head &&
	       same_line(&a, a.n - 1 - tail, &b, b.n - 1 - tail))
		tail++;
	size_t from = head > ctx ? head - ctx : 0;
	size_t ta = a.n - tail + (tail > ctx ? ctx : tail);
	size_t tb = b.n - tail + (tail > ctx ? ctx : tail);
	size_t ca = ta - from, cb = tb - from;

	fprintf(out, "--- %s%s\n", f->existed ? "a" : "", f->existed ? f->path : "/dev/null");
	fprintf(out, "+++ %s%s\n", f->remove ? "" : "b", f->remove ? "/dev/null" : f->path);
	fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ca ? from + 1 : from, ca,
		cb ? from + 1 : from, cb);
	for (size_t i = from; i < head; i++)
		put_line(out, ' ', &a, i);
	for (size_t i = head; i < a.n - tail; i++)
		put_line(out, '-', &a, i);
	for (size_t i = head; i < b.n - tail; i++)
		put_line(out, '+', &b, i);
	for (size_t i = a.n - tail; i < ta; i++)
		put_line(out, ' ', &a, i);
	free(a.at);
	free(a.len);
	free(b.at);
	free(b.len);
}

void changeset_diff(const struct changeset *cs, FILE *out)
{
	for (size_t i = 0; i < cs->n; i++)
		if (changes(&cs->files[i]))
			diff_one(out, &cs->files[i]);
}

/* ------------------------------------------------------------ writing */

struct bytes {
	const char *p;
	size_t n;
};

static int produce(int fd, void *ctx, struct oh_error *err)
{
	const struct bytes *b = ctx;

	if (oh_write_all(fd, b->p, b->n) < 0)
		return oh_err(err, errno, "write");
	return 0;
}

static int write_file(const char *full, const char *p, size_t n,
		      struct oh_error *err)
{
	struct bytes b = { p, n };

	return oh_write_atomic(full, produce, &b, err);
}

/* The record of earlier applies. */
struct record {
	char *path;
	bool existed;
	char *orig;      /* state file names */
	char *written;
};

struct manifest {
	struct record *r;
	size_t n;
	char **dirs;     /* host paths of directories setup made, in order */
	size_t ndirs;
	unsigned next;   /* next state file number */
};

static void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->r[i].path);
		free(m->r[i].orig);
		free(m->r[i].written);
	}
	for (size_t i = 0; i < m->ndirs; i++)
		free(m->dirs[i]);
	free(m->r);
	free(m->dirs);
	memset(m, 0, sizeof(*m));
}

static char *state_dir(const struct changeset *cs)
{
	return xasprintf("%s%s/%s", cs->root, CONFEDIT_STATE_DIR, cs->name);
}

/* A state file's name as recorded: digits and a suffix, nothing that
 * could lead out of the state directory. */
static bool state_name_ok(const char *s)
{
	size_t i = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && (strcmp(s + i, ".orig") == 0 || strcmp(s + i, ".new") == 0);
}

static int manifest_load(const struct changeset *cs, struct manifest *m,
			 bool *found, struct oh_error *err)
{
	cleanup_free char *dir = state_dir(cs);
	cleanup_free char *path = oh_path_join(dir, "manifest.json");
	char *buf = NULL;
	size_t len;
	struct jdoc *doc = NULL;

	memset(m, 0, sizeof(*m));
	*found = false;
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return oh_err(err, errno, "%s", path);
	}
	if (oh_read_fd(fd, path, CONFEDIT_MAX_FILE, &buf, &len, err) < 0)
		return -1;
	if (json_parse(buf, len, path, &doc, err) < 0)
		return -1;
	struct jval *root = json_root(doc);
	struct jval *files = jobj_get(root, "files");
	struct jval *dirs = jobj_get(root, "dirs");
	if (files == NULL || files->type != J_ARRAY || dirs == NULL || dirs->type != J_ARRAY) {
		json_free(doc);
		return oh_err(err, 0, "%s: not a setup manifest (files, dirs)", path);
	}
	for (uint32_t i = 0; i < files->len; i++) {
		struct jval *e = &files->u.items[i];
		struct jval *p = jobj_get(e, "path"), *ex = jobj_get(e, "existed");
		struct jval *o = jobj_get(e, "orig"), *w = jobj_get(e, "written");
		if (p == NULL || p->type != J_STRING || p->u.str[0] != '/' ||
		    ex == NULL || (ex->type != J_TRUE && ex->type != J_FALSE) ||
		    w == NULL || w->type != J_STRING || !state_name_ok(w->u.str) ||
		    (ex->type == J_TRUE && (o == NULL || o->type != J_STRING ||
					    !state_name_ok(o->u.str)))) {
			json_free(doc);
			manifest_free(m);
			return oh_err(err, 0, "%s: /files/%u: not a file record", path, i);
		}
		m->r = xrealloc(m->r, (m->n + 1) * sizeof(*m->r));
		m->r[m->n++] = (struct record){
			.path = xstrdup(p->u.str), .existed = ex->type == J_TRUE,
			.orig = ex->type == J_TRUE ? xstrdup(o->u.str) : NULL,
			.written = xstrdup(w->u.str) };
		unsigned num = (unsigned)strtoul(w->u.str, NULL, 10);
		if (num + 1 > m->next)
			m->next = num + 1;
	}
	for (uint32_t i = 0; i < dirs->len; i++) {
		struct jval *d = &dirs->u.items[i];
		if (d->type != J_STRING || d->u.str[0] != '/') {
			json_free(doc);
			manifest_free(m);
			return oh_err(err, 0, "%s: /dirs/%u: not a directory path", path, i);
		}
		m->dirs = xrealloc(m->dirs, (m->ndirs + 1) * sizeof(*m->dirs));
		m->dirs[m->ndirs++] = xstrdup(d->u.str);
	}
	json_free(doc);
	*found = true;
	return 0;
}

static int manifest_produce(int fd, void *ctx, struct oh_error *err)
{
	const struct manifest *m = ctx;
	struct jsink *s = jsink_fd(fd);
	struct jw *w = jw_new(s, true);

	jw_obj(w);
	jw_kint(w, "version", 1);
	jw_key(w, "files");
	jw_arr(w);
	for (size_t i = 0; i < m->n; i++) {
		jw_obj(w);
		jw_kstr(w, "path", m->r[i].path);
		jw_kbool(w, "existed", m->r[i].existed);
		if (m->r[i].orig)
			jw_kstr(w, "orig", m->r[i].orig);
		jw_kstr(w, "written", m->r[i].written);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "dirs");
	jw_arr(w);
	for (size_t i = 0; i < m->ndirs; i++)
		jw_str(w, m->dirs[i]);
	jw_end_arr(w);
	jw_end_obj(w);
	jw_free(w);
	jsink_raw(s, "\n", 1);
	int rc = jsink_finish(s);
	jsink_free(s);
	return rc < 0 ? oh_err(err, errno, "write") : 0;
}

/* Makes the directories of host path dir that are missing, recording
 * each one made (host path) in m. */
static int make_dirs(const struct changeset *cs, const char *dir, mode_t mode,
		     struct manifest *m, struct oh_error *err)
{
	cleanup_free char *p = xstrdup(dir);

	for (char *s = p + 1;; s++) {
		bool last = *s == '\0';
		if (*s != '/' && !last)
			continue;
		*s = '\0';
		cleanup_free char *full = changeset_path(cs, p);
		if (mkdir(full, mode) == 0) {
			m->dirs = xrealloc(m->dirs, (m->ndirs + 1) * sizeof(*m->dirs));
			m->dirs[m->ndirs++] = xstrdup(p);
		} else if (errno != EEXIST) {
			return oh_err(err, errno, "cannot make %s", full);
		}
		if (last)
			break;
		*s = '/';
	}
	return 0;
}

static struct record *record_of(struct manifest *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->r[i].path, path) == 0)
			return &m->r[i];
	return NULL;
}

int changeset_apply(struct changeset *cs, struct oh_error *err)
{
	struct manifest m;
	bool found;
	int rc = -1;

	if (changeset_pending(cs) == 0)
		return 0;
	if (manifest_load(cs, &m, &found, err) < 0)
		return -1;
	cleanup_free char *sdir = state_dir(cs);
	cleanup_free char *shost = xasprintf("%s/%s", CONFEDIT_STATE_DIR, cs->name);
	/* The state holds copies of configs (daemon.json may carry
	 * credentials): readable by root only. */
	if (make_dirs(cs, shost, 0700, &m, err) < 0)
		goto out;
	for (size_t i = 0; i < cs->n; i++) {
		struct cf_file *f = &cs->files[i];
		if (!changes(f))
			continue;
		struct record *r = record_of(&m, f->path);
		if (r == NULL) {
			/* First change to this file: its bytes now are what an
			 * undo restores. */
			m.r = xrealloc(m.r, (m.n + 1) * sizeof(*m.r));
			r = &m.r[m.n++];
			*r = (struct record){ .path = xstrdup(f->path), .existed = f->existed };
			unsigned num = m.next++;
			r->written = xasprintf("%u.new", num);
			if (f->existed) {
				r->orig = xasprintf("%u.orig", num);
				cleanup_free char *o = oh_path_join(sdir, r->orig);
				if (write_file(o, f->old, f->oldlen, err) < 0)
					goto out;
			}
		}
		cleanup_free char *w = oh_path_join(sdir, r->written);
		if (write_file(w, f->new, f->newlen, err) < 0)
			goto out;
		cleanup_free char *parent = xstrdup(f->path);
		*strrchr(parent, '/') = '\0';
		if (parent[0] != '\0' && make_dirs(cs, parent, 0755, &m, err) < 0)
			goto out;
	}
	{
		cleanup_free char *mp = oh_path_join(sdir, "manifest.json");
		if (oh_write_atomic(mp, manifest_produce, &m, err) < 0)
			goto out;
	}
	for (size_t i = 0; i < cs->n; i++) {
		struct cf_file *f = &cs->files[i];
		if (!changes(f))
			continue;
		cleanup_free char *full = changeset_path(cs, f->path);
		if (write_file(full, f->new, f->newlen, err) < 0)
			goto out;
	}
	rc = 0;
out:
	manifest_free(&m);
	return rc;
}

/* ---------------------------------------------------------------- undo */

static int read_state(const char *sdir, const char *name, char **buf,
		      size_t *len, struct oh_error *err)
{
	cleanup_free char *p = oh_path_join(sdir, name);
	cleanup_close int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return oh_err(err, errno, "%s", p);
	return oh_read_fd(fd, p, CONFEDIT_MAX_FILE, buf, len, err);
}

static bool equal(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

int changeset_plan_undo(struct changeset *cs, bool *found, struct oh_error *err)
{
	struct manifest m;
	cleanup_free char *sdir = state_dir(cs);
	int rc = -1;

	if (manifest_load(cs, &m, found, err) < 0 || !*found)
		return *found ? -1 : 0;
	for (size_t i = 0; i < m.n; i++) {
		struct record *r = &m.r[i];
		struct cf_file *f;
		cleanup_free char *w = NULL, *o = NULL;
		size_t wl, ol = 0;
		if (entry(cs, r->path, &f, err) < 0 ||
		    read_state(sdir, r->written, &w, &wl, err) < 0 ||
		    (r->existed && read_state(sdir, r->orig, &o, &ol, err) < 0))
			goto out;
		if (f->existed && equal(f->old, f->oldlen, w, wl)) {
			if (r->existed) {
				f->new = o;
				f->newlen = ol;
				o = NULL;
				f->planned = true;
			} else {
				f->remove = true;
			}
			continue;
		}
		/* Already as before (an interrupted apply or undo). */
		if (r->existed ? f->existed && equal(f->old, f->oldlen, o, ol) : !f->existed)
			continue;
		cleanup_free char *full = changeset_path(cs, r->path);
		cleanup_free char *keep = oh_path_join(sdir, r->existed ? r->orig : r->written);
		oh_err(err, 0, "%s: changed since setup wrote it; nothing was undone. "
		       "Setup's record is in %s (%s: %s)", full, sdir,
		       r->existed ? "the file before setup" : "what setup wrote", keep);
		goto out;
	}
	rc = 0;
out:
	manifest_free(&m);
	return rc;
}

static int unlink_manifest(const char *sdir, struct oh_error *err)
{
	cleanup_free char *mp = oh_path_join(sdir, "manifest.json");

	if (unlink(mp) < 0)
		return oh_err(err, errno, "cannot remove %s", mp);
	return 0;
}

int changeset_apply_undo(struct changeset *cs, struct oh_error *err)
{
	struct manifest m;
	bool found;
	cleanup_free char *sdir = state_dir(cs);
	int rc = -1;

	if (manifest_load(cs, &m, &found, err) < 0 || !found)
		return found ? -1 : 0;
	for (size_t i = 0; i < cs->n; i++) {
		struct cf_file *f = &cs->files[i];
		cleanup_free char *full = changeset_path(cs, f->path);
		if (f->remove && f->existed) {
			if (unlink(full) < 0 && errno != ENOENT) {
				oh_err(err, errno, "cannot remove %s", full);
				goto out;
			}
		} else if (changes(f) && write_file(full, f->new, f->newlen, err) < 0) {
			goto out;
		}
	}
	for (size_t i = 0; i < m.n; i++) {
		cleanup_free char *w = oh_path_join(sdir, m.r[i].written);
		unlink(w);
		if (m.r[i].orig) {
			cleanup_free char *o = oh_path_join(sdir, m.r[i].orig);
			unlink(o);
		}
	}
	if (unlink_manifest(sdir, err) < 0)
		goto out;
	/* Directories setup made, deepest last made first; one that now holds
	 * something else stays. */
	for (size_t i = m.ndirs; i-- > 0;) {
		cleanup_free char *full = changeset_path(cs, m.dirs[i]);
		rmdir(full);
	}
	rc = 0;
out:
	manifest_free(&m);
	return rc;
}
