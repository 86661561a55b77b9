/* Scope of the scanned revision's components: exclusion by configuration, test/dev trees. */
#include <fnmatch.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/json.h"
#include "scope.h"
#include "lib/banned.h"

/* Segments compared by the glob matcher: deeper paths or patterns never match. */
#define GLOB_MAX_SEGS 96

const char *sbom_scope_name(enum sbom_scope s)
{
	return s == SBOM_SCOPE_TEST ? "test" : s == SBOM_SCOPE_DEV ? "dev" : "product";
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sdl_free(v[i]);
	sdl_free(v);
}

void sbom_scope_config_release(struct sbom_scope_config *c)
{
	free_list(c->exclude, c->nexclude);
	free_list(c->test_paths, c->ntest_paths);
	memset(c, 0, sizeof(*c));
}

int sbom_scope_add_pattern(char ***list, size_t *n, const char *pattern)
{
	char **v;
	size_t len = strlen(pattern);
	if (*n >= SBOM_CONFIG_MAX_PATTERNS)
		return sdl_error_set(SDL_ELIMIT, "more than %d patterns", SBOM_CONFIG_MAX_PATTERNS);
	if (len == 0 || len > SBOM_CONFIG_MAX_PATTERN)
		return sdl_error_set(SDL_EINVAL, "pattern '%.64s': empty or longer than %d bytes", pattern,
				     SBOM_CONFIG_MAX_PATTERN);
	if (!(v = sdl_reallocarray(*list, *n + 1, sizeof(*v))))
		return SDL_ENOMEM;
	*list = v;
	if (!(v[*n] = sdl_strdup(pattern)))
		return SDL_ENOMEM;
	(*n)++;
	return 0;
}

/* Split s (modified in place) at '/', skipping empty segments and "."; -1 if too many. */
static int split(char **segs, char *s)
{
	int n = 0;
	char *p = s;
	while (*p) {
		char *e = strchr(p, '/');
		if (e)
			*e = '\0';
		if (*p && strcmp(p, ".")) {
			if (n == GLOB_MAX_SEGS)
				return -1;
			segs[n++] = p;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

int sbom_glob_match(const char *pattern, const char *path)
{
	char pbuf[SBOM_CONFIG_MAX_PATTERN + 1], *pat[GLOB_MAX_SEGS], *seg[GLOB_MAX_SEGS], *sbuf;
	/* m[i][j]: pattern segments i.. match a prefix of path segments j.. */
	unsigned char m[GLOB_MAX_SEGS + 1][GLOB_MAX_SEGS + 1];
	int np, ns, i, j, ok = 0;
	size_t pl = strlen(pattern);

	if (pl > SBOM_CONFIG_MAX_PATTERN)
		return 0;
	memcpy(pbuf, pattern, pl + 1);
	if (!(sbuf = sdl_strdup(path)))
		return 0; /* out of memory: nothing excluded rather than a wrong exclusion */
	np = split(pat, pbuf);
	ns = split(seg, sbuf);
	if (np <= 0 || ns < 0)
		goto done;
	for (i = np; i >= 0; i--)
		for (j = ns; j >= 0; j--) {
			if (i == np)
				m[i][j] = 1; /* the path or one of its parents matched */
			else if (!strcmp(pat[i], "**"))
				m[i][j] = m[i + 1][j] || (j < ns && m[i][j + 1]);
			else
				m[i][j] = j < ns && m[i + 1][j + 1] && fnmatch(pat[i], seg[j], 0) == 0;
		}
	ok = m[0][0];
done:
	sdl_free(sbuf);
	return ok;
}

static int parse_list(char ***list, size_t *n, const cJSON *arr, const char *name, const char *key)
{
	const cJSON *it;
	int rc;
	if (!cJSON_IsArray(arr))
		return sdl_error_set(SDL_EINVAL, "%s: \"%s\" must be an array of strings", name, key);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return sdl_error_set(SDL_EINVAL, "%s: \"%s\" must be an array of strings", name, key);
		if ((rc = sbom_scope_add_pattern(list, n, it->valuestring)) < 0)
			return rc == SDL_ENOMEM ? rc : sdl_error_wrap(rc, "%s: \"%s\"", name, key);
	}
	return 0;
}

int sbom_scope_config_parse(struct sbom_scope_config *out, const char *data, size_t len,
			    const char *name)
{
	const struct sdl_json_limits lim = { SBOM_CONFIG_MAX_BYTES, SBOM_CONFIG_MAX_DEPTH };
	cJSON *root = NULL;
	const cJSON *it;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > SBOM_CONFIG_MAX_BYTES)
		return sdl_error_set(SDL_ELIMIT, "%s: larger than %zu bytes", name, SBOM_CONFIG_MAX_BYTES);
	if ((rc = sdl_json_parse(&root, data, len, name, &lim)) < 0)
		return rc;
	if (!cJSON_IsObject(root)) {
		rc = sdl_error_set(SDL_EINVAL, "%s: expected an object", name);
		goto done;
	}
	cJSON_ArrayForEach(it, root) {
		if (!strcmp(it->string, "exclude"))
			rc = parse_list(&out->exclude, &out->nexclude, it, name, "exclude");
		else if (!strcmp(it->string, "test_paths"))
			rc = parse_list(&out->test_paths, &out->ntest_paths, it, name, "test_paths");
		else
			rc = sdl_error_set(SDL_EINVAL, "%s: unknown key \"%.64s\" (known: exclude, test_paths)",
					   name, it->string);
		if (rc < 0)
			goto done;
	}
	out->exclude_origin = out->test_origin = SBOM_CONFIG_NAME;
done:
	cJSON_Delete(root);
	if (rc < 0)
		sbom_scope_config_release(out);
	return rc;
}

int sbom_scope_config_from_repo(struct sbom_scope_config *out, struct sbom_result *r,
				git_repository *repo)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sdl_git_read_blob(&b, repo, r->commit, SBOM_CONFIG_NAME, SBOM_CONFIG_MAX_BYTES);
	if (rc == SDL_ENOTFOUND) {
		rc = 0;
		goto done;
	}
	if (rc == 0)
		rc = sbom_scope_config_parse(out, b.ptr, b.len, SBOM_CONFIG_NAME);
	if (rc == SDL_EINVAL || rc == SDL_ELIMIT)
		/* untrusted input: reported in the SBOM, the default scope rules apply */
		rc = sbom_result_add_note(r, SBOM_CONFIG_NAME, "not used (default scope rules apply): %s",
					  sdl_error_last());
done:
	sdl_buf_release(&b);
	return rc;
}

static const char *match_any(char **globs, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (sbom_glob_match(globs[i], path))
			return globs[i];
	return NULL;
}

static int in_list(char **names, size_t n, const char *seg, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncasecmp(names[i], seg, len))
			return 1;
	return 0;
}

/* The scope of one path: test_paths first, then the outermost scope directory among its parents. */
static int classify(struct sbom_instance *in, const struct sbom_sigpack *sigs,
		    const struct sbom_scope_config *cfg)
{
	struct sdl_buf b = SDL_BUF_INIT;
	const char *glob = match_any(cfg->test_paths, cfg->ntest_paths, in->path), *p, *e;
	int rc = 0;

	if (glob) {
		in->scope = SBOM_SCOPE_TEST;
		rc = sdl_buf_printf(&b, "matches test path '%s' (%s)", glob,
				    cfg->test_origin ? cfg->test_origin : "configuration");
		goto done;
	}
	/* parent directories only: the last segment is the component or manifest itself */
	for (p = in->path; (e = strchr(p, '/')); p = e + 1) {
		size_t len = (size_t)(e - p);
		enum sbom_scope s = in_list(sigs->scope_test, sigs->nscope_test, p, len) ? SBOM_SCOPE_TEST
				    : in_list(sigs->scope_dev, sigs->nscope_dev, p, len) ? SBOM_SCOPE_DEV
											  : SBOM_SCOPE_PRODUCT;
		if (s != SBOM_SCOPE_PRODUCT) {
			in->scope = s;
			rc = sdl_buf_printf(&b, "under %.*s/", (int)(e - in->path), in->path);
			goto done;
		}
	}
done:
	if (rc == 0 && b.len && !(in->scope_reason = sdl_strdup(b.ptr)))
		rc = SDL_ENOMEM;
	sdl_buf_release(&b);
	return rc;
}

static void drop_track_history(struct sbom_track *t)
{
	for (size_t j = 0; j < t->nevents; j++) {
		sdl_free(t->events[j].author);
		sdl_free(t->events[j].summary);
		sdl_free(t->events[j].from);
		sdl_free(t->events[j].to);
	}
	t->nevents = 0;
}

int sbom_scope_apply(struct sbom_result *r, const struct sbom_sigpack *sigs,
		     const struct sbom_scope_config *cfg)
{
	size_t i, o, k, *ncomp = NULL, *nnote = NULL;
	int rc = 0;

	if (cfg->nexclude) {
		char **ex;
		if (!(ncomp = sdl_calloc(cfg->nexclude, sizeof(*ncomp))) ||
		    !(nnote = sdl_calloc(cfg->nexclude, sizeof(*nnote))) ||
		    !(ex = sdl_reallocarray(r->excluded, r->nexcluded + cfg->nexclude, sizeof(*ex)))) {
			rc = SDL_ENOMEM;
			goto done;
		}
		r->excluded = ex;
	}
	for (i = o = 0; i < r->ninst; i++) {
		struct sbom_instance *in = &r->inst[i];
		for (k = 0; k < cfg->nexclude && !sbom_glob_match(cfg->exclude[k], in->path); k++)
			;
		if (k < cfg->nexclude) {
			ncomp[k]++;
			sdl_free(in->path);
			sdl_free(in->scope_reason);
			sbom_component_unref(in->comp);
			continue;
		}
		r->inst[o++] = *in;
	}
	r->ninst = o;
	for (i = o = 0; i < r->nnotes; i++) {
		struct sbom_note *n = &r->notes[i];
		for (k = 0; k < cfg->nexclude && !sbom_glob_match(cfg->exclude[k], n->path); k++)
			;
		if (k < cfg->nexclude) {
			nnote[k]++;
			sdl_free(n->path);
			sdl_free(n->reason);
			continue;
		}
		r->notes[o++] = *n;
	}
	r->nnotes = o;
	/* a removed component's history lives on its track only */
	for (i = 0; i < r->ntracks; i++)
		if (!r->tracks[i].present && r->tracks[i].path &&
		    match_any(cfg->exclude, cfg->nexclude, r->tracks[i].path))
			drop_track_history(&r->tracks[i]);
	for (k = 0; k < cfg->nexclude; k++) {
		struct sdl_buf b = SDL_BUF_INIT;
		if ((rc = sdl_buf_printf(&b, "%s (%s): %zu component(s), %zu note(s) dropped", cfg->exclude[k],
					 cfg->exclude_origin ? cfg->exclude_origin : "configuration", ncomp[k],
					 nnote[k])) < 0) {
			sdl_buf_release(&b);
			goto done;
		}
		if (!(r->excluded[r->nexcluded] = sdl_buf_detach(&b, NULL))) {
			rc = SDL_ENOMEM;
			goto done;
		}
		r->nexcluded++;
	}
	for (i = 0; i < r->ninst; i++)
		if ((rc = classify(&r->inst[i], sigs, cfg)) < 0)
			goto done;
done:
	sdl_free(ncomp);
	sdl_free(nnote);
	return rc;
}
