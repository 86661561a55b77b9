/*
 * Every crash a fuzz target of sdl-analyze ever found stays fixed: the inputs
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
#include "../../fuzz/fuzz_analyze_pack.c"
#include "../../fuzz/fuzz_analyze_compdb.c"
#include "../../fuzz/fuzz_analyze_suppress.c"
#include "../../fuzz/regress.h"

static void test_analyze_pack(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_analyze_pack, "analyze_pack");
}

static void test_analyze_compdb(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_analyze_compdb, "analyze_compdb");
}

static void test_analyze_suppress(void **state)
{
	(void)state;
	regress_target(sdl_fuzz_analyze_suppress, "analyze_suppress");
}

int main(void)
{
	/* findings 12, 14 and 16 are fixed: every failing allocation of these
	 * targets must now end in SDL_ENOMEM (exit 3), never in success or in
	 * blaming the input (tests/fuzz/fuzz.h, fuzz_check_oom()) */
	setenv("SDL_FUZZ_STRICT_OOM", "1", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze_pack),
		cmocka_unit_test(test_analyze_compdb),
		cmocka_unit_test(test_analyze_suppress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
