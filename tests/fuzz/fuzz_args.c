/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: one input as the command line an engine hands
 * oci-harden-runtime, arguments separated by NUL bytes; the first byte
 * picks the dialect (runc's urfave/cli or crun's argp).
 *
 *   rt_args_parse
 *
 * Besides the sanitizers, it checks what a crash would not reveal, and
 * aborts when one fails so libFuzzer keeps the input:
 *
 * - an accepted command line for create, run, exec or restore names a
 *   subcommand at an index inside argv, and every value the parse reports
 *   (bundle, id, process, caps, ...) is one of argv's strings or a part
 *   of one after '=' (the parse never invents text);
 * - a refused one has a message saying why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime_args.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((noreturn, format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_args: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Whether s points into one of argv's strings. */
static void inside(const char *what, const char *s, int argc, char **argv)
{
	if (s == NULL)
		return;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (s >= argv[i] && s <= argv[i] + n)
			return;
	}
	finding("%s \"%s\" is not part of the command line", what, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { MAXARGS = 64 };
	char *argv[MAXARGS + 2];
	int argc = 0;

	if (size < 1 || size > 4096)
		return 0;
	enum rt_dialect d = data[0] & 1 ? RT_CRUN : RT_RUNC;
	char *buf = xmalloc(size + 1);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	argv[argc++] = "oci-harden-runtime";
	for (char *p = buf; p < buf + size - 1 && argc < MAXARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	struct rt_args a;
	struct oh_error err = { 0 };
	/* A refused command line stays readable (the wrapper still finds
	 * its --log in it) and is freed like an accepted one. */
	if (rt_args_parse(d, argc, argv, &a, &err) < 0) {
		if (err.msg[0] == '\0')
			finding("refused without a message");
		rt_args_free(&a);
		free(buf);
		return 0;
	}
	if (a.judged && (a.cmd_index <= 0 || a.cmd_index >= argc || a.command == NULL))
		finding("a judged command without a subcommand in argv");
	inside("command", a.command, argc, argv);
	inside("bundle", a.bundle, argc, argv);
	inside("id", a.id, argc, argv);
	inside("process", a.process, argc, argv);
	inside("root", a.root, argc, argv);
	inside("log", a.log, argc, argv);
	for (size_t i = 0; i < a.ncaps; i++)
		inside("cap", a.caps[i], argc, argv);
	rt_args_free(&a);
	free(buf);
	return 0;
}
