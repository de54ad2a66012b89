/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TOML for the engines' configuration files (containerd, CRI-O, podman).
 *
 * Reading goes through a maintained parser, never one of our own: Debian 12
 * packages no C TOML library, so the text is handed to Python's tomllib
 * (3.11's standard library; python3-tomli where it is older) in a child
 * process, which answers with the same document as JSON; that JSON is read
 * with the strict parser of json.h.  Writing is ours: a JSON tree of
 * tables, strings, numbers, booleans and arrays as TOML text, which the
 * caller can read back through toml_parse to check it says what was meant.
 */
#ifndef OH_TOML_H
#define OH_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"
#include "util.h"

/* The interpreter run for reading TOML: $OCI_HARDEN_PYTHON, else this. */
#define TOML_PYTHON "/usr/bin/python3"

/*
 * Parses TOML text; name is used in messages ("FILE: invalid TOML: ...
 * (at line 3, column 5)").  Dates and times, which JSON cannot carry, are
 * an error.  Fails with a message saying what to install when no parser
 * is there.
 */
int toml_parse(const char *text, size_t len, const char *name,
	       struct jdoc **out, struct oh_error *err);

/*
 * Appends root (an object) as TOML: each table's keys before its
 * sub-tables, a table per object member, objects inside arrays as inline
 * tables.  Members whose value is null are left out.
 */
void toml_write(struct oh_buf *b, const struct jval *root);

/* Whether two JSON values are the same document: same members (in any
 * order), items, strings, and numbers of the same text. */
bool json_same(const struct jval *a, const struct jval *b);

#endif
