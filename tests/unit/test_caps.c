/* SPDX-License-Identifier: Apache-2.0 */
/* Capability names: every name libcap knows maps to its number and back,
 * spelled exactly or loosely; nothing else maps to a number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "caps.h"

static void test_every_name(void **state)
{
	(void)state;
	assert_true(caps_known() >= CAPS_BASE_COUNT);
	for (int i = 0; i < caps_known(); i++) {
		const char *name = caps_name(i);
		char lower[64];
		size_t n = strlen(name);

		assert_non_null(name);
		assert_int_equal(caps_from_exact(name), i);
		assert_int_equal(caps_from_loose(name), i);
		for (size_t k = 0; k <= n; k++)
			lower[k] = (char)tolower((unsigned char)name[k]);
		assert_int_equal(caps_from_exact(lower), -1);
		assert_int_equal(caps_from_loose(lower), i);
		assert_int_equal(caps_from_loose(lower + 4), i);
		/* A name cut short, or with a letter more, is no name. */
		char cut[64];
		snprintf(cut, sizeof(cut), "%.*s", (int)n - 1, name);
		if (strcmp(cut, "CAP_") != 0)
			assert_true(caps_from_exact(cut) != i);
		snprintf(cut, sizeof(cut), "%sS", name);
		assert_int_equal(caps_from_exact(cut), -1);
	}
	assert_null(caps_name(caps_known()));
	assert_null(caps_name(-1));
}

static void test_not_names(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "CAP_", "CAP", "cap_", "12", "CAP_12", "CAP_NO_SUCH_THING",
		"CAP_SYS_ADMIN ", " CAP_SYS_ADMIN", "CAP_SYS_ADMINCAP_SYS_ADMIN",
		"CAP_SYS_ADMIN_AND_A_VERY_LONG_TAIL_THAT_IS_NO_NAME_AT_ALL",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(caps_from_exact(bad[i]), -1);
		assert_int_equal(caps_from_loose(bad[i]), -1);
	}
	assert_int_equal(caps_from_exact("CAP_SYS_ADMIN"), 21);
	assert_int_equal(caps_from_loose("sys_admin"), 21);
	assert_int_equal(caps_from_loose("Cap_Chown"), 0);
}

/* caps_read_n reads as caps_from_loose_n does and tells whether
 * caps_from_exact_n reads the same: on every name in mixed case, with and
 * without the prefix, with a byte changed, and on strings of no name. */
static void test_read_tells_exact(void **state)
{
	(void)state;
	static const char *const other[] = {
		"", "C", "CAP_", "CAP_X", "CAP_NO_000000001", "CAP_SYS_ADMIn",
		"CAP_\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "CAP_SYS_ADMIN\xc3\xa9", "CAP_1234567",
	};
	unsigned seed = 1;
	char buf[64];

	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		bool exact;
		size_t n = strlen(other[i]);
		assert_int_equal(caps_read_n(other[i], n, &exact), caps_from_loose_n(other[i], n));
		assert_int_equal(exact, caps_from_exact_n(other[i], n) >= 0);
	}
	for (int c = 0; c < caps_known(); c++) {
		const char *name = caps_name(c);
		size_t n = strlen(name);
		for (int r = 0; r < 64; r++) {
			for (size_t k = 0; k <= n; k++) {
				seed = seed * 1103515245u + 12345u;
				buf[k] = (seed >> 16) & 1 ? (char)tolower((unsigned char)name[k]) : name[k];
			}
			if (r % 4 == 3)
				buf[(seed >> 8) % n] ^= 1;
			for (size_t off = 0; off <= 4; off += 4) {
				bool exact;
				int got = caps_read_n(buf + off, n - off, &exact);
				assert_int_equal(got, caps_from_loose_n(buf + off, n - off));
				assert_int_equal(exact, caps_from_exact_n(buf + off, n - off) >= 0);
				if (exact)
					assert_int_equal(got, caps_from_exact_n(buf + off, n - off));
			}
		}
	}
}

/* The names are built in (tools/embed-capnames.c): they must be those of
 * the libcap installed, each number's name and no fewer names than it
 * knows. */
static void test_names_are_libcaps(void **state)
{
	(void)state;
	int i = 0;

	for (; i < 64; i++) {
		char *n = cap_to_name((cap_value_t)i);
		if (n == NULL || isdigit((unsigned char)n[0])) {
			cap_free(n);
			break;
		}
		char up[64];
		size_t k = 0;
		for (; n[k] && k < sizeof(up) - 1; k++)
			up[k] = (char)toupper((unsigned char)n[k]);
		up[k] = '\0';
		cap_free(n);
		assert_non_null(caps_name(i));
		assert_string_equal(caps_name(i), up);
	}
	assert_int_equal(caps_known(), i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_name),
		cmocka_unit_test(test_names_are_libcaps),
		cmocka_unit_test(test_not_names),
		cmocka_unit_test(test_read_tells_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
