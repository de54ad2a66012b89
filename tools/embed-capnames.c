/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Build-time generator: writes the capability names libcap knows as C data
 * (oh_cap_names, caps.c), in upper case, so that the binary does not load
 * libcap at every start for a table (libcap's start-up alone probes the
 * bounding set with six prctl calls; bench/RESULTS.md run H4).
 *
 *     embed-capnames OUT.c
 *
 * The names are libcap's own (cap_to_name), as caps.c read them at run time
 * before; tests/unit/test_caps.c checks the table against the libcap
 * installed.  The output is written whole or not at all.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

/* caps.c's CAPS_MAX and CAPS_NAME_MAX. */
#define MAX_CAPS 64
#define MAX_NAME 40

int main(int argc, char **argv)
{
	char tmp[4096];
	int n = 0;

	if (argc != 2 || strlen(argv[1]) > sizeof(tmp) - 8) {
		fprintf(stderr, "usage: embed-capnames OUT.c\n");
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "w");
	if (f == NULL) {
		perror(tmp);
		return 2;
	}
	fprintf(f, "/* Generated at build time by tools/embed-capnames.c from libcap's "
		"names; do not edit. */\n\nconst char *const oh_cap_names[] = {\n");
	for (; n < MAX_CAPS; n++) {
		char *name = cap_to_name((cap_value_t)n);
		/* libcap prints capabilities it does not know as numbers. */
		if (name == NULL || isdigit((unsigned char)name[0]) || strlen(name) > MAX_NAME ||
		    strncmp(name, "cap_", 4) != 0) {
			cap_free(name);
			break;
		}
		fputs("\t\"", f);
		for (const char *c = name; *c; c++) {
			if (!isalnum((unsigned char)*c) && *c != '_') {
				fprintf(stderr, "embed-capnames: unexpected name %s\n", name);
				fclose(f);
				remove(tmp);
				return 2;
			}
			fputc(*c >= 'a' && *c <= 'z' ? *c - 32 : *c, f);
		}
		fputs("\",\n", f);
		cap_free(name);
	}
	fprintf(f, "};\nconst int oh_cap_names_count = %d;\n", n);
	if (n == 0 || fclose(f) != 0 || rename(tmp, argv[1]) != 0) {
		fprintf(stderr, "embed-capnames: cannot write %s\n", argv[1]);
		remove(tmp);
		return 2;
	}
	return 0;
}
