/* Translation units from a compile database or from files: flag filtering, bad input, shards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "az.h"
#include "compdb.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

static char dir[] = "/tmp/sdl-compdb-XXXXXX";

static void put(const char *name, const char *text, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int has_arg(const struct az_job *j, const char *a)
{
	for (int i = 0; i < j->nargs; i++)
		if (!strcmp(j->args[i], a))
			return 1;
	return 0;
}

static void test_database(void **state)
{
	char db[4096], inc[600];
	struct az_jobs jobs;
	(void)state;
	put("a.c", "int a;\n", 7);
	put("b.c", "int b;\n", 7);
	put("s.S", "nop\n", 4);
	snprintf(db, sizeof db,
		 "[{\"directory\": \"%s\", \"file\": \"a.c\", \"arguments\": [\"arm-none-eabi-gcc\", \"-mcpu=cortex-m4\","
		 " \"-mthumb\", \"-Iinc\", \"-I\", \"inc2\", \"-DX=1\", \"-fconserve-stack\", \"-Werror\", \"-c\", \"a.c\", \"-o\", \"a.o\"]},"
		 " {\"directory\": \"%s\", \"file\": \"b.c\", \"command\": \"cc -O2 -MD -MF b.d -c b.c\"},"
		 " {\"directory\": \"%s\", \"file\": \"a.c\", \"command\": \"cc -c a.c\"},"
		 " {\"directory\": \"%s\", \"file\": \"s.S\", \"command\": \"cc -c s.S\"}]",
		 dir, dir, dir, dir);
	put("compile_commands.json", db, strlen(db));
	assert_int_equal(az_compdb_load(&jobs, dir, NULL, 0), 0);
	assert_int_equal(jobs.n, 2); /* a.c once, no assembly */
	const struct az_job *a = &jobs.v[0];
	assert_non_null(strstr(a->file, "/a.c"));
	snprintf(inc, sizeof inc, "-I%s/inc", dir);
	assert_true(has_arg(a, inc));
	snprintf(inc, sizeof inc, "-I%s/inc2", dir);
	assert_true(has_arg(a, inc));
	assert_true(has_arg(a, "-DX=1"));
	assert_true(has_arg(a, "-resource-dir"));
	assert_false(has_arg(a, "-mthumb"));    /* cross compiler: -m flags dropped */
	assert_false(has_arg(a, "-Werror"));
	assert_false(has_arg(a, "-fconserve-stack"));
	assert_false(has_arg(a, "-c"));
	assert_false(has_arg(a, "a.o"));
	assert_false(has_arg(a, "arm-none-eabi-gcc"));
	const struct az_job *b = &jobs.v[1];
	assert_false(has_arg(b, "-MF"));
	assert_false(has_arg(b, "b.d"));
	assert_true(has_arg(b, "-O2"));
	int seen = 0;
	for (size_t i = 0; i < jobs.ndropped; i++)
		seen |= !strcmp(jobs.dropped[i], "-fconserve-stack") << 0 | !strcmp(jobs.dropped[i], "-mthumb") << 1;
	assert_int_equal(seen, 3);
	az_jobs_release(&jobs);

	/* one file of the database */
	char path[600];
	snprintf(path, sizeof path, "%s/b.c", dir);
	char *files[] = { path };
	assert_int_equal(az_compdb_load(&jobs, dir, files, 1), 0);
	assert_int_equal(jobs.n, 1);
	az_jobs_release(&jobs);
}

static void test_bad_database(void **state)
{
	struct az_jobs jobs;
	char sub[600];
	(void)state;
	snprintf(sub, sizeof sub, "%s/none", dir);
	assert_int_equal(az_compdb_load(&jobs, sub, NULL, 0), SDL_ENOTFOUND);
	assert_non_null(strstr(sdl_error_last(), "compile_commands.json"));
	put("compile_commands.json", "[{\"directory\": 1}]", 18);
	assert_int_equal(az_compdb_load(&jobs, dir, NULL, 0), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "entry 0"));
	put("compile_commands.json", "{}", 2);
	assert_int_equal(az_compdb_load(&jobs, dir, NULL, 0), SDL_EINVAL);
	put("compile_commands.json", "[]", 2);
	assert_int_equal(az_compdb_load(&jobs, dir, NULL, 0), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "no C"));
}

static void test_sources(void **state)
{
	char p[600];
	(void)state;
	put("bin.c", "ab\0cd", 5);
	snprintf(p, sizeof p, "%s/bin.c", dir);
	assert_int_equal(az_check_source(p), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "binary"));
	snprintf(p, sizeof p, "%s/missing.c", dir);
	assert_int_equal(az_check_source(p), SDL_ENOTFOUND);
	assert_int_equal(az_check_source(dir), SDL_EINVAL);
	assert_int_equal(az_check_source("bad\xff.c"), SDL_EINVAL);
	assert_non_null(strstr(sdl_error_last(), "bad\\xff.c"));
	snprintf(p, sizeof p, "%s/a.c", dir);
	assert_int_equal(az_check_source(p), 0);
}

static void test_files_and_shards(void **state)
{
	struct az_jobs jobs;
	char p[5][600];
	char *files[5];
	char *flags[] = { (char *)"-Iinc", (char *)"-DY", (char *)"-fno-tree-vrp" };
	(void)state;
	for (int i = 0; i < 5; i++) {
		char n[16];
		snprintf(n, sizeof n, "f%d.c", 4 - i);
		put(n, "int x;\n", 7);
		snprintf(p[i], sizeof p[i], "%s/%s", dir, n);
		files[i] = p[i];
	}
	assert_int_equal(az_jobs_from_files(&jobs, files, 5, flags, 3), 0);
	assert_int_equal(jobs.n, 5);
	assert_true(has_arg(&jobs.v[0], "-DY"));
	assert_false(has_arg(&jobs.v[0], "-fno-tree-vrp"));
	assert_int_equal(az_jobs_shard(&jobs, 2, 2), 0);
	assert_int_equal(jobs.n, 2); /* sorted f0..f4, the 2nd of 2 shards: f1, f3 */
	assert_non_null(strstr(jobs.v[0].file, "f1.c"));
	assert_non_null(strstr(jobs.v[1].file, "f3.c"));
	az_jobs_release(&jobs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_database),
		cmocka_unit_test(test_bad_database),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_files_and_shards),
	};
	sdl_alloc_install_cjson_hooks();
	if (!mkdtemp(dir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
