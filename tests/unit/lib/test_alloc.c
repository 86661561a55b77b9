/* Unit tests: lib/alloc (wrappers, failure injection, overflow checks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "lib/alloc.h"
#include "lib/error.h"

static void wrappers_allocate(void **state)
{
	char *s;
	int *v;
	(void)state;
	s = sdl_strdup("hello");
	assert_non_null(s);
	assert_string_equal(s, "hello");
	sdl_free(s);
	s = sdl_strndup("hello", 3);
	assert_string_equal(s, "hel");
	SDL_FREE_AND_NULL(s);
	assert_null(s);
	v = sdl_calloc(4, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(v[3], 0);
	v = sdl_reallocarray(v, 8, sizeof(*v));
	assert_non_null(v);
	sdl_free(v);
}

static void nth_allocation_fails(void **state)
{
	void *a, *b, *c;
	(void)state;
	sdl_alloc_fail_at(3);
	a = sdl_malloc(8);
	b = sdl_malloc(8);
	c = sdl_malloc(8);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(c);
	assert_int_equal(sdl_error_last_code(), SDL_ENOMEM);
	assert_non_null(strstr(sdl_error_last(), "out of memory"));
	assert_null(sdl_strdup("x")); /* later ones fail too */
	assert_int_equal(sdl_alloc_count(), 4);
	sdl_alloc_fail_at(0);
	c = sdl_malloc(8);
	assert_non_null(c);
	sdl_free(a);
	sdl_free(b);
	sdl_free(c);
}

static void failed_realloc_keeps_block(void **state)
{
	char *p = sdl_strdup("keep");
	(void)state;
	sdl_alloc_fail_at(1);
	assert_null(sdl_realloc(p, 1024));
	sdl_alloc_fail_at(0);
	assert_string_equal(p, "keep");
	sdl_free(p);
}

static void overflow_is_refused(void **state)
{
	size_t out = 7;
	(void)state;
	assert_int_equal(sdl_size_mul(&out, SIZE_MAX / 2 + 1, 2), SDL_ELIMIT);
	assert_int_equal(out, 7);
	assert_int_equal(sdl_size_add(&out, SIZE_MAX, 1), SDL_ELIMIT);
	assert_int_equal(sdl_size_mul(&out, 3, 5), 0);
	assert_int_equal(out, 15);
	assert_int_equal(sdl_size_add(&out, SIZE_MAX - 1, 1), 0);
	assert_int_equal(out, SIZE_MAX);
	assert_null(sdl_calloc(SIZE_MAX / 2, 4));
	assert_null(sdl_reallocarray(NULL, SIZE_MAX / 2, 4));
	assert_int_equal(sdl_error_last_code(), SDL_ENOMEM);
}

static void cjson_goes_through_wrappers(void **state)
{
	(void)state;
	sdl_alloc_install_cjson_hooks();
	sdl_alloc_fail_at(1);
	assert_null(cJSON_Parse("{\"a\": [1, 2, 3]}"));
	sdl_alloc_fail_at(0);
	cJSON *ok = cJSON_Parse("{\"a\": [1, 2, 3]}");
	assert_non_null(ok);
	cJSON_Delete(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrappers_allocate),
		cmocka_unit_test(nth_allocation_fails),
		cmocka_unit_test(failed_realloc_keeps_block),
		cmocka_unit_test(overflow_is_refused),
		cmocka_unit_test(cjson_goes_through_wrappers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
