/*
 * Unit tests for sbom/vulns.c: OSV matching by versions[] lists and
 * SEMVER/ECOSYSTEM ranges (introduced / fixed / last_affected, several
 * intervals), GIT ranges decided by ancestry in an upstream repository built
 * by the test (submodule checkout and .git/modules), "cannot decide" when the
 * upstream history is missing, VEX application (OpenVEX, CycloneDX VEX,
 * malformed statements), and allocation failure at each step.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/git.h"
#include "sbom/sbom.h"
#include "sbom/vulns.h"
#include "lib/banned.h"

static char tmp[PATH_MAX];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int n, rc;
	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
	return rc;
}

static void capture(char *out, size_t size, const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)size, p));
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

static void write_file(const char *rel, const char *text)
{
	char p[PATH_MAX + 64];
	FILE *f;
	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/sdl-sbom-vulns.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	/* the user's git configuration must not change the fixture */
	setenv("HOME", tmp, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "t", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "t", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.org", 1);
	sdl_alloc_install_cjson_hooks();
	return sdl_git_init() < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	sdl_git_shutdown();
	return sh("rm -rf '%s'", tmp);
}

static struct sbom_component *comp(enum sbom_kind kind, const char *name, const char *version, const char *purl,
				   const char *url)
{
	struct sbom_component *c = sbom_component_new(kind, name);
	assert_non_null(c);
	assert_int_equal(sbom_set(&c->version, version), 0);
	assert_int_equal(sbom_set(&c->purl, purl), 0);
	assert_int_equal(sbom_set(&c->source_url, url), 0);
	return c;
}

static void add(struct sbom_result *r, const char *path, struct sbom_component *c)
{
	assert_int_equal(sbom_result_add_instance(r, path, c), 0);
	sbom_component_unref(c);
}

/* "id|ref" of every match, sorted, joined by spaces */
static void matches(char *out, size_t size, const struct sbom_result *r)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->nvulns; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s|%s", i ? " " : "", r->vulns[i].id,
				      r->vulns[i].component_ref);
}

static const char *vuln_state(const struct sbom_result *r, const char *id)
{
	for (size_t i = 0; i < r->nvulns; i++)
		if (!strcmp(r->vulns[i].id, id))
			return r->vulns[i].state;
	return "(no such vulnerability)";
}

static void osv_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmp, name);
	assert_int_equal(sh("mkdir -p '%s'", out), 0);
}

/* ---- versions[] and SEMVER / ECOSYSTEM ranges ---- */

static void semver_records(char *dir, size_t size)
{
	osv_dir(dir, size, "osv-semver");
	write_file("osv-semver/a.json",
		   "{\"id\":\"OSV-LIST\",\"aliases\":[\"CVE-2000-1\"],\"affected\":[{\"package\":{\"name\":\"zlib\"},"
		   "\"versions\":[\"v1.2.11\",\"1.2.12\"]}]}");
	write_file("osv-semver/b.json",
		   "{\"id\":\"OSV-RANGE\",\"affected\":[{\"package\":{\"ecosystem\":\"GIT\",\"name\":\"github.com/madler/zlib\"},"
		   "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"1.0\"},{\"fixed\":\"1.2.13\"}]}]}]}");
	/* two intervals: [0, 2.0) and [3.0, 3.1.1] */
	write_file("osv-semver/c.json",
		   "{\"id\":\"OSV-TWO\",\"affected\":[{\"package\":{\"purl\":\"pkg:github/Mbed-TLS/mbedtls\"},"
		   "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0\"},"
		   "{\"introduced\":\"3.0\"},{\"last_affected\":\"3.1.1\"}]}]}]}");
	write_file("osv-semver/d.json", "{\"id\":\"OSV-WITHDRAWN\",\"withdrawn\":\"2020-01-01T00:00:00Z\","
					"\"affected\":[{\"package\":{\"name\":\"zlib\"},\"versions\":[\"1.2.12\"]}]}");
	write_file("osv-semver/e.json", "{\"id\":\"OSV-OTHER\",\"affected\":[{\"package\":{\"name\":\"zlibx\"},"
					"\"versions\":[\"1.2.12\"]}]}");
	write_file("osv-semver/f.json", "{ \"id\": ");
	write_file("osv-semver/g.json", "{\"summary\":\"no id\"}");
}

static void run_semver(const char *version_zlib, const char *version_mbed, const char *want)
{
	char dir[PATH_MAX + 32], got[4096];
	struct sbom_result r;
	sbom_result_init(&r);
	semver_records(dir, sizeof(dir));
	add(&r, "third_party/zlib", comp(SBOM_VENDORED, "zlib", version_zlib, NULL, NULL));
	add(&r, "libs/mbedtls", comp(SBOM_VENDORED, "mbedtls", version_mbed, "pkg:github/Mbed-TLS/mbedtls@v1", NULL));
	assert_int_equal(sbom_vulns_match(&r, dir, NULL), 0);
	matches(got, sizeof(got), &r);
	if (strcmp(got, want))
		fail_msg("zlib %s mbedtls %s: got \"%s\", want \"%s\"", version_zlib, version_mbed, got, want);
	/* the broken record and the one without an id are listed, never dropped */
	assert_int_equal(r.nnotes, 2);
	sbom_result_release(&r);
}

static void test_semver_ranges(void **state)
{
	(void)state;
	run_semver("1.2.12", "1.5", "OSV-LIST|zlib@third_party/zlib OSV-RANGE|zlib@third_party/zlib "
				    "OSV-TWO|mbedtls@libs/mbedtls");
	run_semver("1.2.11", "2.0", "OSV-LIST|zlib@third_party/zlib OSV-RANGE|zlib@third_party/zlib");
	run_semver("1.2.13", "3.0", "OSV-TWO|mbedtls@libs/mbedtls");
	run_semver("1.3", "3.1.1", "OSV-TWO|mbedtls@libs/mbedtls");
	run_semver("0.9", "3.1.2", "");
	run_semver("1.2.4", "2.16.3", "OSV-RANGE|zlib@third_party/zlib");
}

static void test_fixed_recommendation(void **state)
{
	char dir[PATH_MAX + 32];
	struct sbom_result r;
	(void)state;
	sbom_result_init(&r);
	semver_records(dir, sizeof(dir));
	add(&r, "z", comp(SBOM_VENDORED, "zlib", "1.2.5", NULL, NULL));
	assert_int_equal(sbom_vulns_match(&r, dir, NULL), 0);
	assert_int_equal(r.nvulns, 1);
	assert_string_equal(r.vulns[0].id, "OSV-RANGE");
	assert_non_null(r.vulns[0].fixed);
	assert_string_equal(r.vulns[0].fixed, "1.2.13");
	assert_non_null(strstr(r.vulns[0].matched_by, "SEMVER"));
	sbom_result_release(&r);
}

static void test_missing_dir(void **state)
{
	struct sbom_result r;
	char dir[PATH_MAX + 32];
	(void)state;
	sbom_result_init(&r);
	snprintf(dir, sizeof(dir), "%s/no-such-dir", tmp);
	assert_int_equal(sbom_vulns_match(&r, dir, NULL), SDL_ENOTFOUND);
	assert_non_null(strstr(sdl_error_last(), "no-such-dir"));
	sbom_result_release(&r);
}

/* ---- GIT ranges by ancestry ---- */

/*
 * upstream: X - A - B - C - D (master), E branches from A (no fix).
 * OSV-GIT: introduced A, fixed C. OSV-LAST: introduced A, last_affected B.
 */
static char hx[6][48]; /* X A B C D E */

static void make_upstream(void)
{
	static const char *const revs[] = { "master~4", "master~3", "master~2", "master~1", "master" };
	char cmd[PATH_MAX + 128];
	assert_int_equal(sh("cd '%s' && git init -q -b master up && cd up && for c in X A B C D; do "
			    "echo $c >f && git add f && git commit -qm $c || exit 1; done && "
			    "git checkout -q -b side HEAD~3 && echo E >f && git commit -qam E && git checkout -q master",
			    tmp),
			 0);
	for (int i = 0; i < 5; i++) {
		snprintf(cmd, sizeof(cmd), "git -C '%s/up' rev-parse %s", tmp, revs[i]);
		capture(hx[i], sizeof(hx[i]), cmd);
	}
	snprintf(cmd, sizeof(cmd), "git -C '%s/up' rev-parse side", tmp);
	capture(hx[5], sizeof(hx[5]), cmd);
}

static void git_records(char *dir, size_t size)
{
	char rec[2048];
	osv_dir(dir, size, "osv-git");
	snprintf(rec, sizeof(rec),
		 "{\"id\":\"OSV-GIT\",\"affected\":[{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://example.org/up.git\","
		 "\"events\":[{\"introduced\":\"%s\"},{\"fixed\":\"%s\"}]}]}]}",
		 hx[1], hx[3]);
	write_file("osv-git/git.json", rec);
	snprintf(rec, sizeof(rec),
		 "{\"id\":\"OSV-LAST\",\"affected\":[{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"https://example.org/up\","
		 "\"events\":[{\"introduced\":\"%s\"},{\"last_affected\":\"%s\"}]}]}]}",
		 hx[1], hx[2]);
	write_file("osv-git/last.json", rec);
}

/* superproject `name` whose work tree has the upstream at libs/up (checkout) or in .git/modules */
static git_repository *make_super(const char *name, int how)
{
	git_repository *repo = NULL;
	char p[PATH_MAX + 64];
	assert_int_equal(sh("cd '%s' && rm -rf %s && git init -q %s", tmp, name, name), 0);
	if (how == 1)
		assert_int_equal(sh("cd '%s' && git clone -q up %s/libs/up", tmp, name), 0);
	else if (how == 2)
		assert_int_equal(sh("cd '%s' && mkdir -p %s/.git/modules/libs && git clone -q --bare up "
				    "%s/.git/modules/libs/up",
				    tmp, name, name),
				 0);
	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	assert_int_equal(sdl_git_open(&repo, p), 0);
	return repo;
}

static void run_git(git_repository *repo, const char *commit_hex, const char *want, size_t want_notes,
		    const char *note_needle)
{
	char dir[PATH_MAX + 32], got[4096];
	struct sbom_result r;
	struct sbom_component *c = comp(SBOM_SUBMODULE, "up", NULL, NULL, "https://example.org/up.git");
	sbom_result_init(&r);
	git_records(dir, sizeof(dir));
	assert_int_equal(git_oid_fromstr(&c->oid, commit_hex), 0);
	c->has_oid = 1;
	add(&r, "libs/up", c);
	assert_int_equal(sbom_vulns_match(&r, dir, repo), 0);
	matches(got, sizeof(got), &r);
	if (strcmp(got, want))
		fail_msg("commit %.8s: got \"%s\", want \"%s\"", commit_hex, got, want);
	if (r.nnotes != want_notes)
		fail_msg("commit %.8s: %zu notes, want %zu (%s)", commit_hex, r.nnotes, want_notes,
			 r.nnotes ? r.notes[0].reason : "");
	if (note_needle && (!r.nnotes || !strstr(r.notes[0].reason, note_needle)))
		fail_msg("note \"%s\" lacks \"%s\"", r.nnotes ? r.notes[0].reason : "", note_needle);
	sbom_result_release(&r);
}

static void test_git_ancestry(void **state)
{
	(void)state;
	make_upstream();
	for (int how = 1; how <= 2; how++) {
		git_repository *repo = make_super(how == 1 ? "super-checkout" : "super-modules", how);
		run_git(repo, hx[0], "", 0, NULL);                                  /* X: before introduced */
		run_git(repo, hx[1], "OSV-GIT|up@libs/up OSV-LAST|up@libs/up", 0, NULL); /* A itself */
		run_git(repo, hx[2], "OSV-GIT|up@libs/up OSV-LAST|up@libs/up", 0, NULL); /* B */
		run_git(repo, hx[3], "", 0, NULL);                                  /* C: the fix */
		run_git(repo, hx[4], "", 0, NULL);                                  /* D: after the fix */
		/* E: side branch from A, neither the fix nor B in its history */
		run_git(repo, hx[5], "OSV-GIT|up@libs/up OSV-LAST|up@libs/up", 0, NULL);
		/* a commit the upstream repository does not have */
		run_git(repo, "1234567890123456789012345678901234567890", "", 2, "cannot decide");
		git_repository_free(repo);
	}
}

static void test_git_no_upstream(void **state)
{
	git_repository *repo = make_super("super-bare", 0);
	(void)state;
	/* D descends from the fix, but without the upstream history that cannot be known */
	run_git(repo, hx[4], "", 2, "cannot decide");
	/* B is OSV-LAST's last_affected event itself; OSV-GIT stays undecided */
	run_git(repo, hx[2], "OSV-LAST|up@libs/up", 1, "cannot decide");
	/* an exact introduced event needs no history */
	run_git(repo, hx[1], "OSV-GIT|up@libs/up OSV-LAST|up@libs/up", 0, NULL);
	/* no repository at all */
	run_git(NULL, hx[4], "", 2, "not available");
	git_repository_free(repo);
}

static void test_git_fixed_recommendation(void **state)
{
	git_repository *repo = make_super("super-fix", 1);
	char dir[PATH_MAX + 32];
	struct sbom_result r;
	struct sbom_component *c = comp(SBOM_SUBMODULE, "up", NULL, NULL, "https://example.org/up");
	(void)state;
	sbom_result_init(&r);
	git_records(dir, sizeof(dir));
	assert_int_equal(git_oid_fromstr(&c->oid, hx[5]), 0);
	c->has_oid = 1;
	add(&r, "libs/up", c);
	assert_int_equal(sbom_vulns_match(&r, dir, repo), 0);
	assert_int_equal(r.nvulns, 2);
	assert_string_equal(r.vulns[0].id, "OSV-GIT");
	assert_non_null(r.vulns[0].fixed);
	assert_string_equal(r.vulns[0].fixed, hx[3]);
	assert_non_null(strstr(r.vulns[0].matched_by, "descends"));
	sbom_result_release(&r);
	git_repository_free(repo);
}

/* ---- VEX ---- */

static void vex_result(struct sbom_result *r)
{
	char dir[PATH_MAX + 32];
	sbom_result_init(r);
	semver_records(dir, sizeof(dir));
	add(r, "third_party/zlib", comp(SBOM_VENDORED, "zlib", "1.2.12", "pkg:github/madler/zlib@v1.2.12", NULL));
	add(r, "libs/mbedtls", comp(SBOM_VENDORED, "mbedtls", "1.5", "pkg:github/Mbed-TLS/mbedtls@v1.5", NULL));
	assert_int_equal(sbom_vulns_match(r, dir, NULL), 0);
	assert_int_equal(r->nvulns, 3);
}

static const char openvex_text[] =
	"{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":["
		   "{\"vulnerability\":{\"name\":\"CVE-2000-1\"},\"products\":[{\"@id\":\"pkg:github/madler/zlib\"}],"
		   "\"status\":\"not_affected\",\"justification\":\"vulnerable_code_not_in_execute_path\"},"
		   "{\"vulnerability\":\"OSV-RANGE\",\"products\":[\"pkg:github/madler/zlib@v9\"],\"status\":\"fixed\"},"
		   "{\"vulnerability\":\"OSV-TWO\",\"status\":\"affected\"}]}";

static void test_vex_openvex(void **state)
{
	struct sbom_result r;
	char path[PATH_MAX + 32];
	(void)state;
	vex_result(&r);
	write_file("openvex.json", openvex_text);
	snprintf(path, sizeof(path), "%s/openvex.json", tmp);
	assert_int_equal(sbom_vex_apply(&r, path), 0);
	/* by alias and unversioned purl */
	assert_string_equal(vuln_state(&r, "OSV-LIST"), "not_affected");
	/* a versioned product that names another version does not apply */
	assert_null(vuln_state(&r, "OSV-RANGE"));
	/* no products: every component with that vulnerability */
	assert_string_equal(vuln_state(&r, "OSV-TWO"), "exploitable");
	for (size_t i = 0; i < r.nvulns; i++)
		if (!strcmp(r.vulns[i].id, "OSV-LIST"))
			assert_string_equal(r.vulns[i].justification, "code_not_reachable");
	sbom_result_release(&r);
}

static void test_vex_cyclonedx(void **state)
{
	struct sbom_result r;
	char path[PATH_MAX + 32];
	(void)state;
	vex_result(&r);
	write_file("cdx-vex.json", "{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"OSV-TWO\","
				   "\"analysis\":{\"state\":\"resolved\",\"detail\":\"patched\"},"
				   "\"affects\":[{\"ref\":\"mbedtls@libs/mbedtls\"}]}]}");
	snprintf(path, sizeof(path), "%s/cdx-vex.json", tmp);
	assert_int_equal(sbom_vex_apply(&r, path), 0);
	assert_string_equal(vuln_state(&r, "OSV-TWO"), "resolved");
	assert_null(vuln_state(&r, "OSV-LIST"));
	sbom_result_release(&r);
}

static void expect_bad_vex(const char *text, const char *needle)
{
	struct sbom_result r;
	char path[PATH_MAX + 32];
	vex_result(&r);
	write_file("bad-vex.json", text);
	snprintf(path, sizeof(path), "%s/bad-vex.json", tmp);
	assert_int_equal(sbom_vex_apply(&r, path), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "bad-vex.json"));
	if (needle && !strstr(sdl_error_last(), needle))
		fail_msg("\"%s\" lacks \"%s\"", sdl_error_last(), needle);
	sbom_result_release(&r);
}

static void test_vex_bad(void **state)
{
	(void)state;
	expect_bad_vex("{\"statements\":[{\"vulnerability\":\"CVE-1\",\"status\":\"not_affected\"}]}",
		       "justification");
	expect_bad_vex("{\"statements\":[{\"vulnerability\":\"CVE-1\",\"status\":\"maybe\"}]}", "status");
	expect_bad_vex("{\"vulnerabilities\":[{\"id\":\"CVE-1\"}]}", "analysis");
	expect_bad_vex("{\"something\":1}", "neither");
	expect_bad_vex("{ broken", NULL);
}

/* ---- allocation failure ---- */

static void test_alloc_failure_match(void **state)
{
	char dir[PATH_MAX + 32], vex[PATH_MAX + 32];
	git_repository *repo = make_super("super-alloc", 1);
	unsigned long n;
	int rc;
	(void)state;
	git_records(dir, sizeof(dir));
	semver_records(dir, sizeof(dir));
	assert_int_equal(sh("cp '%s'/osv-git/*.json '%s'/osv-semver/", tmp, tmp), 0);
	write_file("openvex.json", openvex_text);
	snprintf(vex, sizeof(vex), "%s/openvex.json", tmp);
	for (n = 1;; n++) {
		struct sbom_result r;
		struct sbom_component *c = comp(SBOM_SUBMODULE, "up", NULL, NULL, "https://example.org/up");
		assert_int_equal(git_oid_fromstr(&c->oid, hx[2]), 0);
		c->has_oid = 1;
		sbom_result_init(&r);
		add(&r, "libs/up", c);
		add(&r, "third_party/zlib", comp(SBOM_VENDORED, "zlib", "1.2.12", "pkg:github/madler/zlib@v1.2.12", NULL));
		sdl_alloc_fail_at(n);
		rc = sbom_vulns_match(&r, dir, repo);
		if (rc == 0)
			rc = sbom_vex_apply(&r, vex);
		sdl_alloc_fail_at(0);
		if (rc == 0) {
			assert_int_equal(r.nvulns, 4);
			if (!vuln_state(&r, "OSV-LIST"))
				fail_msg("allocation %lu failed silently: VEX not applied", n);
			assert_string_equal(vuln_state(&r, "OSV-LIST"), "not_affected");
			sbom_result_release(&r);
			break;
		}
		if (rc != SDL_ENOMEM)
			fail_msg("allocation %lu: %d %s", n, rc, sdl_error_last());
		sbom_result_release(&r);
		assert_true(n < 100000);
	}
	git_repository_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semver_ranges),
		cmocka_unit_test(test_fixed_recommendation),
		cmocka_unit_test(test_missing_dir),
		cmocka_unit_test(test_git_ancestry),
		cmocka_unit_test(test_git_no_upstream),
		cmocka_unit_test(test_git_fixed_recommendation),
		cmocka_unit_test(test_vex_openvex),
		cmocka_unit_test(test_vex_cyclonedx),
		cmocka_unit_test(test_vex_bad),
		cmocka_unit_test(test_alloc_failure_match),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
