/* Unit tests: lib/cli (shared option conventions) and lib/progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/cli.h"
#include "lib/error.h"
#include "lib/progress.h"

static const char *const formats[] = { "text", "sarif", "json", NULL };

static void picks_format(void **state)
{
	int idx = -1;
	(void)state;
	assert_int_equal(sdl_cli_pick_format(&idx, "t", NULL, formats), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(sdl_cli_pick_format(&idx, "t", "json", formats), 0);
	assert_int_equal(idx, 2);
	assert_int_equal(sdl_cli_pick_format(&idx, "t", "xml", formats), SDL_EXIT_BADINPUT);
}

static void source_date_epoch(void **state)
{
	(void)state;
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(sdl_cli_source_date_epoch(), -1);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	assert_int_equal(sdl_cli_source_date_epoch(), 1700000000LL);
	setenv("SOURCE_DATE_EPOCH", "17x", 1);
	assert_int_equal(sdl_cli_source_date_epoch(), -1);
	setenv("SOURCE_DATE_EPOCH", "-5", 1);
	assert_int_equal(sdl_cli_source_date_epoch(), -1);
	unsetenv("SOURCE_DATE_EPOCH");
}

static void fail_maps_exit_codes(void **state)
{
	(void)state;
	sdl_error_set(SDL_EINVAL, "x.json:1:1: not JSON");
	assert_int_equal(sdl_cli_fail("t", SDL_EINVAL), SDL_EXIT_BADINPUT);
	assert_int_equal(sdl_cli_fail("t", SDL_ENOMEM), SDL_EXIT_INTERNAL);
}

static void version_names_tool(void **state)
{
	char text[512] = { 0 };
	FILE *f = tmpfile();
	(void)state;
	assert_non_null(f);
	sdl_cli_print_version(f, "sdl-test");
	rewind(f);
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_true(strncmp(text, "sdl-test ", 9) == 0);
	assert_non_null(strstr(text, "libgit2"));
}

static void progress_silent_without_terminal(void **state)
{
	(void)state;
	/* ctest runs us with stderr on a pipe: progress must stay off. */
	sdl_progress_init(0);
	assert_false(sdl_progress_enabled());
	sdl_progress_update("%d files", 3);
	sdl_progress_done();
	sdl_progress_init(1);
	assert_false(sdl_progress_enabled());
}

/* With stderr on a terminal (a pseudo-terminal here) progress is drawn. */
static void progress_drawn_on_terminal(void **state)
{
	char seen[256] = { 0 };
	int master, slave, saved;
	ssize_t n;
	(void)state;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	saved = dup(STDERR_FILENO);
	assert_true(dup2(slave, STDERR_FILENO) >= 0);

	sdl_progress_init(1); /* --quiet wins even on a terminal */
	int quiet_enabled = sdl_progress_enabled();
	sdl_progress_init(0);
	int enabled = sdl_progress_enabled();
	sdl_progress_update("%d files", 3);
	sdl_progress_done();

	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	close(slave);
	/* The terminal may hand the bytes over in pieces: read until the clear. */
	size_t got = 0;
	struct pollfd pfd = { master, POLLIN, 0 };
	while (got < sizeof(seen) - 1 && !strstr(seen, "\r\033[K") && poll(&pfd, 1, 2000) > 0) {
		n = read(master, seen + got, sizeof(seen) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	n = (ssize_t)got;
	close(master);
	sdl_progress_init(0);
	assert_false(quiet_enabled);
	assert_true(enabled);
	assert_true(n > 0);
	assert_non_null(strstr(seen, "3 files"));
	assert_non_null(strstr(seen, "\033[K"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(picks_format),
		cmocka_unit_test(source_date_epoch),
		cmocka_unit_test(fail_maps_exit_codes),
		cmocka_unit_test(version_names_tool),
		cmocka_unit_test(progress_silent_without_terminal),
		cmocka_unit_test(progress_drawn_on_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
