/*
 * A YAML subset reader for build manifests (west.yml, idf_component.yml,
 * Mynewt project.yml): block mappings and sequences, plain and quoted
 * scalars, flow sequences of scalars, block scalars (| >) kept as text,
 * comments. Anchors, tags and multi-document streams are not supported and
 * are reported as errors naming the line. The result is a cJSON tree of
 * objects, arrays, strings and nulls:
 *  - every scalar written in the text is a string, quoted or not: no type
 *    resolution, so `1.0`, `true`, `null` and `~` stay the strings they
 *    spell (versions like `1.10` must not become numbers);
 *  - an empty value (`key:` or `- ` with nothing nested below) is cJSON null,
 *    as YAML 1.2 resolves an empty node (YAML 1.2.2, 7.2 "Empty Nodes",
 *    10.2 "JSON Schema"): callers read values with sdl_json_str(), which
 *    treats it as absent, exactly like a missing key. An explicitly empty
 *    string is written `""` or `''` and reads as "" (callers must then treat
 *    "" like absent where they need a name).
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
