/*
 * vcpkg.json (https://learn.microsoft.com/vcpkg/reference/vcpkg-json):
 * "dependencies" are names or objects with "name" and "version>="; an
 * "overrides" entry pins the exact version, which then wins.
 */
#include "detect.h"

#include <string.h>

#include "lib/error.h"
#include "lib/json.h"
#include "lib/banned.h"

static const char *override_for(const cJSON *root, const char *name)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, sdl_json_arr(root, "overrides")) {
		const char *n = sdl_json_str(it, "name");
		if (n && !strcmp(n, name))
			return sdl_json_str(it, "version") ? sdl_json_str(it, "version")
							   : sdl_json_str(it, "version-string");
	}
	return NULL;
}

int sbom_manifest_vcpkg(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			const char *data, size_t len)
{
	cJSON *root = NULL;
	const cJSON *deps, *it;
	int rc;
	size_t count = 0;

	if ((rc = sdl_json_parse(&root, data, len, name, NULL)) < 0)
		return rc;
	if (!cJSON_IsObject(root)) {
		rc = sdl_error_set(SDL_EINVAL, "%s: top level is not an object", name);
		goto done;
	}
	deps = cJSON_GetObjectItemCaseSensitive(root, "dependencies");
	if (deps && !cJSON_IsArray(deps)) {
		rc = sdl_error_set(SDL_EINVAL, "%s: \"dependencies\" is not an array", name);
		goto done;
	}
	cJSON_ArrayForEach(it, deps) {
		const char *dep = cJSON_IsString(it) ? it->valuestring : sdl_json_str(it, "name");
		const char *ver;
		if (!dep || !*dep) {
			rc = sdl_error_set(SDL_EINVAL, "%s: a dependency has no name", name);
			goto done;
		}
		if (++count > SBOM_MAX_MANIFEST_ENTRIES) {
			rc = sdl_error_set(SDL_ELIMIT, "%s: more than %d dependencies", name,
					   SBOM_MAX_MANIFEST_ENTRIES);
			goto done;
		}
		ver = override_for(root, dep);
		if (!ver && cJSON_IsObject(it) && sdl_json_str(it, "version>="))
			ver = sdl_json_str(it, "version>=");
		if ((rc = sbom_manifest_add(f, sigs, name, "vcpkg", dep, ver, NULL)) < 0)
			goto done;
	}
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}
