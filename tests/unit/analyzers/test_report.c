/*
 * Report helpers: the SARIF result limit (which results are kept, in which
 * order) and the GitLab SAST severity bands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "az.h"
#include "report.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

static void add(struct sdl_findings *l, const char *rule, enum sdl_level lv, const char *path,
		unsigned line)
{
	assert_int_equal(sdl_findings_add(l, rule, lv, path, line, 1, "m", NULL), 0);
}

static void test_truncate_keeps_most_severe(void **state)
{
	struct az_pack pack;
	struct sdl_findings l;
	(void)state;
	assert_int_equal(az_pack_load(&pack, NULL, NULL), 0);
	sdl_findings_init(&l);
	/* command-injection 9.8 > use-after-free 8.8 > banned-function 7.5 > weak-prng */
	for (unsigned i = 0; i < 6; i++)
		add(&l, "banned-function", SDL_LEVEL_WARNING, "a.c", 10 + i);
	add(&l, "use-after-free", SDL_LEVEL_ERROR, "z.c", 5);
	add(&l, "command-injection", SDL_LEVEL_ERROR, "b.c", 1);
	add(&l, "banned-function", SDL_LEVEL_NOTE, "a.c", 1); /* audit note: below the warnings */
	l.items[0].suppressed = 1; /* suppressed: kept last */
	assert_int_equal(az_truncate_results(&l, &pack, 20), 0); /* under the limit: untouched */
	assert_int_equal(l.count, 9);

	assert_int_equal(az_truncate_results(&l, &pack, 4), 5);
	assert_int_equal(l.count, 4);
	/* kept: command-injection, use-after-free, the first two unsuppressed
	 * banned-function warnings (a.c:11, a.c:12), in output order */
	assert_string_equal(l.items[0].path, "a.c");
	assert_int_equal(l.items[0].line, 11);
	assert_int_equal(l.items[1].line, 12);
	assert_string_equal(l.items[2].rule_id, "command-injection");
	assert_string_equal(l.items[3].rule_id, "use-after-free");
	for (size_t i = 0; i < l.count; i++)
		assert_false(l.items[i].suppressed);
	sdl_findings_release(&l);

	/* deterministic whatever the input order */
	struct sdl_findings a, b;
	sdl_findings_init(&a);
	sdl_findings_init(&b);
	for (unsigned i = 0; i < 50; i++) {
		add(&a, i % 3 ? "weak-prng" : "toctou", SDL_LEVEL_WARNING, "f.c", i + 1);
		add(&b, (49 - i) % 3 ? "weak-prng" : "toctou", SDL_LEVEL_WARNING, "f.c", 50 - i);
	}
	assert_int_equal(az_truncate_results(&a, &pack, 7), 43);
	assert_int_equal(az_truncate_results(&b, &pack, 7), 43);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(a.items[i].line, b.items[i].line);
		assert_string_equal(a.items[i].rule_id, b.items[i].rule_id);
	}
	sdl_findings_release(&a);
	sdl_findings_release(&b);
	az_pack_release(&pack);
}

static void test_gitlab_severity(void **state)
{
	struct az_rule r = { 0 };
	struct sdl_finding f = { 0 };
	(void)state;
	r.level = SDL_LEVEL_ERROR;
	f.level = SDL_LEVEL_ERROR;
	r.security_severity = "9.8";
	assert_string_equal(az_gitlab_severity(&f, &r), "Critical");
	r.security_severity = "9.0";
	assert_string_equal(az_gitlab_severity(&f, &r), "High");
	r.security_severity = "7.0";
	assert_string_equal(az_gitlab_severity(&f, &r), "High");
	r.security_severity = "6.9";
	assert_string_equal(az_gitlab_severity(&f, &r), "Medium");
	r.security_severity = "3.0";
	assert_string_equal(az_gitlab_severity(&f, &r), "Low");
	r.security_severity = "0.0";
	assert_string_equal(az_gitlab_severity(&f, &r), "Info");
	/* an audit note of an error rule is Low */
	r.security_severity = "8.8";
	f.level = SDL_LEVEL_NOTE;
	assert_string_equal(az_gitlab_severity(&f, &r), "Low");
	/* no security-severity: from the level */
	r.security_severity = NULL;
	f.level = SDL_LEVEL_ERROR;
	assert_string_equal(az_gitlab_severity(&f, &r), "High");
	f.level = SDL_LEVEL_WARNING;
	assert_string_equal(az_gitlab_severity(&f, NULL), "Medium");
	f.level = SDL_LEVEL_NOTE;
	assert_string_equal(az_gitlab_severity(&f, NULL), "Low");
}

/* Text fields cannot carry control sequences (T-6a; CWE-117, CWE-150). */
static void test_text_escape(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "src/a.c", "src/a.c" },
		{ "a\nfake.c:1:1: error: x", "a\\nfake.c:1:1: error: x" },
		{ "\033[2K\r\t\x7f", "\\x1b[2K\\r\\t\\x7f" },
		{ "C1 \xc2\x9b" "31m", "C1 \\u009b31m" },      /* U+009B CSI */
		{ "raw \x9b" "31m", "raw \\x9b31m" },           /* 8-bit CSI, not UTF-8 */
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
		{ "cut \xe2\x82", "cut \\xe2\\x82" },       /* truncated sequence */
		{ "back\\slash", "back\\slash" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sdl_buf b = SDL_BUF_INIT;
		assert_int_equal(az_text_escape(&b, cases[i].in), 0);
		assert_string_equal(b.ptr, cases[i].want);
		sdl_buf_release(&b);
	}
	struct sdl_buf b = SDL_BUF_INIT;
	assert_int_equal(az_text_escape(&b, NULL), 0);
	assert_string_equal(b.ptr, "?");
	sdl_buf_release(&b);
	/* an allocation failure is reported, not swallowed */
	sdl_alloc_fail_at(1);
	int ret = az_text_escape(&b, "x\ny");
	sdl_alloc_fail_at(0);
	assert_int_equal(ret, SDL_ENOMEM);
	sdl_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncate_keeps_most_severe),
		cmocka_unit_test(test_gitlab_severity),
		cmocka_unit_test(test_text_escape),
	};
	sdl_alloc_install_cjson_hooks();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
