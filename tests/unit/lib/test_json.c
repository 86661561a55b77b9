/* Unit tests: lib/json (limits, positions in errors, canonical rendering). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"

static int parse_str(cJSON **out, const char *s, const struct sdl_json_limits *lim)
{
	return sdl_json_parse(out, s, strlen(s), "t.json", lim);
}

/* Parse must fail with code and a message starting with want. */
static void expect_fail(const char *doc, size_t len, int code, const char *want)
{
	cJSON *j = (cJSON *)1;
	int ret = sdl_json_parse(&j, doc, len, "t.json", NULL);
	assert_int_equal(ret, code);
	assert_null(j);
	if (strncmp(sdl_error_last(), want, strlen(want)) != 0)
		fail_msg("error '%s' does not start with '%s'", sdl_error_last(), want);
	assert_null(strchr(sdl_error_last(), '\n'));
}

static void parses_and_gets(void **state)
{
	cJSON *j = NULL;
	(void)state;
	assert_int_equal(parse_str(&j, "{\"s\":\"x\",\"n\":4.5,\"b\":true,\"o\":{},\"a\":[1]}", NULL), 0);
	assert_string_equal(sdl_json_str(j, "s"), "x");
	assert_null(sdl_json_str(j, "n"));
	assert_null(sdl_json_str(j, "missing"));
	assert_true(sdl_json_num(j, "n", 0) == 4.5);
	assert_true(sdl_json_num(j, "s", -1) == -1);
	assert_int_equal(sdl_json_bool(j, "b", 0), 1);
	assert_int_equal(sdl_json_bool(j, "n", 7), 7);
	assert_non_null(sdl_json_obj(j, "o"));
	assert_null(sdl_json_obj(j, "a"));
	assert_non_null(sdl_json_arr(j, "a"));
	assert_null(sdl_json_arr(j, "o"));
	/* getters on non-objects never fail */
	assert_null(sdl_json_str(sdl_json_arr(j, "a"), "s"));
	assert_null(sdl_json_str(NULL, "s"));
	cJSON_Delete(j);
}

static void malformed_names_line_and_column(void **state)
{
	const char *doc = "{\n  \"a\": 1,\n  \"b\": x\n}\n";
	(void)state;
	expect_fail(doc, strlen(doc), SDL_EINVAL, "t.json:3:8: ");
	expect_fail("[1,]", 4, SDL_EINVAL, "t.json:1:4: ");
	expect_fail("{\"a\" 1}", 7, SDL_EINVAL, "t.json:1:6: ");
}

static void truncated_and_trailing(void **state)
{
	(void)state;
	expect_fail("{\n  \"a\": [1, 2,\n", 16, SDL_EINVAL, "t.json:3:1: unexpected end");
	expect_fail("{\"a\": \"abc", 10, SDL_EINVAL, "t.json:1:11: unexpected end");
	expect_fail("{\"a\": 1} x", 10, SDL_EINVAL, "t.json:1:10: unexpected data");
	expect_fail("   \n ", 5, SDL_EINVAL, "t.json:2:2: empty");
	expect_fail("", 0, SDL_EINVAL, "t.json:1:1: empty");
}

static char *nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 1);
	assert_non_null(s);
	for (int i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth * 2 - 1 - i] = ']';
	}
	s[depth * 2] = '\0';
	return s;
}

static void depth_limit_exact(void **state)
{
	cJSON *j = NULL;
	char *ok = nested(SDL_JSON_MAX_DEPTH), *deep = nested(SDL_JSON_MAX_DEPTH + 1);
	struct sdl_json_limits small = { 1024, 2 };
	(void)state;
	assert_int_equal(parse_str(&j, ok, NULL), 0);
	cJSON_Delete(j);
	expect_fail(deep, strlen(deep), SDL_ELIMIT, "t.json:1:65: nesting deeper than 64");
	/* brackets inside strings do not count */
	assert_int_equal(parse_str(&j, "[[\"[[[[\\\"{{\"]]", &small), 0);
	cJSON_Delete(j);
	assert_int_equal(parse_str(&j, "[[{}]]", &small), SDL_ELIMIT);
	assert_null(j);
	free(ok);
	free(deep);
}

static void size_limit_exact(void **state)
{
	cJSON *j = NULL;
	const char *doc = "[1, 2, 3]"; /* 9 bytes */
	struct sdl_json_limits at = { 9, 64 }, below = { 8, 64 };
	(void)state;
	assert_int_equal(parse_str(&j, doc, &at), 0);
	cJSON_Delete(j);
	assert_int_equal(parse_str(&j, doc, &below), SDL_ELIMIT);
	assert_null(j);
	assert_non_null(strstr(sdl_error_last(), "t.json: document of 9 bytes exceeds the limit of 8"));
}

static void invalid_utf8_and_nul(void **state)
{
	cJSON *j = NULL;
	(void)state;
	expect_fail("{\"a\":\n\"x\xC0\x80\"}", 12, SDL_EINVAL, "t.json:2:3: invalid UTF-8");
	expect_fail("[\"\xED\xA0\x80\"]", 7, SDL_EINVAL, "t.json:1:3: invalid UTF-8"); /* surrogate */
	expect_fail("[\"\x80\"]", 5, SDL_EINVAL, "t.json:1:3: invalid UTF-8");
	expect_fail("[\"\xF4\x90\x80\x80\"]", 8, SDL_EINVAL, "t.json:1:3: invalid UTF-8"); /* > U+10FFFF */
	expect_fail("[\"\xE2\x82\"]", 6, SDL_EINVAL, "t.json:1:3: invalid UTF-8");         /* cut short */
	expect_fail("[1,\0 2]", 7, SDL_EINVAL, "t.json:1:4: NUL byte");
	expect_fail("[\"a\\u0000b\"]", 12, SDL_EINVAL, "t.json:1:4: \\u0000");
	/* valid multi-byte text passes */
	assert_int_equal(parse_str(&j, "[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]", NULL), 0);
	cJSON_Delete(j);
}

static void renders_canonically(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	cJSON *j = NULL;
	const char *doc = "{\"z\":1,\"a\":[1.0, -3, 2.5, 1e3, 12345678901],\"e\":{},\"l\":[],"
			  "\"s\":\"q\\\"\\\\\\n\\t\\u0001\xC3\xA9\",\"t\":true,\"n\":null}";
	const char *want = "{\n"
			   "  \"z\": 1,\n"
			   "  \"a\": [\n    1,\n    -3,\n    2.5,\n    1000,\n    12345678901\n  ],\n"
			   "  \"e\": {},\n"
			   "  \"l\": [],\n"
			   "  \"s\": \"q\\\"\\\\\\n\\t\\u0001\xC3\xA9\",\n"
			   "  \"t\": true,\n"
			   "  \"n\": null\n"
			   "}\n";
	(void)state;
	assert_int_equal(parse_str(&j, doc, NULL), 0);
	assert_int_equal(sdl_json_render(&b, j), 0);
	assert_string_equal(b.ptr, want);
	cJSON_Delete(j);
	/* the rendering parses back to the same rendering */
	assert_int_equal(parse_str(&j, b.ptr, NULL), 0);
	sdl_buf_clear(&b);
	assert_int_equal(sdl_json_render(&b, j), 0);
	assert_string_equal(b.ptr, want);
	cJSON_Delete(j);
	sdl_buf_release(&b);
}

static void builders(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	cJSON *o, *a;
	(void)state;
	sdl_json_init();
	o = cJSON_CreateObject();
	a = cJSON_CreateArray();
	assert_int_equal(sdl_json_add_str(o, "s", "v"), 0);
	assert_int_equal(sdl_json_add_str(o, "skipped", NULL), 0);
	assert_int_equal(sdl_json_add_num(o, "n", 0.1), 0);
	assert_int_equal(sdl_json_add_bool(o, "b", 0), 0);
	assert_int_equal(sdl_json_add_num(a, NULL, 7), 0);
	assert_int_equal(sdl_json_add(o, "a", a), 0);
	assert_int_equal(sdl_json_add(o, "x", NULL), SDL_ENOMEM);
	assert_int_equal(sdl_json_add(NULL, "x", cJSON_CreateNull()), SDL_EINTERNAL);
	assert_int_equal(sdl_json_render(&b, o), 0);
	assert_string_equal(b.ptr, "{\n  \"s\": \"v\",\n  \"n\": 0.1,\n  \"b\": false,\n  \"a\": [\n    7\n  ]\n}\n");
	assert_int_equal(sdl_json_render(&b, NULL), SDL_EINTERNAL);
	cJSON_Delete(o);
	sdl_buf_release(&b);
}

static void allocation_failure_parse_and_render(void **state)
{
	const char *doc = "{\"a\":[1,2,{\"b\":\"text\"}],\"c\":{\"d\":null}}";
	unsigned long n;
	int ret;
	(void)state;
	for (n = 1;; n++) {
		cJSON *j = (cJSON *)1;
		sdl_alloc_fail_at(n);
		ret = parse_str(&j, doc, NULL);
		sdl_alloc_fail_at(0);
		if (ret == 0) {
			struct sdl_buf b = SDL_BUF_INIT;
			unsigned long m;
			for (m = 1;; m++) {
				sdl_alloc_fail_at(m);
				ret = sdl_json_render(&b, j);
				sdl_alloc_fail_at(0);
				if (ret == 0)
					break;
				assert_int_equal(ret, SDL_ENOMEM);
				assert_int_equal(b.len, 0);
				assert_true(m < 1000);
			}
			assert_true(m > 1);
			sdl_buf_release(&b);
			cJSON_Delete(j);
			break;
		}
		assert_int_equal(ret, SDL_ENOMEM);
		assert_null(j);
		assert_non_null(strstr(sdl_error_last(), "t.json"));
		assert_true(n < 1000);
	}
	assert_true(n > 1); /* cJSON's own allocations went through the hooks */
}

static char *data_path(const char *rel)
{
	const char *src = getenv("SDL_SOURCE_DIR");
	char *p;
	assert_non_null(src);
	p = malloc(strlen(src) + strlen(rel) + 40);
	assert_non_null(p);
	snprintf(p, strlen(src) + strlen(rel) + 40, "%s/tests/unit/lib/data/json/%s", src, rel);
	return p;
}

static void load_and_write_files(void **state)
{
	char dir[] = "/tmp/sdl-json-XXXXXX", out[64];
	char *valid = data_path("valid.json"), *bad = data_path("malformed.json");
	char *trunc = data_path("truncated.json"), *missing = data_path("missing.json");
	cJSON *j = NULL, *k = NULL;
	struct sdl_json_limits tiny = { 16, 64 };
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;
	assert_int_equal(sdl_json_load_file(&j, valid, NULL), 0);
	assert_string_equal(sdl_json_str(j, "name"), "policy");
	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/out.json", dir);
	assert_int_equal(sdl_json_write_file(out, j), 0);
	assert_int_equal(sdl_json_load_file(&k, out, NULL), 0);
	assert_int_equal(sdl_fs_read_file(&b, out, 1 << 20), 0);
	assert_string_equal(b.ptr, "{\n  \"name\": \"policy\",\n  \"rules\": [\n    1,\n    2,\n    3\n  ],\n"
				   "  \"nested\": {\n    \"ok\": true,\n    \"pi\": 3.25\n  }\n}\n");
	cJSON_Delete(j);
	cJSON_Delete(k);
	assert_int_equal(sdl_json_load_file(&j, bad, NULL), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "malformed.json:3:8: "));
	assert_int_equal(sdl_json_load_file(&j, trunc, NULL), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "truncated.json:3:1: unexpected end"));
	assert_int_equal(sdl_json_load_file(&j, missing, NULL), SDL_ENOTFOUND);
	assert_int_equal(sdl_json_load_file(&j, valid, &tiny), SDL_ELIMIT);
	assert_null(j);
	unlink(out);
	rmdir(dir);
	sdl_buf_release(&b);
	free(valid);
	free(bad);
	free(trunc);
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_and_gets),
		cmocka_unit_test(malformed_names_line_and_column),
		cmocka_unit_test(truncated_and_trailing),
		cmocka_unit_test(depth_limit_exact),
		cmocka_unit_test(size_limit_exact),
		cmocka_unit_test(invalid_utf8_and_nul),
		cmocka_unit_test(renders_canonically),
		cmocka_unit_test(builders),
		cmocka_unit_test(allocation_failure_parse_and_render),
		cmocka_unit_test(load_and_write_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
