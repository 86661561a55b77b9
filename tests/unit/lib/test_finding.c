/* Unit tests: lib/finding (levels, list, order, dedup, fingerprints). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/finding.h"

static void levels(void **state)
{
	enum sdl_level l = SDL_LEVEL_NONE;
	(void)state;
	assert_string_equal(sdl_level_name(SDL_LEVEL_NONE), "none");
	assert_string_equal(sdl_level_name(SDL_LEVEL_NOTE), "note");
	assert_string_equal(sdl_level_name(SDL_LEVEL_WARNING), "warning");
	assert_string_equal(sdl_level_name(SDL_LEVEL_ERROR), "error");
	assert_int_equal(sdl_level_parse(&l, "error"), 0);
	assert_int_equal(l, SDL_LEVEL_ERROR);
	assert_int_equal(sdl_level_parse(&l, "note"), 0);
	assert_int_equal(l, SDL_LEVEL_NOTE);
	assert_int_equal(sdl_level_parse(&l, "Error"), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "'Error'"));
	assert_int_equal(sdl_level_parse(&l, NULL), SDL_EINVAL);
	assert_int_equal(l, SDL_LEVEL_NOTE);
}

static void add_take_release(void **state)
{
	struct sdl_findings list;
	struct sdl_finding f;
	(void)state;
	sdl_findings_init(&list);
	for (int i = 0; i < 40; i++)
		assert_int_equal(sdl_findings_add(&list, "r1", SDL_LEVEL_WARNING, "a.c", (unsigned)i + 1, 2,
						  "msg", i % 2 ? "fn" : NULL), 0);
	assert_int_equal(list.count, 40);
	assert_string_equal(list.items[39].path, "a.c");
	assert_string_equal(list.items[39].function, "fn");
	assert_null(list.items[38].function);
	memset(&f, 0, sizeof(f));
	f.rule_id = sdl_strdup("r2");
	f.message = sdl_strdup("m");
	assert_int_equal(sdl_findings_take(&list, &f), 0);
	assert_null(f.rule_id); /* ownership moved */
	assert_string_equal(list.items[40].rule_id, "r2");
	sdl_findings_release(&list);
	assert_int_equal(list.count, 0);
	sdl_findings_release(&list); /* twice is fine */
}

static void allocation_failure_add(void **state)
{
	struct sdl_findings list;
	unsigned long n;
	int ret;
	(void)state;
	sdl_findings_init(&list);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		ret = sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, "p.c", 1, 1, "m", "f");
		sdl_alloc_fail_at(0);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
		assert_int_equal(list.count, 0);
	}
	assert_int_equal(n, 6); /* 4 strings + the array, then success */
	assert_int_equal(list.count, 1);
	sdl_findings_release(&list);
}

static void sort_and_dedup(void **state)
{
	struct sdl_findings list;
	(void)state;
	sdl_findings_init(&list);
	assert_int_equal(sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, "b.c", 1, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, "a.c", 9, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, "a.c", 10, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&list, "q", SDL_LEVEL_ERROR, "a.c", 9, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, "a.c", 9, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, "a.c", 9, 1, "n", NULL), 0);
	assert_int_equal(sdl_findings_add(&list, "r", SDL_LEVEL_ERROR, NULL, 0, 0, "global", NULL), 0);
	sdl_findings_sort(&list);
	assert_null(list.items[0].path); /* no path first */
	assert_string_equal(list.items[1].rule_id, "q");
	assert_int_equal(list.items[2].line, 9);
	assert_int_equal(list.items[3].line, 9);
	assert_string_equal(list.items[4].message, "n");
	assert_int_equal(list.items[5].line, 10);
	assert_string_equal(list.items[6].path, "b.c");
	sdl_findings_dedup(&list);
	assert_int_equal(list.count, 6); /* one exact duplicate gone */
	assert_string_equal(list.items[3].message, "n");
	assert_true(sdl_finding_cmp(&list.items[0], &list.items[1]) < 0);
	assert_int_equal(sdl_finding_cmp(&list.items[2], &list.items[2]), 0);
	sdl_findings_release(&list);
}

/* A fake source file: lines[] of one path. */
struct src {
	const char **lines;
	unsigned n;
};

static const char *line_of(const char *path, unsigned line, void *payload)
{
	struct src *s = payload;
	(void)path;
	return line >= 1 && line <= s->n ? s->lines[line - 1] : NULL;
}

static void fingerprint_survives_lines_inserted_above(void **state)
{
	const char *before[] = { "int f(void)", "{", "\tstrcpy(dst, src);", "}" };
	const char *after[] = { "/* new comment */", "", "int f(void)", "{", "  strcpy(dst,   src);  ", "}" };
	struct src s1 = { before, 4 }, s2 = { after, 6 };
	struct sdl_findings a, b;
	(void)state;
	sdl_findings_init(&a);
	sdl_findings_init(&b);
	assert_int_equal(sdl_findings_add(&a, "CWE-120", SDL_LEVEL_ERROR, "x.c", 3, 2, "copy", "f"), 0);
	assert_int_equal(sdl_findings_add(&b, "CWE-120", SDL_LEVEL_ERROR, "x.c", 5, 3, "copy", "f"), 0);
	assert_int_equal(sdl_findings_fingerprint(&a, line_of, &s1), 0);
	assert_int_equal(sdl_findings_fingerprint(&b, line_of, &s2), 0);
	assert_int_equal(strlen(a.items[0].fingerprint), 64);
	assert_string_equal(a.items[0].fingerprint, b.items[0].fingerprint);

	/* ...and changes when the rule, the function or the line text changes */
	sdl_findings_release(&b);
	assert_int_equal(sdl_findings_add(&b, "CWE-121", SDL_LEVEL_ERROR, "x.c", 3, 2, "copy", "f"), 0);
	assert_int_equal(sdl_findings_add(&b, "CWE-120", SDL_LEVEL_ERROR, "x.c", 3, 2, "copy", "g"), 0);
	assert_int_equal(sdl_findings_add(&b, "CWE-120", SDL_LEVEL_ERROR, "y.c", 3, 2, "copy", "f"), 0);
	assert_int_equal(sdl_findings_add(&b, "CWE-120", SDL_LEVEL_ERROR, "x.c", 4, 1, "copy", "f"), 0);
	assert_int_equal(sdl_findings_fingerprint(&b, line_of, &s1), 0);
	for (size_t i = 0; i < b.count; i++)
		assert_string_not_equal(a.items[0].fingerprint, b.items[i].fingerprint);
	sdl_findings_release(&a);
	sdl_findings_release(&b);
}

static void identical_findings_get_distinct_fingerprints(void **state)
{
	const char *lines[] = { "x = a;", "y = 0;", "x = a;", "x =   a;" };
	struct src s = { lines, 4 };
	struct sdl_findings a;
	char keep[80];
	(void)state;
	sdl_findings_init(&a);
	/* added out of order: numbering follows position, not insertion */
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 3, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 1, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 4, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_fingerprint(&a, line_of, &s), 0);
	assert_string_not_equal(a.items[0].fingerprint, a.items[1].fingerprint);
	assert_string_not_equal(a.items[0].fingerprint, a.items[2].fingerprint);
	assert_string_not_equal(a.items[1].fingerprint, a.items[2].fingerprint);
	snprintf(keep, sizeof(keep), "%s", a.items[1].fingerprint); /* the first occurrence (line 1) */
	/* an existing fingerprint is kept */
	assert_int_equal(sdl_findings_fingerprint(&a, line_of, &s), 0);
	assert_string_equal(a.items[1].fingerprint, keep);
	sdl_findings_release(&a);

	/* the first occurrence alone gets the same fingerprint as before */
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 1, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_fingerprint(&a, line_of, &s), 0);
	assert_string_equal(a.items[0].fingerprint, keep);
	sdl_findings_release(&a);

	/* without line text the message stands in */
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 1, 1, "x = a;", NULL), 0);
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 7, 1, "other", NULL), 0);
	assert_int_equal(sdl_findings_fingerprint(&a, NULL, NULL), 0);
	assert_string_equal(a.items[0].fingerprint, keep);
	assert_string_not_equal(a.items[1].fingerprint, keep);
	sdl_findings_release(&a);
	assert_int_equal(sdl_findings_fingerprint(&a, NULL, NULL), 0); /* empty list */
}

static void allocation_failure_fingerprint(void **state)
{
	struct sdl_findings a;
	unsigned long n;
	int ret;
	(void)state;
	sdl_findings_init(&a);
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 1, 1, "m", NULL), 0);
	assert_int_equal(sdl_findings_add(&a, "R", SDL_LEVEL_NOTE, "z.c", 2, 1, "m", NULL), 0);
	for (n = 1;; n++) {
		sdl_alloc_fail_at(n);
		ret = sdl_findings_fingerprint(&a, NULL, NULL);
		sdl_alloc_fail_at(0);
		if (ret == 0)
			break;
		assert_int_equal(ret, SDL_ENOMEM);
		/* all or nothing */
		assert_null(a.items[0].fingerprint);
		assert_null(a.items[1].fingerprint);
		assert_true(n < 100);
	}
	assert_non_null(a.items[0].fingerprint);
	sdl_findings_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels),
		cmocka_unit_test(add_take_release),
		cmocka_unit_test(allocation_failure_add),
		cmocka_unit_test(sort_and_dedup),
		cmocka_unit_test(fingerprint_survives_lines_inserted_above),
		cmocka_unit_test(identical_findings_get_distinct_fingerprints),
		cmocka_unit_test(allocation_failure_fingerprint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
