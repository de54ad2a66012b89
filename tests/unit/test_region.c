/* SPDX-License-Identifier: Apache-2.0 */
/* json_region: where a JSON pointer's member starts and ends in the text,
 * in lines and Unicode code points, as SARIF regions need them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "json.h"

static struct json_region region(const char *text, const char *ptr)
{
	struct json_region rg;
	json_region(text, strlen(text), ptr, &rg);
	return rg;
}

static void test_member_from_key_to_value_end(void **state)
{
	(void)state;
	const char *t = "{\n  \"a\": 1,\n  \"process\": {\"noNewPrivileges\": false}\n}\n";
	struct json_region rg = region(t, "/process/noNewPrivileges");
	assert_int_equal(rg.start_line, 3);
	assert_int_equal(rg.start_column, 15);   /* the key's opening quote */
	assert_int_equal(rg.end_line, 3);
	assert_int_equal(rg.end_column, 39);     /* just after "false" */
	unsigned line, col;
	json_locate(t, strlen(t), "/process/noNewPrivileges", &line, &col);
	assert_int_equal(line, rg.start_line);
	assert_int_equal(col, rg.start_column);
}

static void test_columns_count_code_points(void **state)
{
	(void)state;
	/* "é" is 2 bytes, "😀" 4 bytes and 2 UTF-16 code units: one column each */
	const char *t = "{\"n\": \"\xc3\xa9\xf0\x9f\x98\x80\", \"k\": true}";
	struct json_region rg = region(t, "/k");
	assert_int_equal(rg.start_line, 1);
	assert_int_equal(rg.start_column, 13);
	assert_int_equal(rg.end_column, 22);
}

static void test_array_element_and_multiline_value(void **state)
{
	(void)state;
	const char *t = "{\"caps\": [\"CAP_CHOWN\",\n \"CAP_SYS_ADMIN\"], \"o\": {\n \"x\": 1\n}}";
	struct json_region rg = region(t, "/caps/1");
	assert_int_equal(rg.start_line, 2);
	assert_int_equal(rg.start_column, 2);
	assert_int_equal(rg.end_line, 2);
	assert_int_equal(rg.end_column, 17);
	rg = region(t, "/o");
	assert_int_equal(rg.start_line, 2);
	assert_int_equal(rg.end_line, 4);
	assert_int_equal(rg.end_column, 2);
}

static void test_absent_member_is_its_ancestor(void **state)
{
	(void)state;
	const char *t = "{\"linux\": {\"namespaces\": []}}";
	struct json_region rg = region(t, "/linux/seccomp");
	assert_int_equal(rg.start_column, 2);    /* "linux" */
	assert_int_equal(rg.end_column, 29);     /* after its object */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_from_key_to_value_end),
		cmocka_unit_test(test_columns_count_code_points),
		cmocka_unit_test(test_array_element_and_multiline_value),
		cmocka_unit_test(test_absent_member_is_its_ancestor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
