/* Signature and licence-text loading and matching (signatures.h). */
#include "signatures.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/banned.h"

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sdl_free(v[i]);
	sdl_free(v);
}

void sbom_sigpack_release(struct sbom_sigpack *p)
{
	size_t i, j;
	for (i = 0; i < p->nsigs; i++) {
		struct sbom_signature *s = &p->sigs[i];
		sdl_free(s->name);
		sdl_free(s->supplier);
		sdl_free(s->license);
		sdl_free(s->source);
		sdl_free(s->purl);
		sdl_free(s->cpe);
		free_strv(s->aliases, s->naliases);
		for (j = 0; j < s->ndetect; j++) {
			free_strv(s->detect[j].files, s->detect[j].nfiles);
			sdl_free(s->detect[j].grep.file);
			pcre2_code_free(s->detect[j].grep.re);
		}
		sdl_free(s->detect);
		for (j = 0; j < s->nversion; j++) {
			sdl_free(s->version[j].file);
			pcre2_code_free(s->version[j].re);
		}
		sdl_free(s->version);
		for (j = 0; j < s->nsingle; j++) {
			sdl_free(s->single[j].name);
			pcre2_code_free(s->single[j].grep);
			pcre2_code_free(s->single[j].version);
		}
		sdl_free(s->single);
	}
	sdl_free(p->sigs);
	for (i = 0; i < p->nlic; i++) {
		sdl_free(p->lic[i].id);
		free_strv(p->lic[i].all, p->lic[i].nall);
		free_strv(p->lic[i].none, p->lic[i].nnone);
	}
	sdl_free(p->lic);
	sdl_free(p->single_names);
	free_strv(p->scope_test, p->nscope_test);
	free_strv(p->scope_dev, p->nscope_dev);
	memset(p, 0, sizeof(*p));
}

static int compile(pcre2_code **out, const char *pattern, const char *file, const char *comp)
{
	int err;
	PCRE2_SIZE off;
	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &err, &off,
			     NULL);
	if (!*out) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		return sdl_error_set(SDL_EINVAL, "%s: component '%s': pattern at offset %zu: %s", file,
				     comp, (size_t)off, (const char *)msg);
	}
	return 0;
}

static int dup_opt(char **out, const cJSON *obj, const char *key)
{
	const char *s = sdl_json_str(obj, key);
	*out = NULL;
	if (s && !(*out = sdl_strdup(s)))
		return SDL_ENOMEM;
	return 0;
}

/* A JSON array of strings, or a single string, into a vector. */
static int strv(char ***out, size_t *n, const cJSON *arr, const char *file, const char *what)
{
	const cJSON *it;
	size_t i = 0, count;
	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (cJSON_IsString(arr)) {
		if (!(*out = sdl_calloc(1, sizeof(char *))) || !((*out)[0] = sdl_strdup(arr->valuestring)))
			return SDL_ENOMEM;
		*n = 1;
		return 0;
	}
	if (!cJSON_IsArray(arr))
		return sdl_error_set(SDL_EINVAL, "%s: %s must be an array of strings", file, what);
	count = (size_t)cJSON_GetArraySize(arr);
	if (count > 256)
		return sdl_error_set(SDL_ELIMIT, "%s: %s has more than 256 entries", file, what);
	if (count == 0)
		return 0;
	if (!(*out = sdl_calloc(count, sizeof(char *))))
		return SDL_ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return sdl_error_set(SDL_EINVAL, "%s: %s must be an array of strings", file, what);
		if (!((*out)[i] = sdl_strdup(it->valuestring)))
			return SDL_ENOMEM;
		*n = ++i;
	}
	return 0;
}

static int load_sig(struct sbom_signature *s, const cJSON *j, const char *file)
{
	const cJSON *arr, *it;
	const char *name = sdl_json_str(j, "name");
	int rc;
	size_t n;

	if (!name || !*name)
		return sdl_error_set(SDL_EINVAL, "%s: a component has no \"name\"", file);
	if ((rc = dup_opt(&s->name, j, "name")) < 0 || (rc = dup_opt(&s->supplier, j, "supplier")) < 0 ||
	    (rc = dup_opt(&s->license, j, "license")) < 0 ||
	    (rc = dup_opt(&s->source, j, "source")) < 0 || (rc = dup_opt(&s->purl, j, "purl")) < 0 ||
	    (rc = dup_opt(&s->cpe, j, "cpe")) < 0)
		return rc;
	if ((rc = strv(&s->aliases, &s->naliases, sdl_json_arr(j, "aliases"), file, "aliases")) < 0)
		return rc;

	arr = sdl_json_arr(j, "detect");
	n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n > SBOM_SIG_MAX_RULES)
		return sdl_error_set(SDL_ELIMIT, "%s: component '%s': too many detect rules", file, name);
	if (n && !(s->detect = sdl_calloc(n, sizeof(*s->detect))))
		return SDL_ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct sbom_detect_rule *d = &s->detect[s->ndetect++];
		const cJSON *g = sdl_json_obj(it, "grep");
		if ((rc = strv(&d->files, &d->nfiles, sdl_json_arr(it, "files"), file, "detect.files")) < 0)
			return rc;
		if (d->nfiles == 0)
			return sdl_error_set(SDL_EINVAL, "%s: component '%s': a detect rule lists no files",
					     file, name);
		if (g) {
			const char *pat = sdl_json_str(g, "pattern");
			if ((rc = dup_opt(&d->grep.file, g, "file")) < 0)
				return rc;
			if (!d->grep.file || !pat)
				return sdl_error_set(SDL_EINVAL,
						     "%s: component '%s': grep needs \"file\" and \"pattern\"",
						     file, name);
			if ((rc = compile(&d->grep.re, pat, file, name)) < 0)
				return rc;
		}
	}

	arr = sdl_json_arr(j, "version");
	n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n > SBOM_SIG_MAX_RULES)
		return sdl_error_set(SDL_ELIMIT, "%s: component '%s': too many version rules", file, name);
	if (n && !(s->version = sdl_calloc(n, sizeof(*s->version))))
		return SDL_ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct sbom_grep *g = &s->version[s->nversion++];
		const char *pat = sdl_json_str(it, "pattern");
		if ((rc = dup_opt(&g->file, it, "file")) < 0)
			return rc;
		if (!g->file || !pat)
			return sdl_error_set(SDL_EINVAL,
					     "%s: component '%s': version needs \"file\" and \"pattern\"", file,
					     name);
		if ((rc = compile(&g->re, pat, file, name)) < 0)
			return rc;
	}

	arr = sdl_json_arr(j, "single_files");
	n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n > SBOM_SIG_MAX_RULES)
		return sdl_error_set(SDL_ELIMIT, "%s: component '%s': too many single_files", file, name);
	if (n && !(s->single = sdl_calloc(n, sizeof(*s->single))))
		return SDL_ENOMEM;
	cJSON_ArrayForEach(it, arr) {
		struct sbom_single_rule *r = &s->single[s->nsingle++];
		const char *g = sdl_json_str(it, "grep"), *v = sdl_json_str(it, "version");
		if ((rc = dup_opt(&r->name, it, "name")) < 0)
			return rc;
		if (!r->name || !g)
			return sdl_error_set(SDL_EINVAL,
					     "%s: component '%s': single_files need \"name\" and \"grep\"",
					     file, name);
		if ((rc = compile(&r->grep, g, file, name)) < 0)
			return rc;
		if (v && (rc = compile(&r->version, v, file, name)) < 0)
			return rc;
	}
	if (!s->ndetect && !s->nsingle)
		return sdl_error_set(SDL_EINVAL, "%s: component '%s' has neither detect nor single_files",
				     file, name);
	return 0;
}

/* Lowercase, every run of non-alphanumerics becomes one space. */
static char *normalize_text(const char *data, size_t len)
{
	char *o = sdl_malloc(len + 1);
	size_t n = 0;
	int space = 1;
	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (isalnum(c)) {
			o[n++] = (char)tolower(c);
			space = 0;
		} else if (!space) {
			o[n++] = ' ';
			space = 1;
		}
	}
	while (n > 0 && o[n - 1] == ' ')
		n--;
	o[n] = '\0';
	return o;
}

static int load_lic(struct sbom_license_text *l, const cJSON *j, const char *file)
{
	int rc;
	size_t i;
	if ((rc = dup_opt(&l->id, j, "id")) < 0)
		return rc;
	if (!l->id)
		return sdl_error_set(SDL_EINVAL, "%s: a licence has no \"id\"", file);
	if ((rc = strv(&l->all, &l->nall, sdl_json_arr(j, "all"), file, "all")) < 0 ||
	    (rc = strv(&l->none, &l->nnone, sdl_json_arr(j, "none"), file, "none")) < 0)
		return rc;
	if (!l->nall)
		return sdl_error_set(SDL_EINVAL, "%s: licence '%s' lists no phrases", file, l->id);
	for (i = 0; i < l->nall + l->nnone; i++) {
		char **slot = i < l->nall ? &l->all[i] : &l->none[i - l->nall];
		char *n = normalize_text(*slot, strlen(*slot));
		if (!n)
			return SDL_ENOMEM;
		sdl_free(*slot);
		*slot = n;
	}
	return 0;
}

static int load_file(struct sbom_sigpack *p, const char *path, struct sdl_hash_ctx *h)
{
	cJSON *root = NULL;
	const cJSON *arr, *it;
	struct sdl_buf text = SDL_BUF_INIT;
	int rc;
	size_t n;

	if ((rc = sdl_json_load_file(&root, path, NULL)) < 0)
		return rc;
	/* the cache key covers the rules as loaded, in canonical form */
	if ((rc = sdl_json_render(&text, root)) < 0 || (rc = sdl_hash_update(h, text.ptr, text.len)) < 0)
		goto done;
	arr = sdl_json_arr(root, "components");
	n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (p->nsigs + n > SBOM_SIG_MAX_COMPONENTS) {
		rc = sdl_error_set(SDL_ELIMIT, "%s: more than %d component signatures", path,
				   SBOM_SIG_MAX_COMPONENTS);
		goto done;
	}
	if (n) {
		struct sbom_signature *s = sdl_reallocarray(p->sigs, p->nsigs + n, sizeof(*s));
		if (!s) {
			rc = SDL_ENOMEM;
			goto done;
		}
		p->sigs = s;
		memset(&s[p->nsigs], 0, n * sizeof(*s));
		cJSON_ArrayForEach(it, arr) {
			rc = load_sig(&p->sigs[p->nsigs++], it, path);
			if (rc < 0)
				goto done;
		}
	}
	arr = sdl_json_arr(root, "licenses");
	n = arr ? (size_t)cJSON_GetArraySize(arr) : 0;
	if (n) {
		struct sbom_license_text *l = sdl_reallocarray(p->lic, p->nlic + n, sizeof(*l));
		if (!l) {
			rc = SDL_ENOMEM;
			goto done;
		}
		p->lic = l;
		memset(&l[p->nlic], 0, n * sizeof(*l));
		cJSON_ArrayForEach(it, arr) {
			rc = load_lic(&p->lic[p->nlic++], it, path);
			if (rc < 0)
				goto done;
		}
	}
	if ((it = sdl_json_obj(root, "scope"))) {
		if (p->scope_test || p->scope_dev) {
			rc = sdl_error_set(SDL_EINVAL, "%s: \"scope\" is defined by an earlier file too", path);
			goto done;
		}
		if ((rc = strv(&p->scope_test, &p->nscope_test, sdl_json_arr(it, "test"), path, "scope.test")) < 0 ||
		    (rc = strv(&p->scope_dev, &p->nscope_dev, sdl_json_arr(it, "dev"), path, "scope.dev")) < 0)
			goto done;
	}
	if (!sdl_json_arr(root, "components") && !sdl_json_arr(root, "licenses") && !sdl_json_obj(root, "scope"))
		rc = sdl_error_set(SDL_EINVAL, "%s: neither \"components\", \"licenses\" nor \"scope\"", path);
done:
	sdl_buf_release(&text);
	cJSON_Delete(root);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted list of single-file names: every tree entry of a history walk is looked up in it. */
static int index_single_names(struct sbom_sigpack *p)
{
	size_t n = 0, i, j;
	for (i = 0; i < p->nsigs; i++)
		n += p->sigs[i].nsingle;
	if (!n)
		return 0;
	if (!(p->single_names = sdl_calloc(n, sizeof(*p->single_names))))
		return SDL_ENOMEM;
	for (i = 0; i < p->nsigs; i++)
		for (j = 0; j < p->sigs[i].nsingle; j++)
			p->single_names[p->nsingle_names++] = p->sigs[i].single[j].name;
	qsort(p->single_names, p->nsingle_names, sizeof(*p->single_names), cmp_name);
	return 0;
}

int sbom_sigpack_load(struct sbom_sigpack *out, const char *dir)
{
	DIR *d;
	struct dirent *e;
	char *names[SBOM_SIG_MAX_FILES];
	size_t n = 0, i;
	struct sdl_hash_ctx *h = NULL;
	struct sdl_buf path = SDL_BUF_INIT;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!(d = opendir(dir)))
		return sdl_error_set_errno(SDL_ENOTFOUND, errno, "%s: cannot read signatures", dir);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json") || e->d_name[0] == '.')
			continue;
		if (n == SBOM_SIG_MAX_FILES) {
			rc = sdl_error_set(SDL_ELIMIT, "%s: more than %d signature files", dir,
					   SBOM_SIG_MAX_FILES);
			break;
		}
		if (!(names[n] = sdl_strdup(e->d_name))) {
			rc = SDL_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc < 0)
		goto done;
	if (n == 0) {
		rc = sdl_error_set(SDL_ENOTFOUND, "%s: no signature files (*.json)", dir);
		goto done;
	}
	qsort(names, n, sizeof(names[0]), cmp_str);
	if ((rc = sdl_hash_begin(&h, SDL_SHA256)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		sdl_buf_clear(&path);
		if ((rc = sdl_buf_printf(&path, "%s/%s", dir, names[i])) < 0 ||
		    (rc = load_file(out, path.ptr, h)) < 0)
			goto done;
	}
	rc = sdl_hash_end(h, out->hash);
	h = NULL;
	if (rc >= 0)
		rc = index_single_names(out);
done:
	sdl_hash_abort(h);
	for (i = 0; i < n; i++)
		sdl_free(names[i]);
	sdl_buf_release(&path);
	if (rc < 0)
		sbom_sigpack_release(out);
	return rc;
}

const struct sbom_signature *sbom_sigpack_find(const struct sbom_sigpack *p, const char *name)
{
	for (size_t i = 0; i < p->nsigs; i++) {
		if (!strcasecmp(p->sigs[i].name, name))
			return &p->sigs[i];
		for (size_t j = 0; j < p->sigs[i].naliases; j++)
			if (!strcasecmp(p->sigs[i].aliases[j], name))
				return &p->sigs[i];
	}
	return NULL;
}

int sbom_re_matches(const pcre2_code *re, const char *data, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc;
	if (!md)
		return 0;
	rc = pcre2_match(re, (PCRE2_SPTR)data, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

int sbom_re_capture(char **out, const pcre2_code *re, const char *data, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	struct sdl_buf b = SDL_BUF_INIT;
	PCRE2_SIZE *ov;
	int rc, i, groups;

	*out = NULL;
	if (!md)
		return SDL_ENOMEM;
	rc = pcre2_match(re, (PCRE2_SPTR)data, len, 0, 0, md, NULL);
	if (rc < 0) {
		pcre2_match_data_free(md);
		return 0;
	}
	ov = pcre2_get_ovector_pointer(md);
	groups = rc;
	for (i = groups > 1 ? 1 : 0; i < groups; i++) {
		if (ov[2 * i] == PCRE2_UNSET)
			continue;
		if ((b.len && (rc = sdl_buf_putc(&b, '.')) < 0) ||
		    (rc = sdl_buf_put(&b, data + ov[2 * i], ov[2 * i + 1] - ov[2 * i])) < 0) {
			pcre2_match_data_free(md);
			sdl_buf_release(&b);
			return rc;
		}
	}
	pcre2_match_data_free(md);
	if (!b.len)
		return 0;
	*out = sdl_buf_detach(&b, NULL);
	return *out ? 1 : SDL_ENOMEM;
}

void sbom_license_match(const char **id_out, double *confidence_out,
			const struct sbom_sigpack *p, const char *data, size_t len)
{
	char *text = normalize_text(data, len);
	double best = 0.0;
	size_t best_hits = 0;
	*id_out = NULL;
	*confidence_out = 0.0;
	if (!text)
		return;
	for (size_t i = 0; i < p->nlic; i++) {
		const struct sbom_license_text *l = &p->lic[i];
		size_t hits = 0, j;
		int excluded = 0;
		for (j = 0; j < l->nnone; j++)
			if (strstr(text, l->none[j]))
				excluded = 1;
		if (excluded)
			continue;
		for (j = 0; j < l->nall; j++)
			if (strstr(text, l->all[j]))
				hits++;
		double conf = (double)hits / (double)l->nall;
		/* the more specific text (more phrases matched) wins a tie */
		if (conf >= 0.5 && (conf > best || (conf == best && hits > best_hits))) {
			best = conf;
			best_hits = hits;
			*id_out = l->id;
		}
	}
	*confidence_out = best;
	sdl_free(text);
}

int sbom_template_fill(char **out, const char *tmpl, const char *version)
{
	struct sdl_buf b = SDL_BUF_INIT;
	const char *p, *hit;
	int rc = 0;
	*out = NULL;
	if (!tmpl)
		return 0;
	if (!version && strstr(tmpl, "{version}")) {
		/* no version: drop "@{version}" from a purl, "*" in a CPE */
		for (p = tmpl; (hit = strstr(p, "{version}")); p = hit + 9) {
			size_t l = (size_t)(hit - p), k = l;
			/* purl: drop "@{version}" including a prefix such as "@v{version}" */
			while (k && p[k - 1] != '@' && p[k - 1] != '/' && p[k - 1] != ':')
				k--;
			if (k && p[k - 1] == '@')
				l = k - 1;
			if ((rc = sdl_buf_put(&b, p, l)) < 0 ||
			    (!strncmp(tmpl, "cpe:", 4) && (rc = sdl_buf_putc(&b, '*')) < 0))
				goto fail;
		}
	} else {
		for (p = tmpl; (hit = strstr(p, "{version}")); p = hit + 9)
			if ((rc = sdl_buf_put(&b, p, (size_t)(hit - p))) < 0 ||
			    (rc = sdl_buf_puts(&b, version)) < 0)
				goto fail;
	}
	if ((rc = sdl_buf_puts(&b, p)) < 0)
		goto fail;
	*out = sdl_buf_detach(&b, NULL);
	return *out ? 0 : SDL_ENOMEM;
fail:
	sdl_buf_release(&b);
	return rc;
}
