/*
 * Fuzz target: analyzers/suppress.c, the inline-suppression parser
 * (`sdl-allow(rule-id[, rule-id]): reason` in comments) through
 * az_suppress_apply(). The input is the source text of /fuzz/src/a.c
 * (given as unsaved contents, as --staged does); one finding of each of
 * the first rules of the default pack sits on each of its first lines.
 * Properties: a failure carries one line; a suppressed finding carries its
 * justification or a suppression-unjustified finding is reported; one
 * failing allocation fails cleanly.
 */
#include "fuzz_analyze.h"

#include "sources.h"
#include "suppress.h"

#include "lib/banned.h"

static int suppress_once(const uint8_t *data, size_t size, unsigned long fail,
			 unsigned long *nalloc)
{
	const struct az_pack *pack = analyze_fuzz_pack();
	struct az_unsaved unsaved = { (char *)"/fuzz/src/a.c", (char *)data, size };
	char *files[] = { (char *)"src/a.c" };
	struct az_sources src;
	struct sdl_findings list;
	size_t nlines = 1, nraw, nrules = pack->nrules < 3 ? pack->nrules : 3;
	int ret, unjustified = 0;

	for (size_t i = 0; i < size; i++)
		nlines += data[i] == '\n';
	if (nlines > 40)
		nlines = 40;
	az_sources_init(&src, "/fuzz", &unsaved, 1);
	sdl_findings_init(&list);
	for (unsigned line = 1; line <= nlines; line++)
		for (size_t r = 0; r < nrules; r++)
			if (sdl_findings_add(&list, pack->rules[r].id, SDL_LEVEL_WARNING, "src/a.c",
					     line, 1, "finding", NULL) < 0)
				abort();
	nraw = list.count;

	sdl_alloc_fail_at(fail);
	ret = az_suppress_apply(&list, &src, files, 1, pack);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0) {
		int bare = 0;
		FUZZ_CHECK(list.count >= nraw);
		for (size_t i = 0; i < list.count; i++) {
			const struct sdl_finding *f = &list.items[i];
			FUZZ_CHECK(f->rule_id != NULL);
			unjustified |= strcmp(f->rule_id, "suppression-unjustified") == 0;
			bare |= f->suppressed && (!f->supp.justification || !f->supp.justification[0]);
		}
		FUZZ_CHECK(!bare || unjustified);
	}
	sdl_findings_release(&list);
	az_sources_release(&src);
	return ret;
}

SDL_FUZZ_TARGET(analyze_suppress)
{
	unsigned long nalloc = 0;

	suppress_once(data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(suppress_once(data, size, k, NULL));
	return 0;
}
