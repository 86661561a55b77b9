/*
 * Fuzz target: sbom/yaml_mini.c, sbom_yaml_parse(), the YAML subset reader
 * under west.yml, idf_component.yml and project.yml. Properties: no
 * over-read of the unterminated buffer; a failure carries one line and
 * returns no tree; a tree holds only objects, arrays, strings and (for an
 * empty value) null, nests no deeper than SBOM_YAML_MAX_DEPTH, and renders;
 * one failing allocation fails cleanly.
 */
#include "fuzz_sbom.h"

#include "lib/json.h"
#include "yaml_mini.h"

#include "lib/banned.h"

static void yaml_mini_check(const cJSON *j, int depth)
{
	FUZZ_CHECK(depth <= SBOM_YAML_MAX_DEPTH + 1);
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		for (const cJSON *c = j->child; c; c = c->next) {
			FUZZ_CHECK(!cJSON_IsObject(j) || c->string);
			yaml_mini_check(c, depth + 1);
		}
	} else {
		/* An empty value ("key:") reads as null, the other scalars as strings. */
		FUZZ_CHECK((cJSON_IsString(j) && j->valuestring) || cJSON_IsNull(j));
	}
}

static int yaml_mini_once(const uint8_t *data, size_t size, unsigned long fail,
			  unsigned long *nalloc)
{
	struct sdl_buf out = SDL_BUF_INIT;
	cJSON *tree = NULL;
	int ret;

	sdl_alloc_fail_at(fail);
	ret = sbom_yaml_parse(&tree, (const char *)data, size, "fuzz.yml");
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	FUZZ_CHECK((ret == 0) == (tree != NULL));
	if (tree) {
		yaml_mini_check(tree, 0);
		FUZZ_CHECK(sdl_json_render(&out, tree) == 0);
	}
	cJSON_Delete(tree);
	sdl_buf_release(&out);
	return ret;
}

SDL_FUZZ_TARGET(sbom_yaml_mini)
{
	unsigned long nalloc = 0;
	sdl_json_init();
	yaml_mini_once(data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(yaml_mini_once(data, size, k, NULL));
	return 0;
}
