/*
 * A YAML subset reader for build manifests (west.yml, idf_component.yml,
 * Mynewt project.yml): block mappings and sequences, plain and quoted
 * scalars, flow sequences of scalars, block scalars (| >) kept as text,
 * comments. Anchors, tags and multi-document streams are not supported and
 * are reported as errors naming the line. The result is a cJSON tree whose
 * scalars are all strings.
 */
#ifndef SDL_SBOM_YAML_MINI_H
#define SDL_SBOM_YAML_MINI_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define SBOM_YAML_MAX_DEPTH 32
#define SBOM_YAML_MAX_LINES 100000

/* Parse; *out owns the tree (cJSON_Delete). SDL_EINVAL "name:line: problem" on bad input. */
int sbom_yaml_parse(cJSON **out, const char *data, size_t len, const char *name);

#endif
