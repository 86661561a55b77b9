/* Analyse a list of translation units on N threads, with the cache. */
#ifndef SDL_AZ_RUN_H
#define SDL_AZ_RUN_H

#include "az.h"
#include "compdb.h"

struct az_run_cfg {
	struct az_opts opts;
	unsigned threads;       /* >= 1 */
	const char *cache_dir;  /* NULL: no cache */
};

struct az_run_out {
	struct sdl_findings findings;  /* merged, sorted, header findings once */
	char **artifacts;              /* every analysed project file, sorted */
	size_t nartifacts;
	char **errors;                 /* "file: message" for TUs that failed to parse */
	size_t nerrors;
	char **error_files;            /* the TU of each error (relative or absolute) */
	char **dropped;                /* compiler flags dropped, distinct */
	size_t ndropped;
	size_t ntus, nparsed, ncached;
};

void az_run_out_release(struct az_run_out *out);
int az_run(struct az_run_out *out, const struct az_run_cfg *cfg, const struct az_jobs *jobs);

#endif
