/*
 * The checker fixture runner: every .c file in tests/fixtures/analyze/<rule>/ marks
 * its expected findings on their lines with `expect: rule-id` (in a comment).
 * The test fails on any finding that is missing or unexpected, on a fixture
 * that does not parse cleanly, and on a rule of the pack without a fixture.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "az.h"
#include "sources.h"
#include "suppress.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

struct expect { unsigned line; char rule[64]; int seen; };

/* `expect:` lines (marker "expect:"), or the audit notes (marker "expect-audit:"). */
static size_t parse_expectations(struct expect *out, size_t max, const struct az_source *src,
				 const char *marker)
{
	size_t n = 0;
	for (size_t l = 0; l < src->nlines; l++) {
		size_t a = src->lines[l], b = l + 1 < src->nlines ? src->lines[l + 1] : src->len;
		char line[1024];
		size_t len = b - a < sizeof line - 1 ? b - a : sizeof line - 1;
		memcpy(line, src->data + a, len);
		line[len] = '\0';
		char *p = strstr(line, marker);
		if (!p)
			continue;
		p += strlen(marker);
		for (;;) {
			while (*p == ' ' || *p == ',')
				p++;
			size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
			if (!k || n >= max)
				break;
			out[n].line = (unsigned)l + 1;
			memcpy(out[n].rule, p, k < 63 ? k : 63);
			out[n].rule[k < 63 ? k : 63] = '\0';
			out[n].seen = 0;
			n++;
			p += k;
		}
	}
	return n;
}

/*
 * Compare findings of `rel` with the expectations; returns the number of
 * mismatches and prints each. Suppressed findings and audit notes do not count.
 */
static int in_rules(const struct expect *ex, size_t nex, const char *rule)
{
	for (size_t e = 0; e < nex; e++)
		if (!strcmp(ex[e].rule, rule))
			return 1;
	return 0;
}

/* audit: compare only the notes of the rules the expectations name. */
static int compare_mode(const struct sdl_findings *fs, const char *rel, struct expect *ex,
			size_t nex, int audit)
{
	int bad = 0;
	for (size_t i = 0; i < fs->count; i++) {
		const struct sdl_finding *f = &fs->items[i];
		if (!f->path || strcmp(f->path, rel) || f->suppressed)
			continue;
		if (audit && (f->level != SDL_LEVEL_NOTE || !in_rules(ex, nex, f->rule_id)))
			continue;
		int hit = 0;
		for (size_t e = 0; e < nex && !hit; e++)
			if (!ex[e].seen && ex[e].line == f->line && !strcmp(ex[e].rule, f->rule_id))
				ex[e].seen = hit = 1;
		if (!hit) {
			fprintf(stderr, "%s:%u:%u: unexpected finding: %s [%s]\n", rel, f->line,
				f->column, f->message, f->rule_id);
			bad++;
		}
	}
	for (size_t e = 0; e < nex; e++)
		if (!ex[e].seen) {
			fprintf(stderr, "%s:%u: missing finding [%s]\n", rel, ex[e].line, ex[e].rule);
			bad++;
		}
	return bad;
}

static int compare(const struct sdl_findings *fs, const char *rel, struct expect *ex, size_t nex)
{
	return compare_mode(fs, rel, ex, nex, 0);
}

static char *fixtures_dir(void)
{
	const char *src = getenv("SDL_SOURCE_DIR");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s/tests/fixtures/analyze", src ? src : "../..");
	char *r = realpath(buf, NULL);
	return r;
}

static char seen_rules[64][64];
static size_t nseen_rules;

/*
 * fortify: also compiled as our release build is (-O2 -D_FORTIFY_SOURCE=2),
 * where glibc turns snprintf, memcpy... into __builtin___*_chk calls: the
 * expectations are the same.
 */
static int run_fixture(struct az_pack *pack, CXIndex index, const char *root, const char *rel,
		       int audit, int fortify)
{
	char abs[8192];
	struct az_tu_result r;
	struct az_sources sources;
	struct expect ex[256];
	static const char *const args[] = { "-std=gnu11", "-D_GNU_SOURCE", "-resource-dir",
					    SDL_CLANG_RESOURCE_DIR, "-w", "-O2",
					    "-D_FORTIFY_SOURCE=2" };
	struct az_opts opts = { .root = root, .pack = pack, .audit = audit };
	int bad = 0;

	snprintf(abs, sizeof abs, "%s/%s", root, rel);
	az_tu_result_init(&r);
	az_sources_init(&sources, root, NULL, 0);
	int ret = az_analyze_tu(&r, index, &opts, abs, args, fortify ? 7 : 5);
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", rel, sdl_error_last());
		bad++;
		goto done;
	}
	for (size_t i = 0; i < r.nerrors; i++) {
		fprintf(stderr, "%s: parse error: %s\n", rel, r.errors[i]);
		bad++;
	}
	ret = az_suppress_apply(&r.findings, &sources, r.files, r.nfiles, pack);
	assert_int_equal(ret, 0);
	const struct az_source *src = az_sources_get(&sources, rel);
	assert_non_null(src);
	size_t nex = parse_expectations(ex, 256, src, audit ? "expect-audit:" : "expect:");
	if (audit) {
		if (nex)
			bad += compare_mode(&r.findings, rel, ex, nex, 1);
		goto done;
	}
	for (size_t e = 0; e < nex; e++) {
		int known = 0;
		for (size_t k = 0; k < nseen_rules; k++)
			known |= !strcmp(seen_rules[k], ex[e].rule);
		if (!known && nseen_rules < 64)
			snprintf(seen_rules[nseen_rules++], 64, "%s", ex[e].rule);
	}
	bad += compare(&r.findings, rel, ex, nex);
done:
	if (bad && fortify)
		fprintf(stderr, "  (%s compiled with -O2 -D_FORTIFY_SOURCE=2)\n", rel);
	az_tu_result_release(&r);
	az_sources_release(&sources);
	return bad;
}

static void test_all_fixtures(void **state)
{
	struct az_pack pack;
	char *root = fixtures_dir();
	int bad = 0, nfiles = 0;
	(void)state;
	assert_non_null(root);
	assert_int_equal(az_pack_load(&pack, NULL, NULL), 0);
	CXIndex index = clang_createIndex(0, 0);
	DIR *d = opendir(root);
	assert_non_null(d);
	struct dirent **rules = NULL;
	int nr = scandir(root, &rules, NULL, alphasort);
	closedir(d);
	for (int i = 0; i < nr; i++) {
		if (rules[i]->d_name[0] == '.') {
			free(rules[i]);
			continue;
		}
		char sub[8192];
		snprintf(sub, sizeof sub, "%s/%s", root, rules[i]->d_name);
		struct dirent **files = NULL;
		int nf = scandir(sub, &files, NULL, alphasort);
		for (int j = 0; j < nf; j++) {
			const char *n = files[j]->d_name;
			size_t l = strlen(n);
			if (l > 2 && !strcmp(n + l - 2, ".c")) {
				char rel[600];
				snprintf(rel, sizeof rel, "%s/%s", rules[i]->d_name, n);
				for (int fortify = 0; fortify < 2; fortify++) {
					bad += run_fixture(&pack, index, root, rel, 0, fortify);
					bad += run_fixture(&pack, index, root, rel, 1, fortify);
				}
				nfiles++;
			}
			free(files[j]);
		}
		free(files);
		free(rules[i]);
	}
	free(rules);
	/* every enabled rule of the pack is shown by some fixture */
	for (size_t i = 0; i < pack.nrules; i++) {
		int has = 0;
		for (size_t k = 0; k < nseen_rules; k++)
			has |= !strcmp(seen_rules[k], pack.rules[i].id);
		if (!has) {
			fprintf(stderr, "rule %s has no fixture with an expected finding\n", pack.rules[i].id);
			bad++;
		}
	}
	printf("%d fixture files\n", nfiles);
	clang_disposeIndex(index);
	az_driver_forget();
	az_pack_release(&pack);
	free(root);
	assert_int_equal(bad, 0);
}

/* The runner itself must be able to fail: a missing and an unexpected finding. */
static void test_compare_detects_mismatch(void **state)
{
	struct sdl_findings fs;
	struct expect ex[2] = { { 3, "banned-function", 0 }, { 9, "toctou", 0 } };
	(void)state;
	sdl_findings_init(&fs);
	assert_int_equal(sdl_findings_add(&fs, "banned-function", SDL_LEVEL_WARNING, "x.c", 3, 1,
					  "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&fs, "weak-prng", SDL_LEVEL_WARNING, "x.c", 5, 1, "m",
					  NULL), 0);
	assert_int_equal(compare(&fs, "x.c", ex, 2), 2); /* weak-prng unexpected, toctou missing */
	ex[0].seen = ex[1].seen = 0;
	fs.items[1].suppressed = 1;
	assert_int_equal(compare(&fs, "x.c", ex, 1), 0);
	sdl_findings_release(&fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_detects_mismatch),
		cmocka_unit_test(test_all_fixtures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
