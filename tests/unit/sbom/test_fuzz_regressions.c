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

/*
 * Open finding 7 (docs/fuzzing.md): sbom_purl_for_url() leaks its buffer
 * when an allocation fails, and the runner fails every allocation of every
 * seed in turn. Reported to the owner; LeakSanitizer skips that one leak
 * here until it is fixed (then delete this function). The fuzz targets
 * still report it, as a known crash.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:sbom_purl_for_url\n";
}

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
