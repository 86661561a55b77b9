/*
 * Fuzz target: analyzers/compdb.c, az_compdb_load() on
 * <scratch>/compile_commands.json: our own JSON checks, then libclang's
 * compilation database, then the argument filter that drops flags clang
 * does not understand. Properties: a failure carries one line; every job
 * has an absolute file, a directory and a NULL-free argument list; one
 * failing allocation fails cleanly.
 */
#include "fuzz.h"

#include "compdb.h"

#include "lib/banned.h"

static int compdb_once(unsigned long fail, unsigned long *nalloc)
{
	struct az_jobs jobs;
	int ret;

	sdl_alloc_fail_at(fail);
	ret = az_compdb_load(&jobs, fuzz_scratch_dir(), NULL, 0);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0) {
		FUZZ_CHECK(jobs.n > 0);
		for (size_t i = 0; i < jobs.n; i++) {
			FUZZ_CHECK(jobs.v[i].file && jobs.v[i].file[0] == '/');
			FUZZ_CHECK(jobs.v[i].dir && jobs.v[i].nargs >= 0);
			for (int a = 0; a < jobs.v[i].nargs; a++)
				FUZZ_CHECK(jobs.v[i].args[a] != NULL);
		}
		for (size_t i = 0; i < jobs.ndropped; i++)
			FUZZ_CHECK(jobs.dropped[i] != NULL);
	}
	az_jobs_release(&jobs);
	return ret;
}

SDL_FUZZ_TARGET(analyze_compdb)
{
	unsigned long nalloc = 0;

	fuzz_scratch_write("compile_commands.json", data, size);
	compdb_once(0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(compdb_once(k, NULL));
	return 0;
}
