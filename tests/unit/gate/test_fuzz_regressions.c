/*
 * Every crash a fuzz target of sdl-gate ever found stays fixed: the inputs
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
#include "../../fuzz/fuzz_gate_catalog.c"
#include "../../fuzz/fuzz_gate_policy.c"
#include "../../fuzz/fuzz_gate_project.c"
#include "../../fuzz/fuzz_gate_junit.c"
#include "../../fuzz/fuzz_gate_waivers.c"
#include "../../fuzz/fuzz_gate_records.c"
#include "../../fuzz/fuzz_gate_sarif.c"
#include "../../fuzz/fuzz_gate_sbom.c"
#include "../../fuzz/fuzz_gate_fuzz.c"
#include "../../fuzz/fuzz_gate_verify.c"
#include "../../fuzz/fuzz_gate_signers.c"
#include "../../fuzz/fuzz_gate_sshsig.c"
#include "../../fuzz/fuzz_gate_tracker.c"
#include "../../fuzz/fuzz_gate_scoping.c"
#include "../../fuzz/regress.h"

static void test_gate_catalog(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_catalog, "gate_catalog");
}

static void test_gate_policy(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_policy, "gate_policy");
}

static void test_gate_project(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_project, "gate_project");
}

/*
 * Fuzz finding 3: with one allocation failing, gate_project_load() must say
 * SDL_ENOMEM (exit 3), never blame the input (SDL_EINVAL, exit 2). Checked
 * here for every allocation of every kept input, whatever SDL_FUZZ_STRICT_OOM
 * says.
 */
static void test_gate_project_oom_is_enomem(void **state)
{
	const char *src = getenv("SDL_SOURCE_DIR");
	const char *inputs[] = { "regressions/gate_project/oom-reported-as-einval",
				 "corpus/gate_project/full.json" };
	(void)state;
	assert_non_null(src);
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct sdl_buf b = SDL_BUF_INIT, path = SDL_BUF_INIT;
		unsigned long nalloc = 0;
		assert_int_equal(sdl_buf_printf(&path, "%s/tests/fuzz/%s", src, inputs[i]), 0);
		if (!sdl_fs_is_file(path.ptr)) {
			sdl_buf_release(&path);
			assert_true(i > 0); /* the kept input must exist */
			continue;
		}
		assert_int_equal(sdl_fs_read_file(&b, path.ptr, (size_t)1 << 20), 0);
		assert_int_equal(gate_project_once((const uint8_t *)b.ptr, b.len, 0, &nalloc), 0);
		assert_true(nalloc > 0);
		for (unsigned long k = 1; k <= nalloc; k++) {
			int ret = gate_project_once((const uint8_t *)b.ptr, b.len, k, NULL);
			if (ret != 0 && ret != SDL_ENOMEM)
				fail_msg("%s: allocation %lu failing gives %d (%s)", inputs[i], k, ret,
					 sdl_error_last());
		}
		sdl_buf_release(&b);
		sdl_buf_release(&path);
	}
}

static void test_gate_junit(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_junit, "gate_junit");
}

static void test_gate_waivers(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_waivers, "gate_waivers");
}

static void test_gate_records(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_records, "gate_records");
}

static void test_gate_sarif(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_sarif, "gate_sarif");
}

static void test_gate_sbom(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_sbom, "gate_sbom");
}

static void test_gate_fuzz(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_fuzz, "gate_fuzz");
}

static void test_gate_verify(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_verify, "gate_verify");
}

static void test_gate_signers(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_signers, "gate_signers");
}

static void test_gate_sshsig(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_sshsig, "gate_sshsig");
}

static void test_gate_tracker(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_tracker, "gate_tracker");
}

static void test_gate_scoping(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_gate_scoping, "gate_scoping");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gate_catalog),
		cmocka_unit_test(test_gate_policy),
		cmocka_unit_test(test_gate_project),
		cmocka_unit_test(test_gate_project_oom_is_enomem),
		cmocka_unit_test(test_gate_junit),
		cmocka_unit_test(test_gate_waivers),
		cmocka_unit_test(test_gate_records),
		cmocka_unit_test(test_gate_sarif),
		cmocka_unit_test(test_gate_sbom),
		cmocka_unit_test(test_gate_fuzz),
		cmocka_unit_test(test_gate_verify),
		cmocka_unit_test(test_gate_signers),
		cmocka_unit_test(test_gate_sshsig),
		cmocka_unit_test(test_gate_tracker),
		cmocka_unit_test(test_gate_scoping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
