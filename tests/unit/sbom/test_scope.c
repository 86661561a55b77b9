/*
 * Unit tests for sbom/scope.c: the glob matcher ('*' within a segment, '**'
 * across segments, a pattern covers its subtree), the .sdl-sbom.json parser
 * (good file, every malformed shape, limits), and sbom_scope_apply (exclusion
 * with counts, test/dev scope by directory name and by test_paths, removed
 * histories dropped), including allocation failure at every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "sbom/scope.h"
#include "lib/banned.h"

static void test_glob(void **state)
{
	(void)state;
	assert_true(sbom_glob_match("tests", "tests"));
	assert_true(sbom_glob_match("tests", "tests/gtest"));
	assert_true(sbom_glob_match("tests/", "tests/gtest/CMakeLists.txt"));
	assert_true(sbom_glob_match("./tests", "tests/x"));
	assert_true(sbom_glob_match("/tests", "tests/x"));
	assert_false(sbom_glob_match("tests", "src/tests/x"));
	assert_false(sbom_glob_match("tests", "testsuite/x"));
	assert_false(sbom_glob_match("tests/x", "tests"));
	assert_true(sbom_glob_match("third_party/gen*", "third_party/generated/zlib"));
	assert_false(sbom_glob_match("*/zlib", "a/b/zlib"));
	assert_true(sbom_glob_match("*/*/zlib", "a/b/zlib"));
	assert_true(sbom_glob_match("**/zlib", "zlib"));
	assert_true(sbom_glob_match("**/zlib", "a/b/zlib/zlib.h"));
	assert_false(sbom_glob_match("**/zlib", "a/b/zlibx"));
	assert_true(sbom_glob_match("a/**/c", "a/c"));
	assert_true(sbom_glob_match("a/**/c", "a/b/b/c/d"));
	assert_false(sbom_glob_match("a/**/c", "b/a/c"));
	assert_true(sbom_glob_match("**", "anything/at/all"));
	assert_true(sbom_glob_match("fix?ures", "fixtures/x"));
	assert_true(sbom_glob_match("[tT]ests", "Tests/x"));
	assert_false(sbom_glob_match("", "x"));
	assert_false(sbom_glob_match("/", "x"));
	/* many '**' stay polynomial */
	assert_false(sbom_glob_match("**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/x",
				     "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
}

static void test_parse(void **state)
{
	struct sbom_scope_config c;
	const char good[] = "{ \"exclude\": [\"vendor/gen\", \"**/out\"], \"test_paths\": [\"qa\"] }";
	static const char *const bad[] = {
		"{ \"exclude\": \"src\" }", "{ \"exclude\": [1] }", "{ \"exlude\": [] }", "{ \"exclude\": [",
		"[]", "{ \"exclude\": [\"\"] }", "{ \"test_paths\": {} }", "",
	};
	(void)state;
	assert_int_equal(sbom_scope_config_parse(&c, good, strlen(good), "cfg"), 0);
	assert_int_equal(c.nexclude, 2);
	assert_string_equal(c.exclude[1], "**/out");
	assert_int_equal(c.ntest_paths, 1);
	assert_string_equal(c.test_paths[0], "qa");
	assert_string_equal(c.exclude_origin, ".sdl-sbom.json");
	sbom_scope_config_release(&c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = sbom_scope_config_parse(&c, bad[i], strlen(bad[i]), "cfg");
		assert_true(rc == SDL_EINVAL || rc == SDL_ELIMIT);
		assert_non_null(strstr(sdl_error_last(), "cfg"));
		assert_int_equal(c.nexclude + c.ntest_paths, 0);
	}
	/* limits: pattern count, pattern length, nesting, size */
	{
		char *big = sdl_malloc(SBOM_CONFIG_MAX_BYTES + 16);
		size_t n = 0;
		assert_non_null(big);
		n += (size_t)snprintf(big, 32, "{\"exclude\":[");
		for (int i = 0; i <= SBOM_CONFIG_MAX_PATTERNS; i++)
			n += (size_t)snprintf(big + n, 16, "%s\"p%d\"", i ? "," : "", i);
		n += (size_t)snprintf(big + n, 8, "]}");
		assert_int_equal(sbom_scope_config_parse(&c, big, n, "cfg"), SDL_ELIMIT);
		n = (size_t)snprintf(big, 32, "{\"exclude\":[\"");
		memset(big + n, 'a', SBOM_CONFIG_MAX_PATTERN + 1);
		n += SBOM_CONFIG_MAX_PATTERN + 1;
		n += (size_t)snprintf(big + n, 8, "\"]}");
		assert_int_equal(sbom_scope_config_parse(&c, big, n, "cfg"), SDL_EINVAL);
		memset(big, ' ', SBOM_CONFIG_MAX_BYTES + 1);
		assert_int_equal(sbom_scope_config_parse(&c, big, SBOM_CONFIG_MAX_BYTES + 1, "cfg"), SDL_ELIMIT);
		sdl_free(big);
		assert_int_equal(sbom_scope_config_parse(&c, "{\"exclude\":[[[[[\"x\"]]]]]}", 22, "cfg"), SDL_ELIMIT);
	}
}

static void fill(struct sbom_result *r)
{
	static const char *const paths[] = { "src/third_party/zlib", "tests/gtest", "Examples/demo/vcpkg.json",
					     "third_party/gen/zlib", "src/fixturesx/zlib", "docs/tests/zlib",
					     "qa/zlib" };
	struct sbom_track *t;
	size_t idx;
	sbom_result_init(r);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct sbom_component *c = sbom_component_new(SBOM_VENDORED, "zlib");
		assert_non_null(c);
		assert_int_equal(sbom_result_add_instance(r, paths[i], c), 0);
		sbom_component_unref(c);
	}
	assert_int_equal(sbom_result_add_note(r, "third_party/gen/zlib/x.h", "unreadable"), 0);
	assert_int_equal(sbom_result_add_note(r, "src/y.h", "unreadable"), 0);
	assert_non_null(t = sbom_result_new_track(r, &idx));
	assert_int_equal(sbom_set(&t->path, "third_party/gen/old"), 0);
	/* a removed component's history (sbom_track_add_event needs a real commit) */
	assert_non_null(t->events = sdl_calloc(1, sizeof(*t->events)));
	t->capevents = t->nevents = 1;
	t->events[0].type = SBOM_EV_REMOVED;
	assert_int_equal(sbom_set(&t->events[0].from, "1.2.3"), 0);
}

static void setup_config(struct sbom_sigpack *p, struct sbom_scope_config *c)
{
	static char *test[] = { "tests", "fixtures" }, *dev[] = { "examples", "docs" };
	memset(p, 0, sizeof(*p));
	p->scope_test = test;
	p->nscope_test = 2;
	p->scope_dev = dev;
	p->nscope_dev = 2;
	memset(c, 0, sizeof(*c));
	assert_int_equal(sbom_scope_add_pattern(&c->exclude, &c->nexclude, "third_party/gen"), 0);
	assert_int_equal(sbom_scope_add_pattern(&c->exclude, &c->nexclude, "none"), 0);
	assert_int_equal(sbom_scope_add_pattern(&c->test_paths, &c->ntest_paths, "qa"), 0);
	c->exclude_origin = "--exclude";
	c->test_origin = "--test-path";
}

static void test_apply(void **state)
{
	struct sbom_sigpack p;
	struct sbom_scope_config c;
	struct sbom_result r;
	(void)state;
	setup_config(&p, &c);
	fill(&r);
	assert_int_equal(sbom_scope_apply(&r, &p, &c), 0);
	assert_int_equal(r.ninst, 6);
	assert_string_equal(r.inst[0].path, "src/third_party/zlib");
	assert_int_equal(r.inst[0].scope, SBOM_SCOPE_PRODUCT);
	assert_null(r.inst[0].scope_reason);
	assert_string_equal(r.inst[1].path, "tests/gtest");
	assert_int_equal(r.inst[1].scope, SBOM_SCOPE_TEST);
	assert_string_equal(r.inst[1].scope_reason, "under tests/");
	assert_int_equal(r.inst[2].scope, SBOM_SCOPE_DEV);
	assert_string_equal(r.inst[2].scope_reason, "under Examples/");
	assert_string_equal(r.inst[3].path, "src/fixturesx/zlib");
	assert_int_equal(r.inst[3].scope, SBOM_SCOPE_PRODUCT);
	assert_int_equal(r.inst[4].scope, SBOM_SCOPE_DEV); /* the outermost directory decides */
	assert_string_equal(r.inst[4].scope_reason, "under docs/");
	assert_int_equal(r.inst[5].scope, SBOM_SCOPE_TEST);
	assert_string_equal(r.inst[5].scope_reason, "matches test path 'qa' (--test-path)");
	assert_int_equal(r.nnotes, 1);
	assert_string_equal(r.notes[0].path, "src/y.h");
	assert_int_equal(r.tracks[0].nevents, 0);
	assert_int_equal(r.nexcluded, 2);
	assert_string_equal(r.excluded[0], "third_party/gen (--exclude): 1 component(s), 1 note(s) dropped");
	assert_string_equal(r.excluded[1], "none (--exclude): 0 component(s), 0 note(s) dropped");
	sbom_result_release(&r);
	/* nothing configured: nothing dropped, nothing listed */
	{
		struct sbom_scope_config none = { 0 };
		fill(&r);
		assert_int_equal(sbom_scope_apply(&r, &p, &none), 0);
		assert_int_equal(r.ninst, 7);
		assert_int_equal(r.nexcluded, 0);
		assert_int_equal(r.tracks[0].nevents, 1);
		sbom_result_release(&r);
	}
	sbom_scope_config_release(&c);
}

static void test_apply_alloc_failure(void **state)
{
	struct sbom_sigpack p;
	struct sbom_scope_config c;
	struct sbom_result r;
	int rc = -1;
	(void)state;
	setup_config(&p, &c);
	for (unsigned long n = 1; rc != 0 && n < 1000; n++) {
		fill(&r);
		sdl_alloc_fail_at(n);
		rc = sbom_scope_apply(&r, &p, &c);
		sdl_alloc_fail_at(0);
		assert_true(rc == 0 || rc == SDL_ENOMEM);
		sbom_result_release(&r); /* no leak, no double free (ASan) */
	}
	assert_int_equal(rc, 0);
	for (unsigned long n = 1; n < 100; n++) {
		struct sbom_scope_config d;
		const char good[] = "{ \"exclude\": [\"a\", \"b\"], \"test_paths\": [\"c\"] }";
		sdl_alloc_fail_at(n);
		rc = sbom_scope_config_parse(&d, good, strlen(good), "cfg");
		sdl_alloc_fail_at(0);
		if (rc == 0) {
			sbom_scope_config_release(&d);
			break;
		}
		assert_int_equal(rc, SDL_ENOMEM);
	}
	assert_int_equal(rc, 0);
	sbom_scope_config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_apply_alloc_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
