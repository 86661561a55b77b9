/*
 * Offline vulnerability matching against OSV-format records (--vulns DIR) and
 * VEX statements (--vex FILE, OpenVEX or CycloneDX VEX). Formats and the
 * matching rules: docs/sbom.md "Vulnerabilities".
 */
#ifndef SDL_SBOM_VULNS_H
#define SDL_SBOM_VULNS_H

#include <git2.h>

#include "sbom.h"

#define SBOM_OSV_MAX_FILES 500000          /* records read from --vulns DIR */
#define SBOM_OSV_MAX_RECORD ((size_t)4 << 20) /* bytes of one record */

struct sbom_vuln {
	char *id;          /* OSV id, e.g. "CVE-2022-37434" or "OSV-2022-..." */
	char *aliases;     /* comma-separated aliases, or NULL */
	char *summary;
	char *severity;    /* CVSS vector if the record has one */
	char *component_ref; /* bom-ref of the affected instance */
	char *matched_by;  /* "version 1.2.11 in versions[]", "range ...", "git range ..." */
	char *fixed;       /* first fixed version or commit, if known */
	char *state;       /* CycloneDX analysis state from VEX, or NULL */
	char *justification;
	char *detail;
	char *vex_source;  /* file that supplied the analysis */
	enum sbom_scope scope; /* of the affected instance: not product = test/example-only */
	char *scope_reason;    /* the instance's scope reason, or NULL */
};

/*
 * Match every instance of r against the OSV records under dir (recursively,
 * *.json). repo (may be NULL) is used to test GIT ranges against submodule
 * repositories. Records that cannot be read are added to r's notes (never
 * silently dropped); an unreadable dir is an error (SDL_ENOTFOUND/SDL_EINVAL).
 */
int sbom_vulns_match(struct sbom_result *r, const char *dir, git_repository *repo);

/* Apply VEX statements from path to r's vulnerabilities. Malformed: SDL_EINVAL naming path. */
int sbom_vex_apply(struct sbom_result *r, const char *path);

void sbom_vulns_release(struct sbom_result *r);

#endif
