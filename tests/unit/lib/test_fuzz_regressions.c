/*
 * Every crash a fuzz target of lib/ ever found stays fixed: the inputs under
 * tests/fuzz/regressions/<target>/ and the seed corpora run through the same
 * entry function the libFuzzer target calls (tests/fuzz/fuzz_<target>.c,
 * compiled here without libFuzzer). A broken property aborts; ASan/UBSan
 * catch the rest in the sanitizer build. docs/fuzzing.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define SDL_FUZZ_REGRESSION 1
#include "../../fuzz/fuzz_json.c"
#include "../../fuzz/fuzz_path.c"
#include "../../fuzz/fuzz_sarif.c"
#include "../../fuzz/regress.h"

static void test_json(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_json, "json");
}

static void test_path(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_path, "path");
}

static void test_sarif(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_sarif, "sarif");
}

/* The runner itself can fail: an empty or missing seed corpus is an error. */
static void test_runner_counts(void **state)
{
	(void)state;
	assert_true(regress_run_dir(sdl_fuzz_path, "regressions", "path") >= 1);
	assert_int_equal(regress_run_dir(sdl_fuzz_path, "corpus", "no-such-target"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_runner_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
