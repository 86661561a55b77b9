/*
 * Scaffolding shared by the libFuzzer targets (tests/fuzz/fuzz_<name>.c).
 *
 * A target is written once as
 *
 *     SDL_FUZZ_TARGET(json)
 *     {
 *             ... feed data/size to the parser, check properties ...
 *             return 0;
 *     }
 *
 * which defines int sdl_fuzz_json(const uint8_t *data, size_t size). Built
 * for libFuzzer it also defines LLVMFuzzerTestOneInput() calling it; built
 * with SDL_FUZZ_REGRESSION defined (tests/unit/<area>/test_fuzz_regressions.c
 * includes the target sources) it is a plain function the normal test suite
 * feeds every file under tests/fuzz/regressions/<name>/ and corpus/<name>/.
 *
 * A target fails by crashing: a sanitizer report, or FUZZ_CHECK() aborting
 * with the broken property. Returning normally is success whatever the parser
 * answered: refusing hostile input is the expected outcome.
 *
 * Several target sources may be included into one translation unit, so a
 * target's own helpers must carry its name (static int json_roundtrip(...)).
 */
#ifndef SDL_FUZZ_H
#define SDL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/error.h"

#ifdef SDL_FUZZ_REGRESSION
#define SDL_FUZZ_TARGET(name)                                           \
	int sdl_fuzz_##name(const uint8_t *data, size_t size);          \
	int sdl_fuzz_##name(const uint8_t *data, size_t size)
#else
#define SDL_FUZZ_TARGET(name)                                           \
	int sdl_fuzz_##name(const uint8_t *data, size_t size);          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);   \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)    \
	{                                                               \
		return sdl_fuzz_##name(data, size);                     \
	}                                                               \
	int sdl_fuzz_##name(const uint8_t *data, size_t size)
#endif

/* The input being run, for messages (the regression runner names the file). */
static const char *fuzz_input_name = "(libFuzzer input)";

/* A broken property is a crash, with the property and the parser's last message. */
#define FUZZ_CHECK(cond)                                                               \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "%s:%d: fuzz property failed on %s: %s (last error: %s)\n", \
				__FILE__, __LINE__, fuzz_input_name, #cond,            \
				sdl_error_last());                                     \
			abort();                                                       \
		}                                                                      \
	} while (0)

/*
 * Every failure a parser returns must carry a message (the error model: one
 * line naming the file and the problem) and a known code.
 */
static inline void fuzz_check_error(int ret)
{
	FUZZ_CHECK(ret <= 0);
	if (ret < 0) {
		FUZZ_CHECK(ret >= SDL_EUSAGE);
		FUZZ_CHECK(sdl_error_last()[0] != '\0');
		FUZZ_CHECK(strchr(sdl_error_last(), '\n') == NULL);
	}
}

/*
 * Two renderings must be byte-identical (a writer/reader fixpoint); on a
 * difference, show both around the first differing byte, then abort.
 */
static inline void fuzz_check_same(const char *a, size_t alen, const char *b, size_t blen,
				   const char *what)
{
	size_t i = 0, from;
	while (i < alen && i < blen && a[i] == b[i])
		i++;
	if (i == alen && i == blen)
		return;
	from = i > 120 ? i - 120 : 0;
	fprintf(stderr, "%s on %s: renderings differ at byte %zu\n--- first\n%.*s\n--- second\n%.*s\n",
		what, fuzz_input_name, i, (int)((alen < i + 120 ? alen : i + 120) - from), a + from,
		(int)((blen < i + 120 ? blen : i + 120) - from), b + from);
	abort();
}

/*
 * After an injected allocation failure the call must not crash and must
 * not leak (LeakSanitizer sees that); a failure it returns carries a
 * message. With SDL_FUZZ_STRICT_OOM=1 in the environment it must also fail,
 * and say so with SDL_ENOMEM (exit 3) rather than succeed with a partial
 * result or blame the input (exit 2). The lib/ targets always check that;
 * the tool targets only when asked, until the misclassifications listed in
 * docs/fuzzing.md ("Open findings") are fixed.
 */
static inline void fuzz_check_oom(int ret)
{
	static int strict = -1;
	if (strict < 0) {
		const char *s = getenv("SDL_FUZZ_STRICT_OOM");
		strict = s && strcmp(s, "1") == 0;
	}
	fuzz_check_error(ret);
	if (strict)
		FUZZ_CHECK(ret == SDL_ENOMEM);
}

/*
 * The allocations to fail after a first run that made n of them: one,
 * chosen from the input's hash, under libFuzzer (every input gets its own,
 * cheaply); every one of them, 1..n (at most FUZZ_FAIL_MAX), in the
 * regression runner, so a kept input checks each failure path it reaches
 * whatever the allocation order has become since it was found.
 */
#ifdef SDL_FUZZ_REGRESSION
#define FUZZ_FAIL_MAX 4000UL
#define FUZZ_FOR_EACH_FAILURE(k, n, data, size) \
	for (unsigned long k = 1; k <= (n) && k <= FUZZ_FAIL_MAX; k++)
#else
#define FUZZ_FOR_EACH_FAILURE(k, n, data, size)                                         \
	for (unsigned long k = (n) ? fuzz_hash(data, size) % (n) + 1 : 1, k##_once = (n) > 0; \
	     k##_once; k##_once = 0)
#endif

/* A NUL-terminated copy of the input (plain malloc: not counted by failure injection). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * FNV-1a over the input: a deterministic choice derived from the input
 * (which allocation to fail, which split point to use).
 */
static inline uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < size; i++) {
		h ^= data[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * For parsers that only read files: write the input into an anonymous
 * in-memory file and return a path that opens it ("/proc/self/fd/N"); fd_out
 * receives the descriptor to close afterwards. Nothing touches the disk.
 */
static inline const char *fuzz_memfile(int *fd_out, char path[64], const uint8_t *data,
				       size_t size)
{
	int fd = memfd_create("sdl-fuzz", MFD_CLOEXEC);
	size_t off = 0;
	if (fd < 0)
		abort();
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	*fd_out = fd;
	return path;
}

/*
 * For parsers that read files under a directory: a scratch directory made
 * on first use (under $TMPDIR, /tmp by default) and removed at exit.
 */
static char fuzz_scratch_root[64];

static inline int fuzz_scratch_rm(const char *path, const struct stat *st, int flag,
				  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path); /* best effort */
	return 0;
}

static inline void fuzz_scratch_cleanup(void)
{
	nftw(fuzz_scratch_root, fuzz_scratch_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static inline const char *fuzz_scratch_dir(void)
{
	if (!fuzz_scratch_root[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(fuzz_scratch_root, sizeof(fuzz_scratch_root), "%s/sdl-fuzz-XXXXXX",
			 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
		if (!mkdtemp(fuzz_scratch_root))
			abort();
		atexit(fuzz_scratch_cleanup);
	}
	return fuzz_scratch_root;
}

/* Write data to <scratch>/<rel> (replacing it); one level of directory is made. */
static inline void fuzz_scratch_write(const char *rel, const void *data, size_t size)
{
	char path[256];
	const char *slash = strrchr(rel, '/');
	size_t off = 0;
	int fd;

	if (slash) {
		snprintf(path, sizeof(path), "%s/%.*s", fuzz_scratch_dir(), (int)(slash - rel), rel);
		mkdir(path, 0700);
	}
	snprintf(path, sizeof(path), "%s/%s", fuzz_scratch_dir(), rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (off < size) {
		ssize_t n = write(fd, (const char *)data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	close(fd);
}

#endif
