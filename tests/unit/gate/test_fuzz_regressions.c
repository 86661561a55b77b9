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
