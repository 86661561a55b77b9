/*
 * Scaffolding of the sdl-sbom targets (fuzz_sbom_*.c): the real component
 * signatures and licence texts from rules/components/, loaded once, and the
 * checks every manifest parser's output must pass.
 */
#ifndef SDL_FUZZ_SBOM_H
#define SDL_FUZZ_SBOM_H

#include <stdio.h>
#include <stdlib.h>

#include "detect.h"
#include "fuzz.h"
#include "sbom.h"
#include "signatures.h"
#include "vulns.h"

#ifndef SDL_FUZZ_SOURCE_DIR
#define SDL_FUZZ_SOURCE_DIR "."
#endif

static inline const struct sbom_sigpack *sbom_fuzz_sigs(void)
{
	static struct sbom_sigpack pack;
	static int loaded;
	if (!loaded) {
		const char *src = getenv("SDL_SOURCE_DIR");
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/rules/components",
			 src && *src ? src : SDL_FUZZ_SOURCE_DIR);
		if (sbom_sigpack_load(&pack, dir) < 0) {
			fprintf(stderr, "fuzz: cannot load the signatures: %s\n", sdl_error_last());
			abort();
		}
		loaded = 1;
	}
	return &pack;
}

typedef int (*sbom_manifest_fn)(struct sbom_found *f, const struct sbom_sigpack *sigs,
				const char *name, const char *data, size_t len);

/*
 * One manifest parser call on the raw input (not NUL-terminated: an
 * over-read is an ASan report), failing the nth allocation (0: none).
 * Every component found must have a name and a path; every note a reason.
 */
static inline int sbom_fuzz_manifest_once(sbom_manifest_fn fn, const char *name,
					  const uint8_t *data, size_t size, unsigned long fail,
					  unsigned long *nalloc)
{
	struct sbom_found f = { 0 };
	int ret;

	sdl_alloc_fail_at(fail);
	ret = fn(&f, sbom_fuzz_sigs(), name, (const char *)data, size);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0) {
		for (size_t i = 0; i < f.n; i++) {
			const struct sbom_component *c = f.items[i].comp;
			FUZZ_CHECK(f.items[i].relpath && c && c->name && c->name[0]);
			FUZZ_CHECK(c->refs >= 1);
		}
		for (size_t i = 0; i < f.nnotes; i++)
			FUZZ_CHECK(f.notes[i].reason != NULL);
	}
	sbom_found_release(&f);
	return ret;
}

/* The parser on the input, then again with one allocation failing. */
static inline void sbom_fuzz_manifest(sbom_manifest_fn fn, const char *name, const uint8_t *data,
				      size_t size)
{
	unsigned long nalloc = 0;
	(void)sbom_fuzz_sigs();
	sbom_fuzz_manifest_once(fn, name, data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(sbom_fuzz_manifest_once(fn, name, data, size,
						       k, NULL));
}

/*
 * A scan result as the vulnerability matcher sees it: three components at
 * their paths (a vendored zlib 1.2.11, an mbedTLS declared in vcpkg.json, a
 * lwIP submodule at a commit).
 */
static inline void sbom_fuzz_result(struct sbom_result *r)
{
	static const struct {
		enum sbom_kind kind;
		const char *path, *name, *version, *purl, *ecosystem;
	} comps[] = {
		{ SBOM_VENDORED, "third_party/zlib", "zlib", "1.2.11", "pkg:github/madler/zlib@v1.2.11",
		  NULL },
		{ SBOM_MANIFEST, "vcpkg.json", "mbedtls", "2.16.0", "pkg:generic/mbedtls@2.16.0",
		  "vcpkg" },
		{ SBOM_SUBMODULE, "ext/lwip", "lwip", "4b3b1a9e6b0cbd3d4bd6e7c7b5b1f4b5d6e7f809", NULL,
		  NULL },
	};
	sbom_result_init(r);
	for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		struct sbom_component *c = sbom_component_new(comps[i].kind, comps[i].name);
		if (!c || sbom_set(&c->version, comps[i].version) < 0 ||
		    sbom_set(&c->purl, comps[i].purl) < 0 ||
		    sbom_set(&c->ecosystem, comps[i].ecosystem) < 0 ||
		    sbom_result_add_instance(r, comps[i].path, c) < 0)
			abort();
		if (comps[i].kind == SBOM_SUBMODULE) {
			git_oid_fromstr(&c->oid, comps[i].version);
			c->has_oid = 1;
		}
		sbom_component_unref(c);
	}
}

#endif
