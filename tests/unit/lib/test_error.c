/* Unit tests: lib/error (thread-local last error, wrapping, exit codes). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lib/error.h"

static void set_returns_code_and_formats(void **state)
{
	(void)state;
	assert_int_equal(sdl_error_set(SDL_EINVAL, "%s:%d: bad header", "a.json", 3), SDL_EINVAL);
	assert_string_equal(sdl_error_last(), "a.json:3: bad header");
	assert_int_equal(sdl_error_last_code(), SDL_EINVAL);
	sdl_error_clear();
	assert_string_equal(sdl_error_last(), "");
	assert_int_equal(sdl_error_last_code(), SDL_OK);
}

static void errno_appends_strerror(void **state)
{
	(void)state;
	sdl_error_set_errno(SDL_ENOTFOUND, ENOENT, "%s", "missing.json");
	assert_string_equal(sdl_error_last(), "missing.json: No such file or directory");
}

static void wrap_prefixes(void **state)
{
	(void)state;
	sdl_error_set(SDL_EINVAL, "line 3: unexpected token");
	assert_int_equal(sdl_error_wrap(SDL_EINVAL, "%s", "policy.json"), SDL_EINVAL);
	assert_string_equal(sdl_error_last(), "policy.json: line 3: unexpected token");
	sdl_error_clear();
	sdl_error_wrap(SDL_EIO, "only the prefix");
	assert_string_equal(sdl_error_last(), "only the prefix");
}

static void long_messages_truncate(void **state)
{
	char big[4 * SDL_ERROR_MAX];
	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sdl_error_set(SDL_EINVAL, "%s", big);
	assert_int_equal(strlen(sdl_error_last()), SDL_ERROR_MAX - 1);
	sdl_error_wrap(SDL_EINVAL, "%s", big);
	assert_int_equal(strlen(sdl_error_last()), SDL_ERROR_MAX - 1);
	sdl_error_set_errno(SDL_EIO, EIO, "%s", big);
	assert_int_equal(strlen(sdl_error_last()), SDL_ERROR_MAX - 1);
}

static void messages_stay_one_line(void **state)
{
	(void)state;
	sdl_error_set(SDL_EINVAL, "%s: bad", "evil\nname\033[2J");
	assert_string_equal(sdl_error_last(), "evil?name?[2J: bad");
	sdl_error_wrap(SDL_EINVAL, "%s", "a\rb");
	assert_string_equal(sdl_error_last(), "a?b: evil?name?[2J: bad");
}

static void *other_thread(void *arg)
{
	(void)arg;
	sdl_error_set(SDL_EIO, "from the other thread");
	return NULL;
}

static void messages_are_per_thread(void **state)
{
	pthread_t t;
	(void)state;
	sdl_error_set(SDL_EINVAL, "mine");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, NULL);
	assert_string_equal(sdl_error_last(), "mine");
}

static void exit_codes(void **state)
{
	(void)state;
	assert_int_equal(sdl_exit_code_for(SDL_OK), 0);
	assert_int_equal(sdl_exit_code_for(SDL_EINVAL), 2);
	assert_int_equal(sdl_exit_code_for(SDL_ENOTFOUND), 2);
	assert_int_equal(sdl_exit_code_for(SDL_ELIMIT), 2);
	assert_int_equal(sdl_exit_code_for(SDL_EUSAGE), 2);
	assert_int_equal(sdl_exit_code_for(SDL_ENOMEM), 3);
	assert_int_equal(sdl_exit_code_for(SDL_EIO), 3);
	assert_int_equal(sdl_exit_code_for(SDL_EINTERNAL), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_returns_code_and_formats),
		cmocka_unit_test(errno_appends_strerror),
		cmocka_unit_test(wrap_prefixes),
		cmocka_unit_test(long_messages_truncate),
		cmocka_unit_test(messages_are_per_thread),
		cmocka_unit_test(messages_stay_one_line),
		cmocka_unit_test(exit_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
