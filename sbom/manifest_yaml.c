/*
 * YAML manifests of embedded ecosystems:
 *  - Zephyr west.yml: manifest.projects[] with name, url or remote
 *    (+ manifest.remotes[].url-base, manifest.defaults.remote), revision.
 *  - ESP-IDF idf_component.yml: dependencies: NAME: "constraint" or
 *    NAME: { version:, git: , path: } (path = local code, skipped).
 *  - Apache Mynewt project.yml: repository.NAME: { type: github, user:,
 *    repo:, vers: }.
 */
#include "detect.h"

#include <stdio.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/json.h"
#include "yaml_mini.h"
#include "lib/banned.h"

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static int west(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
		const cJSON *m)
{
	const cJSON *it, *defaults = sdl_json_obj(m, "defaults");
	const char *def_remote = defaults ? sdl_json_str(defaults, "remote") : NULL;
	const char *def_rev = defaults ? sdl_json_str(defaults, "revision") : NULL;
	char url[1024];
	int rc;
	cJSON_ArrayForEach(it, sdl_json_arr(m, "projects")) {
		const char *pname = sdl_json_str(it, "name"), *purl = sdl_json_str(it, "url");
		const char *remote = sdl_json_str(it, "remote"), *rev = sdl_json_str(it, "revision");
		const char *repo_path = sdl_json_str(it, "repo-path");
		const cJSON *r;
		if (!pname)
			return sdl_error_set(SDL_EINVAL, "%s: a project has no name", name);
		url[0] = '\0';
		if (purl) {
			snprintf(url, sizeof(url), "%s", purl);
		} else {
			if (!remote)
				remote = def_remote;
			cJSON_ArrayForEach(r, sdl_json_arr(m, "remotes")) {
				const char *rn = sdl_json_str(r, "name"), *ub = sdl_json_str(r, "url-base");
				if (rn && ub && remote && !strcmp(rn, remote))
					snprintf(url, sizeof(url), "%s/%s", ub,
						 repo_path ? repo_path : pname);
			}
		}
		if (!rev)
			rev = def_rev;
		if ((rc = sbom_manifest_add(f, sigs, name, "west", pname, rev, *url ? url : NULL)) < 0)
			return rc;
	}
	return 0;
}

static int idf(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
	       const cJSON *deps)
{
	const cJSON *it;
	int rc;
	cJSON_ArrayForEach(it, deps) {
		const char *ver = NULL, *git = NULL, *dep = it->string;
		char pkg[256];
		if (cJSON_IsString(it)) {
			ver = it->valuestring;
		} else if (cJSON_IsObject(it)) {
			if (sdl_json_str(it, "path") && !sdl_json_str(it, "git"))
				continue; /* a local component: the project's own code */
			ver = sdl_json_str(it, "version");
			git = sdl_json_str(it, "git");
		}
		/* "espressif/led_strip": the registry namespace is the supplier's */
		snprintf(pkg, sizeof(pkg), "%s", base_name(dep));
		if ((rc = sbom_manifest_add(f, sigs, name, "idf-component", pkg, ver, git)) < 0)
			return rc;
	}
	return 0;
}

static int mynewt(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
		  const cJSON *root)
{
	const cJSON *it;
	int rc;
	cJSON_ArrayForEach(it, root) {
		const char *user, *repo, *vers, *type, *comp;
		char url[512];
		if (!it->string || strncmp(it->string, "repository.", 11) || !cJSON_IsObject(it))
			continue;
		user = sdl_json_str(it, "user");
		repo = sdl_json_str(it, "repo");
		vers = sdl_json_str(it, "vers");
		type = sdl_json_str(it, "type");
		/* "repo: ''" is as good as none; then the key names the repository */
		if (repo && !*repo)
			repo = NULL;
		comp = repo ? repo : it->string + 11;
		if (!*comp) { /* "repository.:" without a repo (finding 15) */
			if ((rc = sbom_found_note(f, name, "not examined: a repository without a name "
							   "('repository.' key, no 'repo:')")) < 0)
				return rc;
			continue;
		}
		url[0] = '\0';
		if (type && !strcmp(type, "github") && user && *user && repo)
			snprintf(url, sizeof(url), "https://github.com/%s/%s", user, repo);
		else if (sdl_json_str(it, "url") && *sdl_json_str(it, "url"))
			snprintf(url, sizeof(url), "%s", sdl_json_str(it, "url"));
		if ((rc = sbom_manifest_add(f, sigs, name, "mynewt", comp, vers, *url ? url : NULL)) < 0)
			return rc;
	}
	return 0;
}

int sbom_manifest_yaml(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
		       const char *data, size_t len)
{
	cJSON *root = NULL;
	const char *base = base_name(name);
	int rc;

	/* project.yml is a common name: only Mynewt's declares repositories */
	if (!strcmp(base, "project.yml") && !memmem(data, len, "repository.", 11))
		return 0;
	if ((rc = sbom_yaml_parse(&root, data, len, name)) < 0)
		return rc;
	if (!cJSON_IsObject(root)) {
		rc = sdl_error_set(SDL_EINVAL, "%s: top level is not a mapping", name);
	} else if (!strcmp(base, "west.yml")) {
		const cJSON *m = sdl_json_obj(root, "manifest");
		rc = m ? west(f, sigs, name, m) : sdl_error_set(SDL_EINVAL, "%s: no 'manifest:' mapping", name);
	} else if (!strcmp(base, "idf_component.yml")) {
		const cJSON *d = sdl_json_obj(root, "dependencies");
		rc = d ? idf(f, sigs, name, d) : 0;
	} else {
		rc = mynewt(f, sigs, name, root);
	}
	cJSON_Delete(root);
	return rc;
}
