/* Emitters: render a sbom_result as CycloneDX 1.6 or SPDX 2.3 JSON. */
#ifndef SDL_SBOM_EMIT_H
#define SDL_SBOM_EMIT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "lib/buf.h"
#include "sbom.h"

struct sbom_emit_options {
	int64_t timestamp;        /* SOURCE_DATE_EPOCH, else the commit date */
	const char *author_name;  /* the SBOM's author (--author), never NULL */
	const char *author_email; /* may be NULL */
	const char *sigpack_hash;
};

int sbom_emit_cyclonedx(struct sdl_buf *out, const struct sbom_result *r,
			const struct sbom_emit_options *opt);
int sbom_emit_spdx(struct sdl_buf *out, const struct sbom_result *r,
		   const struct sbom_emit_options *opt);
/* The CycloneDX "vulnerabilities" array (vulns.c). */
int sbom_emit_cdx_vulns(cJSON *root, const struct sbom_result *r);

/* "2026-01-01T00:00:00Z" */
int sbom_iso8601(char out[32], int64_t t);
/* A deterministic UUID derived from text. */
int sbom_uuid_from(char out[37], const char *text);

#endif
