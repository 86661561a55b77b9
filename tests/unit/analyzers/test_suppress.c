/* Inline suppressions: forms accepted, reasons, unused and unjustified ones. */
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

static struct az_pack pack;

static const char text[] =
	"/* sdl-allow(banned-function): copy of a literal */\n"          /* 1 */
	"strcpy(a, b);\n"                                                 /* 2 */
	"x = 1; // sdl-allow(weak-prng, banned-function): test data only\n" /* 3 */
	"strcpy(a, b); /* sdl-allow(toctou) */\n"                         /* 4 */
	"const char *s = \"sdl-allow(banned-function): not a comment\";\n" /* 5 */
	"strcpy(a, b);\n"                                                 /* 6 */
	" * sdl-allow(use-after-free): inside a block comment\n"          /* 7 */
	"free(p); use(p);\n";                                             /* 8 */

static void test_apply(void **state)
{
	struct az_unsaved u = { (char *)"/r/f.c", (char *)text, sizeof text - 1 };
	struct az_sources src;
	struct sdl_findings fs;
	char *files[] = { (char *)"f.c" };
	(void)state;
	az_sources_init(&src, "/r", &u, 1);
	sdl_findings_init(&fs);
	assert_int_equal(sdl_findings_add(&fs, "banned-function", SDL_LEVEL_WARNING, "f.c", 2, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&fs, "weak-prng", SDL_LEVEL_WARNING, "f.c", 3, 5, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&fs, "banned-function", SDL_LEVEL_WARNING, "f.c", 6, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&fs, "use-after-free", SDL_LEVEL_ERROR, "f.c", 8, 10, "m", NULL), 0);
	assert_int_equal(az_suppress_apply(&fs, &src, files, 1, &pack), 0);

	assert_true(fs.items[0].suppressed);
	assert_string_equal(fs.items[0].supp.justification, "copy of a literal");
	assert_true(fs.items[1].suppressed);
	assert_string_equal(fs.items[1].supp.justification, "test data only");
	assert_false(fs.items[2].suppressed); /* a string literal is no comment */
	assert_true(fs.items[3].suppressed);
	/* line 3's banned-function reaches lines 3 and 4, where there is none: unused */
	int unjust = 0, unused = 0;
	for (size_t i = 4; i < fs.count; i++) {
		if (!strcmp(fs.items[i].rule_id, "suppression-unjustified")) {
			unjust++;
			assert_int_equal(fs.items[i].line, 4);
		}
		if (!strcmp(fs.items[i].rule_id, "suppression-unused"))
			unused++;
	}
	assert_int_equal(unjust, 1);
	assert_int_equal(unused, 2); /* banned-function on line 3, toctou on line 4 */
	sdl_findings_release(&fs);
	az_sources_release(&src);
}

static void test_no_sources(void **state)
{
	struct az_sources src;
	struct sdl_findings fs;
	char *files[] = { (char *)"missing.c" };
	(void)state;
	az_sources_init(&src, "/nonexistent-root", NULL, 0);
	sdl_findings_init(&fs);
	assert_int_equal(az_suppress_apply(&fs, &src, files, 1, &pack), 0);
	assert_int_equal(fs.count, 0);
	assert_null(az_sources_line("missing.c", 1, &src));
	az_sources_release(&src);
}

static void test_line_text(void **state)
{
	struct az_unsaved u = { (char *)"/r/f.c", (char *)"a\r\nbb\nccc", 10 };
	struct az_sources src;
	(void)state;
	az_sources_init(&src, "/r", &u, 1);
	assert_string_equal(az_sources_line("f.c", 1, &src), "a");
	assert_string_equal(az_sources_line("f.c", 2, &src), "bb");
	assert_string_equal(az_sources_line("f.c", 3, &src), "ccc");
	assert_null(az_sources_line("f.c", 4, &src));
	assert_null(az_sources_line("f.c", 0, &src));
	az_sources_release(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_no_sources),
		cmocka_unit_test(test_line_text),
	};
	sdl_alloc_install_cjson_hooks();
	if (az_pack_load(&pack, NULL, NULL) < 0)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	az_pack_release(&pack);
	return rc;
}
