/*
 * The regression runner shared by tests/unit/<area>/test_fuzz_regressions.c:
 * the normal test suite (gcc or clang, no libFuzzer, and under ASan/UBSan in
 * the sanitizer build) feeds every file of tests/fuzz/regressions/<name>/
 * (crash inputs found by fuzzing, kept forever) and tests/fuzz/corpus/<name>/
 * (the seeds) to the same entry function the libFuzzer target calls.
 *
 * Include after cmocka.h and after defining SDL_FUZZ_REGRESSION and
 * including the target sources.
 */
#ifndef SDL_FUZZ_REGRESS_H
#define SDL_FUZZ_REGRESS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/error.h"
#include "lib/fs.h"

typedef int (*fuzz_entry_fn)(const uint8_t *data, size_t size);

static int regress_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Run fn on every regular file of <source>/tests/fuzz/<kind>/<name>/ in
 * sorted order; returns how many it ran (0 if the directory is absent).
 */
static size_t regress_run_dir(fuzz_entry_fn fn, const char *kind, const char *name)
{
	const char *src = getenv("SDL_SOURCE_DIR");
	char dir[4096], path[4096 + 256];
	char **names = NULL;
	size_t n = 0, cap = 0, ran = 0;
	struct dirent *de;
	DIR *d;

	assert_non_null(src);
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s/%s", src, kind, name);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **grown;
			cap = cap ? cap * 2 : 64;
			grown = realloc(names, cap * sizeof(*names));
			assert_non_null(grown);
			names = grown;
		}
		names[n] = strdup(de->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), regress_cmp);
	for (size_t i = 0; i < n; i++) {
		struct sdl_buf b = SDL_BUF_INIT;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (sdl_fs_is_file(path)) {
			assert_int_equal(sdl_fs_read_file(&b, path, (size_t)16 << 20), 0);
			fuzz_input_name = path;
			fn((const uint8_t *)b.ptr, b.len);
			fuzz_input_name = "(libFuzzer input)";
			ran++;
		}
		sdl_buf_release(&b);
		free(names[i]);
	}
	free(names);
	return ran;
}

/* Regressions and seeds of one target: the seed corpus must not be empty. */
static void regress_target(fuzz_entry_fn fn, const char *name)
{
	size_t regressions = regress_run_dir(fn, "regressions", name);
	size_t seeds = regress_run_dir(fn, "corpus", name);
	print_message("fuzz target %s: %zu regression inputs, %zu seeds\n", name, regressions,
		      seeds);
	assert_true(seeds > 0);
}

#endif
