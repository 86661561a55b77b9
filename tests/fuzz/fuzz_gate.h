/*
 * Scaffolding of the sdl-gate targets (fuzz_gate_*.c): the gate reads its
 * inputs from files under a repository root, so each input is written to
 * the scratch directory (fuzz_scratch_dir()); the catalogue and the policy
 * are the real ones (rules/catalog/iec62443-4-1.json,
 * rules/policy/ml3-default.json), loaded once.
 */
#ifndef SDL_FUZZ_GATE_H
#define SDL_FUZZ_GATE_H

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "gate.h"

#ifndef SDL_FUZZ_SOURCE_DIR
#define SDL_FUZZ_SOURCE_DIR "."
#endif

/* 2026-01-01T00:00:00Z: a fixed "now" keeps every run deterministic. */
#define GATE_FUZZ_NOW 1767225600LL

static inline const char *gate_fuzz_source_dir(void)
{
	const char *s = getenv("SDL_SOURCE_DIR");
	return s && *s ? s : SDL_FUZZ_SOURCE_DIR;
}

static inline const char *gate_fuzz_dir(void)
{
	return fuzz_scratch_dir();
}

static inline void gate_fuzz_write(const char *rel, const void *data, size_t size)
{
	fuzz_scratch_write(rel, data, size);
}

/* The IEC 62443-4-1 catalogue, loaded once and shared (never released). */
static inline const struct gate_catalog *gate_fuzz_catalog(void)
{
	static struct gate_catalog cat;
	static int loaded;
	if (!loaded) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/rules/catalog/iec62443-4-1.json",
			 gate_fuzz_source_dir());
		if (gate_catalog_load(&cat, path) < 0) {
			fprintf(stderr, "fuzz: cannot load the catalogue: %s\n", sdl_error_last());
			abort();
		}
		loaded = 1;
	}
	return &cat;
}

/* The default policy (rules/policy/ml3-default.json), loaded once and shared. */
static inline const struct gate_policy *gate_fuzz_policy(void)
{
	static struct gate_policy pol;
	static int loaded;
	if (!loaded) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/rules/policy/ml3-default.json",
			 gate_fuzz_source_dir());
		if (gate_policy_load(&pol, path, gate_fuzz_catalog()) < 0) {
			fprintf(stderr, "fuzz: cannot load the policy: %s\n", sdl_error_last());
			abort();
		}
		loaded = 1;
	}
	return &pol;
}

/*
 * An evaluation rooted at the scratch directory, with the shared catalogue
 * and default policy, as gate_evaluate() would set it up.
 */
static inline void gate_fuzz_eval_init(struct gate_eval *ev)
{
	gate_eval_init(ev);
	ev->repo = strdup(gate_fuzz_dir()); /* the harness's own: not failure-injected */
	if (!ev->repo)
		abort();
	ev->now = GATE_FUZZ_NOW;
	ev->catalog = *gate_fuzz_catalog();
	ev->policy = *gate_fuzz_policy();
}

/*
 * Failure injection around one collector call only (setting up the
 * evaluation is the harness's business): fail the nth allocation (0: none)
 * and report how many allocations the call made.
 */
#define GATE_FUZZ_CALL(ret, nth, nalloc_out, call)              \
	do {                                                    \
		sdl_alloc_fail_at(nth);                         \
		(ret) = (call);                                 \
		if (nalloc_out)                                 \
			*(nalloc_out) = sdl_alloc_count();      \
		sdl_alloc_fail_at(0);                           \
	} while (0)

static inline void gate_fuzz_eval_release(struct gate_eval *ev)
{
	memset(&ev->catalog, 0, sizeof(ev->catalog)); /* shared, not ours */
	memset(&ev->policy, 0, sizeof(ev->policy));
	gate_eval_release(ev);
}

#endif
