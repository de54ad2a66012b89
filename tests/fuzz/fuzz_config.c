/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: one input goes through everything oci-harden does with
 * a document it did not write.
 *
 *   as a config:  json_parse -> spec_load -> rules_evaluate -> rules_fix
 *   as a profile: profile_parse -> profile_translate
 *
 * Besides the sanitizers, the target checks properties a crash would not
 * reveal, and aborts when one fails, so libFuzzer keeps the input:
 *
 * - whatever the parser accepts, the writer writes back as a document the
 *   parser accepts again, and writing that one gives the same bytes (fix
 *   rewrites configs through this round trip);
 * - a config fix accepts comes out compliant when read back from its bytes,
 *   as the README promises ("The output passes check");
 * - fixing never fails on a config judged fixable: every failure left in
 *   rules_fix is an internal error;
 * - a translated profile is a valid OCI linux.seccomp object.
 *
 * Everything shared is set up once in LLVMFuzzerInitialize; the host facts
 * are fixed (two variants, picked by the input's length) so a finding
 * replays the same on any machine.  Nothing is written to files.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "json.h"
#include "policy.h"
#include "rules.h"
#include "ohseccomp.h"
#include "spec.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct policy *policy;
/* A host without AppArmor or SELinux (this project's CI) and one with both,
 * so the AppArmor and SELinux branches of check and fix are reached. */
static struct host_facts hosts[2];

__attribute__((noreturn, format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_config: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* The built-in defaults are the default policy file's content, and
	 * the profile they name is built in: nothing depends on where the
	 * binary runs from. */
	policy = policy_defaults();

	struct host_facts h = { .apparmor = false, .selinux = false,
				.arch = "SCMP_ARCH_X86_64", .goarch = "amd64",
				.kernel = { 6, 1, 0 } };
	hosts[0] = h;
	h.apparmor = true;
	h.selinux = true;
	h.kernel[0] = 4;
	h.kernel[1] = 19;
	hosts[1] = h;
	return 0;
}

/* A malloc'd copy with the spare byte json_parse wants after the input. */
static char *copy_input(const uint8_t *data, size_t size)
{
	char *buf = xmalloc(size + 1);

	if (size > 0)
		memcpy(buf, data, size);
	buf[size] = '\0';
	return buf;
}

/* Serializes v compactly; the caller frees the bytes. */
static char *write_doc(const struct jval *v, size_t *len)
{
	struct jsink *s = jsink_mem();
	char *out;

	json_write(s, v, false);
	out = jsink_take(s, len);
	jsink_free(s);
	return out;
}

/* Writer and parser agree: write, parse back, write again, same bytes. */
static void check_round_trip(const struct jval *root)
{
	struct oh_error err = { 0 };
	struct jdoc *again;
	size_t n1, n2;
	char *b1 = write_doc(root, &n1);
	char *copy = copy_input((const uint8_t *)b1, n1);

	if (json_parse(copy, n1, "round-trip", &again, &err) < 0)
		finding("the writer's output does not parse: %s", err.msg);
	char *b2 = write_doc(json_root(again), &n2);
	if (n1 != n2 || memcmp(b1, b2, n1) != 0)
		finding("writing a parsed document is not stable (%zu vs %zu bytes)",
			n1, n2);
	free(b1);
	free(b2);
	json_free(again);
}

/* Reads the fixed config back from its bytes, as check would. */
static void check_fixed(const struct spec *s, const struct host_facts *h)
{
	struct oh_error err = { 0 };
	struct decision d;
	struct spec back;
	size_t n;
	char *bytes = write_doc(s->root, &n);

	if (spec_parse(bytes, n, "fixed", &back, &err) < 0)
		finding("the fixed config does not load: %s", err.msg);
	if (rules_evaluate(&back, policy, h, &d, &err) < 0)
		finding("the fixed config cannot be judged: %s", err.msg);
	if (d.verdict != V_COMPLIANT)
		finding("the fixed config is %s, not compliant (first: %s)",
			verdict_name(d.verdict),
			d.nfindings > 0 ? d.findings[0].message : "?");
	decision_free(&d);
	spec_free(&back);
}

static void as_config(const uint8_t *data, size_t size,
		      const struct host_facts *h, struct jval *bounding_out,
		      struct jdoc *keep)
{
	struct oh_error err = { 0 };
	struct jdoc *doc;
	struct decision d;
	struct spec s;

	if (json_parse(copy_input(data, size), size, "fuzz", &doc, &err) < 0)
		return;
	check_round_trip(json_root(doc));
	if (spec_load(doc, "fuzz", &s, &err) < 0) {
		json_free(doc);
		return;
	}
	/* The profile pass translates for this config's bounding set. */
	if (s.capset[CS_BOUNDING] != NULL) {
		const struct jval *b = s.capset[CS_BOUNDING];
		*bounding_out = jv_array(keep, b->len);
		for (uint32_t i = 0; i < b->len; i++)
			bounding_out->u.items[i] = jv_strn(keep, b->u.items[i].u.str,
							   b->u.items[i].len);
	}
	if (rules_evaluate(&s, policy, h, &d, &err) < 0)
		finding("rules_evaluate failed on a loaded config: %s", err.msg);
	if (d.verdict == V_FIXABLE) {
		if (rules_fix(&s, policy, h, &d, &err) < 0)
			finding("rules_fix failed on a fixable config: %s", err.msg);
		check_fixed(&s, h);
	}
	decision_free(&d);
	spec_free(&s);
}

static void as_profile(const uint8_t *data, size_t size,
		       const struct host_facts *h, const struct jval *bounding,
		       struct jdoc *doc)
{
	struct oh_error err = { 0 };
	struct profile *p;
	struct jval out;

	if (profile_parse(copy_input(data, size), size, "fuzz-profile", &p, &err) < 0)
		return;
	if (profile_translate(p, doc, bounding, h, &out, &err) < 0)
		finding("profile_translate failed on a valid profile: %s", err.msg);
	/* What fix installs must pass the validation check applies. */
	struct spec view = { .doc = doc, .source = "translated" };
	if (oh_seccomp_validate_oci(&view, &out, &err) < 0)
		finding("a translated profile is not valid OCI seccomp: %s", err.msg);
	check_round_trip(&out);
	profile_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct host_facts *h = &hosts[size & 1];
	struct jval bounding = { .type = J_NULL };
	/* An arena for what outlives one pass: the bounding set copied from
	 * the config, then the translated profile. */
	struct jdoc *scratch = json_new();
	as_config(data, size, h, &bounding, scratch);
	as_profile(data, size, h, bounding.type == J_ARRAY ? &bounding : NULL,
		   scratch);
	json_free(scratch);
	return 0;
}
