/*
 * The run: worker threads (one CXIndex each) take translation units in
 * turn, answer from the cache or parse and analyse, and the results are
 * merged in a deterministic order; a finding in a header counts once however
 * many translation units include it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az.h"
#include "cache.h"
#include "run.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/progress.h"
#include "lib/banned.h"

struct shared {
	const struct az_run_cfg *cfg;
	const struct az_jobs *jobs;
	struct az_tu_result *results;
	int *rets;
	char (*msgs)[SDL_ERROR_MAX];
	size_t next, done;
	pthread_mutex_t lock;
};

static void run_one(struct shared *sh, CXIndex index, size_t i)
{
	const struct az_job *j = &sh->jobs->v[i];
	struct az_tu_result *r = &sh->results[i];
	char key[SDL_HASH_HEX_MAX];
	int ret = 0, have_key = 0;

	az_tu_result_init(r);
	if (sh->cfg->cache_dir) {
		ret = az_cache_key(key, &sh->cfg->opts, j->file, j->args, j->nargs);
		have_key = ret == 0;
		if (have_key) {
			ret = az_cache_lookup(r, sh->cfg->cache_dir, key);
			if (ret == 0)
				goto done;
			ret = 0;
		}
	}
	ret = az_analyze_tu(r, index, &sh->cfg->opts, j->file, (const char *const *)j->args,
			    j->nargs);
	if (!ret && have_key && !r->nerrors)
		(void)az_cache_store(sh->cfg->cache_dir, key, j->file, r);
done:
	sh->rets[i] = ret;
	if (ret < 0)
		snprintf(sh->msgs[i], SDL_ERROR_MAX, "%s", sdl_error_last());
}

static void *worker(void *arg)
{
	struct shared *sh = arg;
	CXIndex index = clang_createIndex(0, 0);
	for (;;) {
		pthread_mutex_lock(&sh->lock);
		size_t i = sh->next++;
		pthread_mutex_unlock(&sh->lock);
		if (i >= sh->jobs->n)
			break;
		run_one(sh, index, i);
		pthread_mutex_lock(&sh->lock);
		sh->done++;
		sdl_progress_update("sdl-analyze: %zu/%zu translation units", sh->done, sh->jobs->n);
		pthread_mutex_unlock(&sh->lock);
	}
	clang_disposeIndex(index);
	return NULL;
}

void az_run_out_release(struct az_run_out *out)
{
	sdl_findings_release(&out->findings);
	az_strv_free(out->artifacts, out->nartifacts);
	az_strv_free(out->errors, out->nerrors);
	az_strv_free(out->error_files, out->nerrors);
	az_strv_free(out->dropped, out->ndropped);
	memset(out, 0, sizeof *out);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_unique(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return 0;
	return az_strv_push(v, n, s);
}

int az_run(struct az_run_out *out, const struct az_run_cfg *cfg, const struct az_jobs *jobs)
{
	struct shared sh = { cfg, jobs, NULL, NULL, NULL, 0, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t *th = NULL;
	unsigned nth = cfg->threads ? cfg->threads : 1;
	int ret = 0;

	memset(out, 0, sizeof *out);
	sdl_findings_init(&out->findings);
	if (nth > jobs->n)
		nth = jobs->n ? (unsigned)jobs->n : 1;
	sh.results = sdl_calloc(jobs->n + 1, sizeof *sh.results);
	sh.rets = sdl_calloc(jobs->n + 1, sizeof *sh.rets);
	sh.msgs = sdl_calloc(jobs->n + 1, sizeof *sh.msgs);
	th = sdl_calloc(nth, sizeof *th);
	if (!sh.results || !sh.rets || !sh.msgs || !th) {
		ret = SDL_ENOMEM;
		goto done;
	}
	unsigned started = 0;
	for (; started < nth; started++)
		if (pthread_create(&th[started], NULL, worker, &sh))
			break;
	if (!started)
		worker(&sh);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	sdl_progress_done();

	out->ntus = jobs->n;
	for (size_t i = 0; i < jobs->n && !ret; i++) {
		struct az_tu_result *r = &sh.results[i];
		if (sh.rets[i] < 0 && sh.rets[i] != SDL_EINVAL) {
			ret = sdl_error_set(sh.rets[i], "%s", sh.msgs[i]);
			break;
		}
		if (sh.rets[i] == SDL_EINVAL) { /* libclang could not parse it at all */
			ret = az_strv_push(&out->errors, &out->nerrors, sh.msgs[i]);
			size_t n = out->nerrors - 1;
			if (!ret)
				ret = az_strv_push(&out->error_files, &n, jobs->v[i].file);
			continue;
		}
		if (r->parsed)
			out->nparsed++;
		else
			out->ncached++;
		for (size_t e = 0; e < r->nerrors && !ret; e++) {
			ret = az_strv_push(&out->errors, &out->nerrors, r->errors[e]);
			size_t n = out->nerrors - 1;
			if (!ret)
				ret = az_strv_push(&out->error_files, &n, jobs->v[i].file);
		}
		for (size_t d = 0; d < r->ndropped && !ret; d++)
			ret = add_unique(&out->dropped, &out->ndropped, r->dropped[d]);
		for (size_t f = 0; f < r->nfiles && !ret; f++)
			ret = az_strv_push(&out->artifacts, &out->nartifacts, r->files[f]);
		for (size_t f = 0; f < r->findings.count && !ret; f++)
			ret = sdl_findings_take(&out->findings, &r->findings.items[f]);
	}
	if (ret)
		goto done;
	for (size_t d = 0; d < jobs->ndropped && !ret; d++)
		ret = add_unique(&out->dropped, &out->ndropped, jobs->dropped[d]);
	/* artifacts: sorted, unique; every TU's main file is among them */
	if (out->nartifacts) {
		qsort(out->artifacts, out->nartifacts, sizeof *out->artifacts, cmp_str);
		size_t k = 0;
		for (size_t i = 0; i < out->nartifacts; i++) {
			if (k && !strcmp(out->artifacts[k - 1], out->artifacts[i]))
				sdl_free(out->artifacts[i]);
			else
				out->artifacts[k++] = out->artifacts[i];
		}
		out->nartifacts = k;
	}
	if (out->ndropped)
		qsort(out->dropped, out->ndropped, sizeof *out->dropped, cmp_str);
	sdl_findings_sort(&out->findings);
	sdl_findings_dedup(&out->findings);
done:
	if (sh.results)
		for (size_t i = 0; i < jobs->n; i++)
			az_tu_result_release(&sh.results[i]);
	sdl_free(sh.results);
	sdl_free(sh.rets);
	sdl_free(sh.msgs);
	sdl_free(th);
	pthread_mutex_destroy(&sh.lock);
	if (ret < 0)
		az_run_out_release(out);
	return ret;
}
