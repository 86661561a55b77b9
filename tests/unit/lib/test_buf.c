/* Unit tests: lib/buf (bounded string buffer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"

static void starts_empty_and_terminated(void **state)
{
	struct sdl_buf b = SDL_BUF_INIT;
	(void)state;
	assert_string_equal(b.ptr, "");
	assert_int_equal(b.len, 0);
	sdl_buf_release(&b); /* releasing an untouched buffer is fine */
	sdl_buf_clear(&b);
	assert_string_equal(b.ptr, "");
}

static void appends(void **state)
{
	struct sdl_buf b;
	(void)state;
	sdl_buf_init(&b, 1024);
	assert_int_equal(sdl_buf_puts(&b, "path"), 0);
	assert_int_equal(sdl_buf_putc(&b, ':'), 0);
	assert_int_equal(sdl_buf_printf(&b, "%d:%d", 12, 7), 0);
	assert_int_equal(sdl_buf_put(&b, "\0x", 2), 0);
	assert_int_equal(b.len, 11);
	assert_string_equal(b.ptr, "path:12:7");
	assert_int_equal(b.ptr[10], 'x');
	sdl_buf_truncate(&b, 4);
	assert_string_equal(b.ptr, "path");
	sdl_buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	sdl_buf_release(&b);
}

static void grows_large(void **state)
{
	struct sdl_buf b;
	size_t i;
	(void)state;
	sdl_buf_init(&b, SDL_BUF_DEFAULT_MAX);
	for (i = 0; i < 100000; i++)
		assert_int_equal(sdl_buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.ptr[100000], '\0');
	assert_int_equal(b.ptr[27], 'b');
	sdl_buf_release(&b);
}

static void limit_is_enforced_exactly(void **state)
{
	struct sdl_buf b;
	(void)state;
	sdl_buf_init(&b, 8);
	assert_int_equal(sdl_buf_puts(&b, "12345678"), 0); /* exactly at the limit */
	assert_int_equal(sdl_buf_putc(&b, '9'), SDL_ELIMIT); /* one past it */
	assert_string_equal(b.ptr, "12345678");             /* unchanged */
	assert_non_null(strstr(sdl_error_last(), "limit of 8 bytes"));
	assert_int_equal(sdl_buf_printf(&b, "%s", "x"), SDL_ELIMIT);
	assert_int_equal(b.len, 8);
	sdl_buf_release(&b);
	sdl_buf_init(&b, 8);
	assert_int_equal(sdl_buf_put(&b, "123456789", 9), SDL_ELIMIT);
	assert_int_equal(b.len, 0);
	sdl_buf_release(&b);
}

static void detach_hands_over(void **state)
{
	struct sdl_buf b;
	size_t len = 0;
	char *s;
	(void)state;
	sdl_buf_init(&b, 64);
	s = sdl_buf_detach(&b, &len); /* empty buffer: a fresh "" */
	assert_non_null(s);
	assert_string_equal(s, "");
	sdl_free(s);
	sdl_buf_puts(&b, "owned");
	s = sdl_buf_detach(&b, &len);
	assert_string_equal(s, "owned");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	sdl_free(s);
	sdl_buf_release(&b);
}

static void allocation_failure_leaves_buffer_intact(void **state)
{
	struct sdl_buf b;
	unsigned long n;
	(void)state;
	sdl_buf_init(&b, 1 << 20);
	assert_int_equal(sdl_buf_puts(&b, "keep"), 0);
	for (n = 1;; n++) {
		int err;
		sdl_alloc_fail_at(n);
		err = sdl_buf_printf(&b, "%0*d", 4096, 1);
		sdl_alloc_fail_at(0);
		if (err == 0)
			break;
		assert_int_equal(err, SDL_ENOMEM);
		assert_string_equal(b.ptr, "keep");
	}
	assert_int_equal(b.len, 4 + 4096);
	sdl_buf_release(&b);
	sdl_alloc_fail_at(1);
	assert_null(sdl_buf_detach(&b, NULL));
	sdl_alloc_fail_at(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(starts_empty_and_terminated),
		cmocka_unit_test(appends),
		cmocka_unit_test(grows_large),
		cmocka_unit_test(limit_is_enforced_exactly),
		cmocka_unit_test(detach_hands_over),
		cmocka_unit_test(allocation_failure_leaves_buffer_intact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
