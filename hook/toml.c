/* SPDX-License-Identifier: Apache-2.0 */
#include "toml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The child's program.  Exit 3: no parser; 4: not TOML (tomllib's message
 * names line and column); 5: a value JSON cannot carry.
 */
static const char toml_to_json[] =
	"import sys, json\n"
	"try:\n"
	"    import tomllib\n"
	"except ImportError:\n"
	"    try:\n"
	"        import tomli as tomllib\n"
	"    except ImportError:\n"
	"        sys.stderr.write('no TOML parser in ' + sys.executable)\n"
	"        sys.exit(3)\n"
	"try:\n"
	"    d = tomllib.loads(sys.stdin.buffer.read().decode('utf-8'))\n"
	"except UnicodeDecodeError as e:\n"
	"    sys.stderr.write('not UTF-8: ' + str(e))\n"
	"    sys.exit(4)\n"
	"except tomllib.TOMLDecodeError as e:\n"
	"    sys.stderr.write(str(e))\n"
	"    sys.exit(4)\n"
	"def other(o):\n"
	"    raise TypeError('a ' + type(o).__name__ + ' value, which oci-harden does not carry')\n"
	"try:\n"
	"    s = json.dumps(d, default=other, allow_nan=False)\n"
	"except (TypeError, ValueError) as e:\n"
	"    sys.stderr.write(str(e))\n"
	"    sys.exit(5)\n"
	"sys.stdout.write(s)\n";

static int memfd(const char *name)
{
	return memfd_create(name, MFD_CLOEXEC);
}

static int read_back(int fd, size_t max, char **out, size_t *len,
		     struct oh_error *err)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return oh_err(err, errno, "cannot rewind the TOML parser's output");
	return oh_read_fd(fd, "the TOML parser's output", max, out, len, err);
}

int toml_parse(const char *text, size_t len, const char *name,
	       struct jdoc **out, struct oh_error *err)
{
	const char *python = getenv("OCI_HARDEN_PYTHON");
	if (python == NULL || python[0] == '\0')
		python = TOML_PYTHON;

	/* Memory files on all three sides: no pipe can fill up and block
	 * either process, whatever the sizes. */
	cleanup_close int in = memfd("oh-toml-in");
	cleanup_close int outfd = memfd("oh-toml-out");
	cleanup_close int errfd = memfd("oh-toml-err");
	if (in < 0 || outfd < 0 || errfd < 0)
		return oh_err(err, errno, "%s: cannot set up the TOML parser", name);
	if (oh_write_all(in, text, len) < 0 || lseek(in, 0, SEEK_SET) < 0)
		return oh_err(err, errno, "%s: cannot hand the text to the TOML parser", name);

	pid_t pid = fork();
	if (pid < 0)
		return oh_err(err, errno, "%s: cannot start the TOML parser", name);
	if (pid == 0) {
		if (dup2(in, 0) < 0 || dup2(outfd, 1) < 0 || dup2(errfd, 2) < 0)
			_exit(126);
		/* -I: no user site, no PYTHON* variables, no script directory. */
		execl(python, python, "-I", "-c", toml_to_json, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return oh_err(err, errno, "%s: lost the TOML parser", name);

	cleanup_free char *msg = NULL;
	size_t mlen = 0;
	if (read_back(errfd, 64 * 1024, &msg, &mlen, err) < 0)
		return oh_err_wrap(err, "%s", name);
	while (mlen > 0 && (msg[mlen - 1] == '\n' || msg[mlen - 1] == ' '))
		msg[--mlen] = '\0';
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	switch (code) {
	case 0:
		break;
	case 3:
	case 127:
		return oh_err(err, 0, "%s: reading TOML needs %s with tomllib (Python "
			      "3.11) or the tomli module (python3-tomli), and %s; "
			      "install python3 (Python >= 3.11) or python3-tomli",
			      name, python, code == 3 ? msg : "it is not there");
	case 4:
		return oh_err(err, 0, "%s: invalid TOML: %s", name, msg);
	case 5:
		return oh_err(err, 0, "%s: cannot be read: it holds %s", name, msg);
	default:
		return oh_err(err, 0, "%s: the TOML parser %s failed (status %d): %s",
			      name, python, code, mlen ? msg : "no message");
	}
	char *json = NULL;
	size_t jlen = 0;
	if (read_back(outfd, OH_MAX_INPUT, &json, &jlen, err) < 0)
		return oh_err_wrap(err, "%s", name);
	/* oh_read_fd leaves a writable byte after the data, as json_parse needs. */
	if (json_parse(json, jlen, name, out, err) < 0)
		return oh_err_wrap(err, "%s: the TOML parser's answer", name);
	return 0;
}

/* ------------------------------------------------------------- writing */

static bool bare_key(const char *k, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* A basic string: the escapes TOML defines, other bytes as they are (the
 * strict parser has checked they are UTF-8 without NUL). */
static void put_string(struct oh_buf *b, const char *s, size_t n)
{
	oh_buf_puts(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': oh_buf_puts(b, "\\\""); break;
		case '\\': oh_buf_puts(b, "\\\\"); break;
		case '\b': oh_buf_puts(b, "\\b"); break;
		case '\t': oh_buf_puts(b, "\\t"); break;
		case '\n': oh_buf_puts(b, "\\n"); break;
		case '\f': oh_buf_puts(b, "\\f"); break;
		case '\r': oh_buf_puts(b, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				oh_buf_printf(b, "\\u%04x", c);
			else
				oh_buf_add(b, &s[i], 1);
		}
	}
	oh_buf_puts(b, "\"");
}

static void put_key(struct oh_buf *b, const char *k, size_t n)
{
	if (bare_key(k, n))
		oh_buf_add(b, k, n);
	else
		put_string(b, k, n);
}

static void put_value(struct oh_buf *b, const struct jval *v)
{
	switch (v->type) {
	case J_TRUE: oh_buf_puts(b, "true"); break;
	case J_FALSE: oh_buf_puts(b, "false"); break;
	/* JSON's number grammar is a subset of TOML's (a decimal integer,
	 * or a float with a fraction or an exponent). */
	case J_NUMBER: oh_buf_add(b, v->u.str, v->len); break;
	case J_STRING: put_string(b, v->u.str, v->len); break;
	case J_ARRAY:
		oh_buf_puts(b, "[");
		for (uint32_t i = 0; i < v->len; i++) {
			if (i > 0)
				oh_buf_puts(b, ", ");
			put_value(b, &v->u.items[i]);
		}
		oh_buf_puts(b, "]");
		break;
	case J_OBJECT: {
		bool first = true;
		oh_buf_puts(b, "{");
		for (uint32_t i = 0; i < v->len; i++) {
			const struct jmember *m = &v->u.members[i];
			if (m->val.type == J_NULL)
				continue;
			oh_buf_puts(b, first ? " " : ", ");
			first = false;
			put_key(b, m->key, m->klen);
			oh_buf_puts(b, " = ");
			put_value(b, &m->val);
		}
		oh_buf_puts(b, first ? "}" : " }");
		break;
	}
	case J_NULL:
		break;
	}
}

/* A table holding only tables is defined by their headers; an empty one,
 * or one with keys of its own, needs its own. */
static bool needs_header(const struct jval *t)
{
	bool tables = false;

	for (uint32_t i = 0; i < t->len; i++) {
		if (t->u.members[i].val.type == J_NULL)
			continue;
		if (t->u.members[i].val.type != J_OBJECT)
			return true;
		tables = true;
	}
	return !tables;
}

/* path is the dotted header of the table t, empty for the root. */
static void put_table(struct oh_buf *b, struct oh_buf *path,
		      const struct jval *t)
{
	bool any = false;
	for (uint32_t i = 0; i < t->len; i++) {
		const struct jmember *m = &t->u.members[i];
		if (m->val.type == J_NULL || m->val.type == J_OBJECT)
			continue;
		put_key(b, m->key, m->klen);
		oh_buf_puts(b, " = ");
		put_value(b, &m->val);
		oh_buf_puts(b, "\n");
		any = true;
	}
	for (uint32_t i = 0; i < t->len; i++) {
		const struct jmember *m = &t->u.members[i];
		if (m->val.type != J_OBJECT)
			continue;
		size_t at = path->len;
		if (at > 0)
			oh_buf_puts(path, ".");
		put_key(path, m->key, m->klen);
		if (needs_header(&m->val)) {
			if (any || b->len > 0)
				oh_buf_puts(b, "\n");
			oh_buf_puts(b, "[");
			oh_buf_add(b, path->data, path->len);
			oh_buf_puts(b, "]\n");
		}
		put_table(b, path, &m->val);
		path->len = at;
		any = false;
	}
}

void toml_write(struct oh_buf *b, const struct jval *root)
{
	struct oh_buf path = { 0 };

	if (root->type == J_OBJECT)
		put_table(b, &path, root);
	oh_buf_free(&path);
}

bool json_same(const struct jval *a, const struct jval *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case J_NUMBER:
	case J_STRING:
		return a->len == b->len && memcmp(a->u.str, b->u.str, a->len) == 0;
	case J_ARRAY:
		if (a->len != b->len)
			return false;
		for (uint32_t i = 0; i < a->len; i++)
			if (!json_same(&a->u.items[i], &b->u.items[i]))
				return false;
		return true;
	case J_OBJECT:
		if (a->len != b->len)
			return false;
		/* Keys are unique (the strict parser), so one direction and
		 * equal counts suffice. */
		for (uint32_t i = 0; i < a->len; i++) {
			const struct jval *o = jobj_get(b, a->u.members[i].key);
			if (o == NULL || !json_same(&a->u.members[i].val, o))
				return false;
		}
		return true;
	default:
		return true;
	}
}
