/*
 * Fuzz target: lib/sarif.c, sdl_sarif_parse() (the gate reads SARIF from any
 * tool), then the writer and sdl_sarif_merge() on what was read.
 *
 * Properties beyond "no crash, no leak":
 *  - a failure carries a one-line message and leaves an empty log;
 *  - a log that was read renders, the rendering reads back with the same
 *    number of runs and results, and renders to the same bytes again;
 *  - merging a log into a second copy of itself succeeds and renders;
 *  - with one allocation failing (chosen from the input), the read fails
 *    with SDL_ENOMEM and leaves an empty log.
 */
#include "fuzz.h"

#include "lib/buf.h"
#include "lib/sarif.h"

#include "lib/banned.h"

static size_t sarif_nresults(const struct sdl_sarif_log *log)
{
	size_t n = 0;
	for (size_t i = 0; i < log->nruns; i++)
		n += log->runs[i].results.count;
	return n;
}

static void sarif_roundtrip(const struct sdl_sarif_log *log)
{
	struct sdl_buf first = SDL_BUF_INIT, second = SDL_BUF_INIT;
	struct sdl_sarif_log again;
	int ret;

	FUZZ_CHECK(sdl_sarif_render(&first, log) == 0);
	ret = sdl_sarif_parse(&again, first.ptr, first.len, "rendered.sarif");
	FUZZ_CHECK(ret == 0);
	FUZZ_CHECK(again.nruns == log->nruns);
	FUZZ_CHECK(sarif_nresults(&again) == sarif_nresults(log));
	FUZZ_CHECK(sdl_sarif_render(&second, &again) == 0);
	fuzz_check_same(first.ptr, first.len, second.ptr, second.len, "render(read(render(x)))");
	sdl_sarif_log_release(&again);
	sdl_buf_release(&first);
	sdl_buf_release(&second);
}

static void sarif_merge_self(const char *text, size_t size)
{
	struct sdl_sarif_log a, b;
	struct sdl_buf out = SDL_BUF_INIT;

	FUZZ_CHECK(sdl_sarif_parse(&a, text, size, "a.sarif") == 0);
	FUZZ_CHECK(sdl_sarif_parse(&b, text, size, "b.sarif") == 0);
	FUZZ_CHECK(sdl_sarif_merge(&a, &b) == 0);
	FUZZ_CHECK(sdl_sarif_render(&out, &a) == 0);
	sdl_sarif_log_release(&a);
	sdl_sarif_log_release(&b);
	sdl_buf_release(&out);
}

SDL_FUZZ_TARGET(sarif)
{
	const char *text = (const char *)data;
	struct sdl_sarif_log log;
	unsigned long nalloc;
	int ret;

	sdl_alloc_fail_at(0);
	ret = sdl_sarif_parse(&log, text, size, "fuzz.sarif");
	nalloc = sdl_alloc_count();
	fuzz_check_error(ret);
	if (ret < 0) {
		FUZZ_CHECK(log.nruns == 0 && log.runs == NULL);
	} else {
		sarif_roundtrip(&log);
		sarif_merge_self(text, size);
	}
	sdl_sarif_log_release(&log);

	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size) {
		sdl_alloc_fail_at(k);
		ret = sdl_sarif_parse(&log, text, size, "fuzz.sarif");
		sdl_alloc_fail_at(0);
		FUZZ_CHECK(ret == SDL_ENOMEM);
		fuzz_check_error(ret);
		FUZZ_CHECK(log.nruns == 0 && log.runs == NULL);
		sdl_sarif_log_release(&log);
	}
	return 0;
}
