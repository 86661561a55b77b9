/*
 * sdl-gate: the project file (.sdl-gate.json at the repository root) says
 * where each kind of evidence lives. Every path in it is relative to the
 * repository root and may not leave it. Command-line flags override it;
 * without one the defaults below apply (docs/gate.md, "Project file").
 */
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/banned.h"

#define PROJECT_MAX_BYTES ((size_t)1 << 20)

void gate_project_init(struct gate_project *p)
{
	memset(p, 0, sizeof(*p));
}

void gate_project_release(struct gate_project *p)
{
	sdl_free(p->path);
	sdl_free(p->policy);
	gate_strv_release(&p->catalogs);
	gate_strv_release(&p->sarif);
	sdl_free(p->compile_db);
	sdl_free(p->sbom);
	gate_strv_release(&p->junit);
	gate_strv_release(&p->fuzz);
	sdl_free(p->requirements);
	sdl_free(p->threat_model);
	sdl_free(p->attestations);
	sdl_free(p->waivers);
	sdl_free(p->roles);
	sdl_free(p->allowed_signers);
	sdl_free(p->tracker);
	sdl_free(p->scoping);
	sdl_free(p->release);
	sdl_free(p->previous);
	sdl_free(p->tag_pattern);
	for (size_t i = 0; i < p->ndocs; i++) {
		sdl_free(p->docs[i].name);
		sdl_free(p->docs[i].path);
	}
	sdl_free(p->docs);
	gate_strv_release(&p->defaulted);
	memset(p, 0, sizeof(*p));
}

const char *gate_project_doc(const struct gate_project *p, const char *name)
{
	for (size_t i = 0; i < p->ndocs; i++)
		if (strcmp(p->docs[i].name, name) == 0)
			return p->docs[i].path;
	return NULL;
}

struct ploc {
	const char *file;
	const struct sdl_buf *raw;
};

/* A repository-relative path: not absolute, no "..", normalised. */
static int rel_path(char **out, const struct ploc *L, const char *key, const cJSON *v)
{
	struct sdl_buf norm = SDL_BUF_INIT;
	char loc[512], needle[160];
	int ret;
	snprintf(needle, sizeof(needle), "\"%s\"", key);
	gate_locate(loc, sizeof(loc), L->file, L->raw->ptr, L->raw->len, needle);
	if (!cJSON_IsString(v) || !v->valuestring[0])
		return sdl_error_set(SDL_EINVAL, "%s: \"%s\" must be a non-empty path", loc, key);
	if ((ret = sdl_path_normalize(&norm, v->valuestring)) < 0) {
		sdl_buf_release(&norm);
		/* out of memory is not bad input (fuzz finding 3: exit 3, not 2) */
		if (ret == SDL_ENOMEM)
			return ret;
		return sdl_error_set(SDL_EINVAL,
				     "%s: \"%s\": '%s' must be relative to the repository and stay inside it",
				     loc, key, v->valuestring);
	}
	sdl_free(*out);
	*out = sdl_buf_detach(&norm, NULL);
	ret = *out ? 0 : SDL_ENOMEM;
	sdl_buf_release(&norm);
	return ret;
}

static int rel_list(struct gate_strv *out, const struct ploc *L, const char *key, const cJSON *v)
{
	const cJSON *it;
	int ret;
	if (!v)
		return 0;
	gate_strv_release(out);
	if (cJSON_IsString(v)) {
		char *p = NULL;
		if ((ret = rel_path(&p, L, key, v)) < 0)
			return ret;
		ret = gate_strv_push(out, p);
		sdl_free(p);
		return ret;
	}
	if (!cJSON_IsArray(v)) {
		char loc[512], needle[160];
		snprintf(needle, sizeof(needle), "\"%s\"", key);
		gate_locate(loc, sizeof(loc), L->file, L->raw->ptr, L->raw->len, needle);
		return sdl_error_set(SDL_EINVAL, "%s: \"%s\" must be a path or a list of paths", loc,
				     key);
	}
	cJSON_ArrayForEach(it, v) {
		char *p = NULL;
		if ((ret = rel_path(&p, L, key, it)) < 0)
			return ret;
		ret = gate_strv_push(out, p);
		sdl_free(p);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int opt_path(char **out, const struct ploc *L, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v || cJSON_IsNull(v))
		return 0;
	return rel_path(out, L, key, v);
}

static int opt_str(char **out, const cJSON *obj, const char *key)
{
	const char *s = sdl_json_str(obj, key);
	if (!s)
		return 0;
	sdl_free(*out);
	*out = sdl_strdup(s);
	return *out ? 0 : SDL_ENOMEM;
}

int gate_project_load(struct gate_project *out, const char *path)
{
	struct sdl_buf raw = SDL_BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *ev, *docs, *rel, *d;
	const char *schema;
	struct ploc L = { path, &raw };
	int ret;

	ret = gate_json_load(&doc, &raw, path, PROJECT_MAX_BYTES);
	if (ret < 0)
		goto done;
	schema = sdl_json_str(doc, "schema");
	if (!schema || strcmp(schema, "sdl-gate-project/1") != 0) {
		ret = sdl_error_set(SDL_EINVAL,
				    "%s: not a project file (\"schema\" must be \"sdl-gate-project/1\")",
				    path);
		goto done;
	}
	if (!(out->path = sdl_strdup(path))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	if ((ret = opt_path(&out->policy, &L, doc, "policy")) < 0 ||
	    (ret = rel_list(&out->catalogs, &L, "catalogs",
			    cJSON_GetObjectItemCaseSensitive(doc, "catalogs"))) < 0)
		goto done;
	ev = sdl_json_obj(doc, "evidence");
	if (ev) {
		if ((ret = rel_list(&out->sarif, &L, "sarif",
				    cJSON_GetObjectItemCaseSensitive(ev, "sarif"))) < 0 ||
		    (ret = opt_path(&out->compile_db, &L, ev, "compile_commands")) < 0 ||
		    (ret = opt_path(&out->sbom, &L, ev, "sbom")) < 0 ||
		    (ret = rel_list(&out->junit, &L, "junit",
				    cJSON_GetObjectItemCaseSensitive(ev, "junit"))) < 0 ||
		    (ret = rel_list(&out->fuzz, &L, "fuzz",
				    cJSON_GetObjectItemCaseSensitive(ev, "fuzz"))) < 0 ||
		    (ret = opt_path(&out->requirements, &L, ev, "requirements")) < 0 ||
		    (ret = opt_path(&out->threat_model, &L, ev, "threat_model")) < 0 ||
		    (ret = opt_path(&out->attestations, &L, ev, "attestations")) < 0 ||
		    (ret = opt_path(&out->waivers, &L, ev, "waivers")) < 0 ||
		    (ret = opt_path(&out->roles, &L, ev, "roles")) < 0 ||
		    (ret = opt_path(&out->allowed_signers, &L, ev, "allowed_signers")) < 0 ||
		    (ret = opt_path(&out->tracker, &L, ev, "tracker")) < 0 ||
		    (ret = opt_path(&out->scoping, &L, ev, "scoping")) < 0)
			goto done;
	}
	rel = sdl_json_obj(doc, "release");
	if (rel) {
		if ((ret = opt_str(&out->release, rel, "commit")) < 0 ||
		    (ret = opt_str(&out->previous, rel, "previous")) < 0 ||
		    (ret = opt_str(&out->tag_pattern, rel, "tag_pattern")) < 0)
			goto done;
	}
	docs = sdl_json_obj(doc, "documents");
	if (docs && cJSON_GetArraySize(docs) > 0) {
		out->docs = sdl_calloc((size_t)cJSON_GetArraySize(docs), sizeof(*out->docs));
		if (!out->docs) {
			ret = SDL_ENOMEM;
			goto done;
		}
		cJSON_ArrayForEach(d, docs) {
			struct gate_doc_loc *dl = &out->docs[out->ndocs++];
			if (!(dl->name = sdl_strdup(d->string))) {
				ret = SDL_ENOMEM;
				goto done;
			}
			if ((ret = rel_path(&dl->path, &L, d->string, d)) < 0)
				goto done;
		}
	}
	ret = 0;
done:
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	return ret;
}

static int def(struct gate_project *p, char **field, const char *value)
{
	if (*field)
		return 0;
	*field = sdl_strdup(value);
	if (!*field)
		return SDL_ENOMEM;
	return gate_strv_push_unique(&p->defaulted, value);
}

int gate_project_defaults(struct gate_project *p)
{
	int ret;
	if (!p->sarif.n && ((ret = gate_strv_push(&p->sarif, "build/out/analyze.sarif")) < 0 ||
			    (ret = gate_strv_push(&p->defaulted, "build/out/analyze.sarif")) < 0))
		return ret;
	if (!p->junit.n && ((ret = gate_strv_push(&p->junit, "build/junit.xml")) < 0 ||
			    (ret = gate_strv_push(&p->defaulted, "build/junit.xml")) < 0))
		return ret;
	if ((ret = def(p, &p->sbom, "build/out/sbom.cdx.json")) < 0 ||
	    (ret = def(p, &p->compile_db, "build/compile_commands.json")) < 0 ||
	    (ret = def(p, &p->requirements, "docs/security/security-requirements.md")) < 0 ||
	    (ret = def(p, &p->threat_model, "docs/security/threat-model.md")) < 0 ||
	    (ret = def(p, &p->attestations, "records/attestations")) < 0 ||
	    (ret = def(p, &p->waivers, "records/waivers.json")) < 0 ||
	    (ret = def(p, &p->roles, "records/roles.json")) < 0 ||
	    (ret = def(p, &p->allowed_signers, ".allowed_signers")) < 0 ||
	    (ret = def(p, &p->tracker, "build/out/issues.json")) < 0 ||
	    (ret = def(p, &p->scoping, "docs/security/scoping.json")) < 0 ||
	    (ret = def(p, &p->release, "HEAD")) < 0 || (ret = def(p, &p->tag_pattern, "v*")) < 0)
		return ret;
	return 0;
}
