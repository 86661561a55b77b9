/* The rule pack: the default pack loads, overrides merge rule by rule, bad packs fail cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

static char dir[] = "/tmp/sdl-pack-XXXXXX";

static const char *write_tmp(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_default_pack(void **state)
{
	struct az_pack p;
	(void)state;
	assert_int_equal(az_pack_load(&p, NULL, NULL), 0);
	assert_true(p.nrules >= 25);
	const struct az_rule *r = az_pack_find(&p, "command-injection");
	assert_non_null(r);
	assert_int_equal(r->level, SDL_LEVEL_ERROR);
	assert_true(r->enabled);
	assert_true(az_json_strlist_has(r->cwe, "CWE-78"));
	assert_true(az_json_strlist_has(r->cert, "ENV33-C"));
	assert_non_null(az_rule_param(r, "functions"));
	assert_null(az_pack_find(&p, "no-such-rule"));
	assert_int_equal(strlen(p.hash), 64);
	/* every rule has a CWE mapping or is a meta rule, and a docs page */
	for (size_t i = 0; i < p.nrules; i++) {
		char doc[512];
		snprintf(doc, sizeof doc, "%s/docs/rules/%s.md", getenv("SDL_SOURCE_DIR"), p.rules[i].id);
		if (access(doc, R_OK) != 0)
			fail_msg("rule %s has no page %s", p.rules[i].id, doc);
		if (strncmp(p.rules[i].id, "suppression-", 12) && !cJSON_GetArraySize(p.rules[i].cwe))
			fail_msg("rule %s has no CWE", p.rules[i].id);
	}
	az_pack_release(&p);
}

static void test_override(void **state)
{
	struct az_pack p, q;
	(void)state;
	const char *o = write_tmp("o.json",
		"{\"rules\": [{\"id\": \"weak-prng\", \"enabled\": false},"
		" {\"id\": \"ignored-return\", \"level\": \"error\", \"params\": {\"functions\": [\"close\"]}}]}");
	assert_int_equal(az_pack_load(&p, NULL, o), 0);
	assert_false(az_pack_find(&p, "weak-prng")->enabled);
	const struct az_rule *r = az_pack_find(&p, "ignored-return");
	assert_int_equal(r->level, SDL_LEVEL_ERROR);
	assert_true(az_json_strlist_has(az_rule_param(r, "functions"), "close"));
	assert_false(az_json_strlist_has(az_rule_param(r, "functions"), "chdir"));
	assert_true(az_json_strlist_has(az_rule_param(r, "critical"), "setuid")); /* kept */
	assert_int_equal(az_pack_load(&q, NULL, NULL), 0);
	assert_string_not_equal(p.hash, q.hash); /* the cache key sees overrides */
	az_pack_release(&p);
	az_pack_release(&q);
}

static void expect_bad(const char *name, const char *text, int full, const char *needle)
{
	struct az_pack p;
	const char *path = write_tmp(name, text);
	int ret = full ? az_pack_load(&p, path, NULL) : az_pack_load(&p, NULL, path);
	assert_true(ret < 0);
	if (!strstr(sdl_error_last(), needle))
		fail_msg("error '%s' lacks '%s'", sdl_error_last(), needle);
	if (!strstr(sdl_error_last(), name))
		fail_msg("error '%s' does not name the file", sdl_error_last());
}

static void test_bad_packs(void **state)
{
	(void)state;
	expect_bad("syntax.json", "{\"rules\": [", 1, "syntax.json");
	expect_bad("norules.json", "{\"x\": 1}", 1, "no \"rules\"");
	expect_bad("noid.json", "{\"rules\": [{\"level\": \"error\"}]}", 1, "\"id\"");
	expect_bad("badid.json", "{\"rules\": [{\"id\": \"Bad Id\", \"level\": \"error\", \"summary\": \"s\"}]}", 1, "\"id\"");
	expect_bad("level.json", "{\"rules\": [{\"id\": \"a\", \"level\": \"loud\", \"summary\": \"s\"}]}", 1, "level");
	expect_bad("nosum.json", "{\"rules\": [{\"id\": \"a\", \"level\": \"error\"}]}", 1, "summary");
	expect_bad("cwe.json", "{\"rules\": [{\"id\": \"a\", \"level\": \"error\", \"summary\": \"s\", \"cwe\": \"CWE-1\"}]}", 1, "cwe");
	expect_bad("twice.json", "{\"rules\": [{\"id\": \"a\", \"level\": \"error\", \"summary\": \"s\"},"
		   "{\"id\": \"a\", \"level\": \"error\", \"summary\": \"s\"}]}", 1, "twice");
	expect_bad("unknown.json", "{\"rules\": [{\"id\": \"nope\"}]}", 0, "unknown rule");
	expect_bad("params.json", "{\"rules\": [{\"id\": \"weak-prng\", \"params\": 3}]}", 0, "params");
	expect_bad("enabled.json", "{\"rules\": [{\"id\": \"weak-prng\", \"enabled\": 1}]}", 0, "enabled");
}

static void test_alloc_failures(void **state)
{
	(void)state;
	for (unsigned long n = 1;; n++) {
		struct az_pack p;
		sdl_alloc_fail_at(n);
		int ret = az_pack_load(&p, NULL, NULL);
		sdl_alloc_fail_at(0);
		if (ret == 0) {
			az_pack_release(&p);
			break;
		}
		assert_int_equal(ret, SDL_ENOMEM);
		assert_true(n < 100000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_pack),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_bad_packs),
		cmocka_unit_test(test_alloc_failures),
	};
	sdl_alloc_install_cjson_hooks();
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
