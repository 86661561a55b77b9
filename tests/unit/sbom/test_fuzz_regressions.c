/*
 * Every crash a fuzz target of sdl-sbom ever found stays fixed: the inputs
 * under tests/fuzz/regressions/<target>/ and the seed corpora run through
 * the same entry function the libFuzzer target calls (tests/fuzz/fuzz_<target>.c,
 * compiled here without libFuzzer). A broken property aborts; ASan/UBSan
 * catch the rest in the sanitizer build. docs/fuzzing.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <malloc.h>
#include <sys/resource.h>

#define SDL_FUZZ_REGRESSION 1
#include "../../fuzz/fuzz_sbom_vcpkg.c"
#include "../../fuzz/fuzz_sbom_conan.c"
#include "../../fuzz/fuzz_sbom_cmake.c"
#include "../../fuzz/fuzz_sbom_meson.c"
#include "../../fuzz/fuzz_sbom_yaml.c"
#include "../../fuzz/fuzz_sbom_platformio.c"
#include "../../fuzz/fuzz_sbom_yaml_mini.c"
#include "../../fuzz/fuzz_sbom_license.c"
#include "../../fuzz/fuzz_sbom_version.c"
#include "../../fuzz/fuzz_sbom_gitmodules.c"
#include "../../fuzz/fuzz_sbom_osv.c"
#include "../../fuzz/fuzz_sbom_vex.c"
#include "../../fuzz/regress.h"

static void test_sbom_vcpkg(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_vcpkg, "sbom_vcpkg");
}

static void test_sbom_conan(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_conan, "sbom_conan");
}

static void test_sbom_cmake(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_cmake, "sbom_cmake");
}

static void test_sbom_meson(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_meson, "sbom_meson");
}

static void test_sbom_yaml(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_yaml, "sbom_yaml");
}

static void test_sbom_platformio(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_platformio, "sbom_platformio");
}

static void test_sbom_yaml_mini(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_yaml_mini, "sbom_yaml_mini");
}

static void test_sbom_license(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_license, "sbom_license");
}

static void test_sbom_version(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_version, "sbom_version");
}

static void test_sbom_gitmodules(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_gitmodules, "sbom_gitmodules");
}

static void test_sbom_osv(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_osv, "sbom_osv");
}

static void test_sbom_vex(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sbom_vex, "sbom_vex");
}

/* Resolve the harness's three gitlinks against a .gitmodules of text into r. */
static int resolve_text(struct sbom_result *r, const char *text)
{
	struct gitmodules_repo *g = gitmodules_repo();
	struct sbom_ctx ctx = { g->repo, g->odb, sbom_fuzz_sigs() };
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_oid blob, tid, commit;
	int rc;

	sbom_result_init(r);
	git_oid_fromstr(&commit, "0123456789abcdef0123456789abcdef01234567");
	for (size_t i = 0; i < 3; i++) {
		struct sbom_component *c = sbom_component_new(SBOM_SUBMODULE, gitmodules_paths[i]);
		assert_non_null(c);
		assert_int_equal(sbom_result_add_instance(r, gitmodules_paths[i], c), 0);
		git_oid_cpy(&c->oid, &commit);
		c->has_oid = 1;
		sbom_component_unref(c);
	}
	assert_int_equal(git_blob_create_from_buffer(&blob, g->repo, text, strlen(text)), 0);
	assert_int_equal(git_treebuilder_new(&tb, g->repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, ".gitmodules", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tid, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, g->repo, &tid), 0);
	rc = sbom_submodules_resolve(r, &ctx, tree, 1);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	return rc;
}

static const char *comp_at(const struct sbom_result *r, const char *path)
{
	for (size_t i = 0; i < r->ninst; i++)
		if (!strcmp(r->inst[i].path, path))
			return r->inst[i].comp->name;
	return NULL;
}

/*
 * Finding 9: a URL that names no repository ("https://host/", "git@host:")
 * falls back to the submodule path's basename; a trailing '/' after a
 * repository path still names it.
 */
static void test_submodule_names(void **state)
{
	struct sbom_result r;
	(void)state;
	assert_int_equal(resolve_text(&r, "[submodule \"z\"]\n\tpath = third_party/zlib\n"
					  "\turl = https://example.com/\n"
					  "[submodule \"m\"]\n\tpath = lib/mbedtls\n\turl = git@host:\n"
					  "[submodule \"c\"]\n\tpath = ext/cjson\n"
					  "\turl = https://github.com/DaveGamble/cJSON.git/\n"), 0);
	assert_int_equal(r.ninst, 3);
	assert_string_equal(comp_at(&r, "third_party/zlib"), "zlib");
	assert_string_equal(comp_at(&r, "lib/mbedtls"), "mbedtls");
	assert_string_equal(comp_at(&r, "ext/cjson"), "cJSON");
	sbom_result_release(&r);
	assert_int_equal(resolve_text(&r, "[submodule \"m\"]\n\tpath = lib/mbedtls\n"
					  "\turl = git@github.com:Mbed-TLS/mbedtls.git\n"), 0);
	assert_string_equal(comp_at(&r, "lib/mbedtls"), "mbedtls");
	sbom_result_release(&r);
}

/*
 * Finding 11: resolving allocates what the .gitmodules needs, not
 * 4096 entries x 2.5 KiB. Checked with a data limit 4 MiB above what the
 * process uses (RLIMIT_DATA counts anonymous mmaps since Linux 4.7); not
 * under ASan, whose shadow memory makes such limits meaningless.
 */
static void test_gitmodules_alloc_size(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
#define SBOM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SBOM_TEST_ASAN 1
#endif
#endif
#ifdef SBOM_TEST_ASAN
	(void)state;
	skip();
#else
	struct sbom_result r;
	struct rlimit old, lim;
	unsigned long vmdata_kb = 0;
	char line[256];
	FILE *fp = fopen("/proc/self/status", "r");
	int rc;
	(void)state;
	if (!fp)
		skip();
	/*
	 * Fixed thresholds: a large block is mapped and unmapped again, so a
	 * block freed earlier cannot hide in the heap (glibc otherwise raises
	 * the thresholds after each large free).
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 256 * 1024);
	malloc_trim(0);
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmData: %lu kB", &vmdata_kb) == 1)
			break;
	fclose(fp);
	assert_true(vmdata_kb > 0);
	(void)resolve_text(&r, "[submodule \"z\"]\n\tpath = third_party/zlib\n"); /* warm up */
	sbom_result_release(&r);
	assert_int_equal(getrlimit(RLIMIT_DATA, &old), 0);
	lim = old;
	lim.rlim_cur = (rlim_t)(vmdata_kb + 4096) * 1024;
	if (old.rlim_cur != RLIM_INFINITY && old.rlim_cur < lim.rlim_cur)
		skip();
	assert_int_equal(setrlimit(RLIMIT_DATA, &lim), 0);
	rc = resolve_text(&r, "[submodule \"z\"]\n\tpath = third_party/zlib\n"
			      "\turl = https://github.com/madler/zlib\n");
	assert_int_equal(setrlimit(RLIMIT_DATA, &old), 0);
	assert_int_equal(rc, 0);
	assert_string_equal(comp_at(&r, "third_party/zlib"), "zlib");
	sbom_result_release(&r);
#endif
}

/*
 * Finding 7: sbom_purl_for_url() leaks nothing whichever allocation fails.
 * Measured with the heap's in-use bytes (glibc mallinfo2), over 64 calls
 * per failing allocation: the thread cache keeps a few freed blocks that
 * count as in use, so one leak can hide in it, 64 cannot. Under ASan,
 * LeakSanitizer reports the leak as well (its suppression is gone).
 */
static void test_purl_for_url_oom(void **state)
{
	char version[600];
	(void)state;
	/* a version long enough that the second printf must grow the buffer */
	memset(version, 'x', sizeof(version) - 1);
	version[sizeof(version) - 1] = '\0';
	memcpy(version, "v1.2.3-", 7);
	for (unsigned long k = 1;; k++) {
		char *purl = NULL;
		size_t before = mallinfo2().uordblks, after;
		int rc = 0;
		for (int rep = 0; rep < 64; rep++) {
			sdl_alloc_fail_at(k);
			rc = sbom_purl_for_url(&purl, "https://github.com/Owner/Repo.git", version);
			sdl_alloc_fail_at(0);
			if (rc == 0)
				break;
			assert_int_equal(rc, SDL_ENOMEM);
			assert_null(purl);
		}
		if (rc == 0) {
			assert_true(!strncmp(purl, "pkg:github/owner/repo@v1.2.3-", 29));
			assert_int_equal(strlen(purl), 22 + strlen(version));
			sdl_free(purl);
			break;
		}
		after = mallinfo2().uordblks;
		if (after > before + 1024)
			fail_msg("allocation %lu failing leaks (%zu bytes after 64 calls)", k,
				 after - before);
		assert_true(k < 100);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbom_vcpkg),
		cmocka_unit_test(test_sbom_conan),
		cmocka_unit_test(test_sbom_cmake),
		cmocka_unit_test(test_sbom_meson),
		cmocka_unit_test(test_sbom_yaml),
		cmocka_unit_test(test_sbom_platformio),
		cmocka_unit_test(test_sbom_yaml_mini),
		cmocka_unit_test(test_sbom_license),
		cmocka_unit_test(test_sbom_version),
		cmocka_unit_test(test_sbom_gitmodules),
		cmocka_unit_test(test_sbom_osv),
		cmocka_unit_test(test_sbom_vex),
		cmocka_unit_test(test_submodule_names),
		cmocka_unit_test(test_gitmodules_alloc_size),
		cmocka_unit_test(test_purl_for_url_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
