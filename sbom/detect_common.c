/* Helpers shared by the detectors (detect.h): found lists, blob loading, purls. */
#include "detect.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/banned.h"

void sbom_found_release(struct sbom_found *f)
{
	size_t i;
	for (i = 0; i < f->n; i++) {
		sdl_free(f->items[i].relpath);
		sbom_component_unref(f->items[i].comp);
	}
	sdl_free(f->items);
	for (i = 0; i < f->nnotes; i++) {
		sdl_free(f->notes[i].path);
		sdl_free(f->notes[i].reason);
	}
	sdl_free(f->notes);
	memset(f, 0, sizeof(*f));
}

int sbom_found_add(struct sbom_found *f, const char *relpath, struct sbom_component *c)
{
	char *p;
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 4;
		struct sbom_found_item *it = sdl_reallocarray(f->items, ncap, sizeof(*it));
		if (!it) {
			sbom_component_unref(c);
			return SDL_ENOMEM;
		}
		f->items = it;
		f->cap = ncap;
	}
	if (!(p = sdl_strdup(relpath))) {
		sbom_component_unref(c);
		return SDL_ENOMEM;
	}
	f->items[f->n].relpath = p;
	f->items[f->n].comp = c;
	f->n++;
	return 0;
}

int sbom_found_note(struct sbom_found *f, const char *relpath, const char *fmt, ...)
{
	struct sdl_buf b = SDL_BUF_INIT;
	va_list ap;
	int rc;
	char *p;
	if (f->nnotes == f->capnotes) {
		size_t ncap = f->capnotes ? f->capnotes * 2 : 4;
		struct sbom_note *n = sdl_reallocarray(f->notes, ncap, sizeof(*n));
		if (!n)
			return SDL_ENOMEM;
		f->notes = n;
		f->capnotes = ncap;
	}
	va_start(ap, fmt);
	rc = sdl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	if (!(p = sdl_strdup(relpath))) {
		sdl_buf_release(&b);
		return SDL_ENOMEM;
	}
	f->notes[f->nnotes].path = p;
	if (!(f->notes[f->nnotes].reason = sdl_buf_detach(&b, NULL))) {
		sdl_free(p);
		return SDL_ENOMEM;
	}
	f->nnotes++;
	return 0;
}

int sbom_blob_load(git_blob **out, struct sbom_ctx *ctx, const git_oid *id, size_t max,
		   struct sbom_found *f, const char *relpath)
{
	size_t size = 0;
	git_object_t type;
	int rc;

	*out = NULL;
	/* the header gives the size without inflating a huge object */
	rc = git_odb_read_header(&size, &type, ctx->odb, id);
	if (rc < 0) {
		const git_error *e = git_error_last();
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		rc = sbom_found_note(f, relpath, "missing or unreadable git object %s (%s)", hex,
				     e && e->message ? e->message : "not found");
		return rc < 0 ? rc : 1;
	}
	if (size > max) {
		rc = sbom_found_note(f, relpath, "not examined: %zu bytes exceeds the %zu-byte limit",
				     size, max);
		return rc < 0 ? rc : 1;
	}
	if (git_blob_lookup(out, ctx->repo, id) < 0) {
		const git_error *e = git_error_last();
		rc = sbom_found_note(f, relpath, "unreadable blob (%s)",
				     e && e->message ? e->message : "unknown error");
		return rc < 0 ? rc : 1;
	}
	return 0;
}

int sbom_is_vendor_root(const char *name)
{
	static const char *const roots[] = { "third_party", "third-party", "thirdparty", "3rdparty",
					     "3rd_party", "3rd-party", "vendor", "vendors", "external",
					     "externals", "deps", "dependencies", "extern", "subprojects",
					     NULL };
	/*
	 * Folders that hold vendored code in some projects and the project's own
	 * code in many others (curl's lib/, sqlite's ext/, the folders under libwebsockets' lib/):
	 * measured on Debian sources, a README alone there is no sign of a
	 * third party.
	 */
	static const char *const weak[] = { "contrib", "lib", "libs", "ext", "components", NULL };
	size_t i;
	for (i = 0; roots[i]; i++)
		if (!strcasecmp(name, roots[i]))
			return 1;
	for (i = 0; weak[i]; i++)
		if (!strcasecmp(name, weak[i]))
			return 2;
	return 0;
}

/* Split a git URL into host and "owner/repo" (no .git suffix). */
static int split_url(const char *url, char *host, size_t hostlen, char *path, size_t pathlen)
{
	const char *p = url, *slash;
	size_t l;
	if (!strncmp(p, "git+", 4))
		p += 4;
	if (strstr(p, "://")) {
		p = strstr(p, "://") + 3;
		if (strchr(p, '@') && strchr(p, '@') < strchr(p, '/'))
			p = strchr(p, '@') + 1;
		slash = strchr(p, '/');
	} else if (!strncmp(p, "git@", 4)) {
		p += 4;
		slash = strchr(p, ':');
	} else {
		return -1;
	}
	if (!slash || (size_t)(slash - p) >= hostlen)
		return -1;
	memcpy(host, p, (size_t)(slash - p));
	host[slash - p] = '\0';
	if (strchr(host, ':'))
		*strchr(host, ':') = '\0';
	p = slash + 1;
	l = strlen(p);
	while (l && p[l - 1] == '/')
		l--;
	if (l > 4 && !strncmp(p + l - 4, ".git", 4))
		l -= 4;
	if (l == 0 || l >= pathlen)
		return -1;
	memcpy(path, p, l);
	path[l] = '\0';
	return 0;
}

int sbom_purl_for_url(char **out, const char *url, const char *version)
{
	char host[256], path[512];
	const char *type = NULL;
	struct sdl_buf b = SDL_BUF_INIT;
	int rc;

	*out = NULL;
	if (!url || split_url(url, host, sizeof(host), path, sizeof(path)) < 0)
		return 0;
	if (!strcasecmp(host, "github.com"))
		type = "github";
	else if (!strcasecmp(host, "gitlab.com"))
		type = "gitlab";
	else if (!strcasecmp(host, "bitbucket.org"))
		type = "bitbucket";
	if (!type || !strchr(path, '/') || strchr(strchr(path, '/') + 1, '/'))
		return 0; /* purl types for these hosts take exactly owner/name */
	for (char *c = path; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	rc = sdl_buf_printf(&b, "pkg:%s/%s", type, path);
	if (rc >= 0 && version && *version)
		rc = sdl_buf_printf(&b, "@%s", version);
	if (rc < 0) {
		sdl_buf_release(&b); /* the first printf may have allocated */
		return rc;
	}
	*out = sdl_buf_detach(&b, NULL);
	return *out ? 0 : SDL_ENOMEM;
}

int sbom_manifest_add(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *relpath,
		      const char *ecosystem, const char *name, const char *version,
		      const char *url)
{
	const struct sbom_signature *sig;
	struct sbom_component *c;
	struct sdl_buf b = SDL_BUF_INIT;
	int rc;

	/* a nameless component is no identification: a note, never an entry */
	if (!name || !*name)
		return sbom_found_note(f, relpath, "not examined: a %s dependency without a name",
				       ecosystem);
	sig = sbom_sigpack_find(sigs, name);
	c = sbom_component_new(SBOM_MANIFEST, sig ? sig->name : name);
	if (!c)
		return SDL_ENOMEM;
	if ((rc = sbom_set(&c->version, version && *version ? version : NULL)) < 0 ||
	    (rc = sbom_set(&c->ecosystem, ecosystem)) < 0 ||
	    (rc = sbom_set(&c->source_url, url ? url : sig ? sig->source : NULL)) < 0)
		goto fail;
	c->confidence = sig ? 0.9 : 0.7;
	if (!strcmp(ecosystem, "conan")) {
		/* pkg:conan is a registered purl type */
		if ((rc = sdl_buf_printf(&b, "pkg:conan/%s", name)) < 0 ||
		    (c->version && (rc = sdl_buf_printf(&b, "@%s", c->version)) < 0))
			goto fail;
		if (!(c->purl = sdl_buf_detach(&b, NULL)))
			goto nomem;
	} else if (url && (rc = sbom_purl_for_url(&c->purl, url, c->version)) < 0) {
		goto fail;
	}
	if (sig) {
		if (!c->purl && (rc = sbom_template_fill(&c->purl, sig->purl, c->version)) < 0)
			goto fail;
		if ((rc = sbom_template_fill(&c->cpe, sig->cpe, c->version)) < 0 ||
		    (rc = sbom_set(&c->supplier, sig->supplier)) < 0 ||
		    (rc = sbom_set(&c->license, sig->license)) < 0 ||
		    (rc = sbom_set(&c->license_from, sig->license ? "signature" : NULL)) < 0)
			goto fail;
		c->license_confidence = sig->license ? 0.5 : 0.0;
	}
	if (!c->purl) {
		sdl_buf_clear(&b);
		if ((rc = sdl_buf_printf(&b, "pkg:generic/%s", name)) < 0 ||
		    (c->version && (rc = sdl_buf_printf(&b, "@%s", c->version)) < 0) ||
		    (url && (rc = sdl_buf_printf(&b, "?download_url=%s", url)) < 0))
			goto fail;
		if (!(c->purl = sdl_buf_detach(&b, NULL)))
			goto nomem;
	}
	if ((rc = sdl_buf_printf(&b, "declared in %s (%s)", relpath, ecosystem)) < 0)
		goto fail;
	if (!(c->detail = sdl_buf_detach(&b, NULL)))
		goto nomem;
	return sbom_found_add(f, relpath, c);
nomem:
	rc = SDL_ENOMEM;
fail:
	sdl_buf_release(&b);
	sbom_component_unref(c);
	return rc;
}

int sbom_detect_gitlink(struct sbom_found *f, const char *name, const git_oid *commit)
{
	struct sbom_component *c = sbom_component_new(SBOM_SUBMODULE, name);
	if (!c)
		return SDL_ENOMEM;
	git_oid_cpy(&c->oid, commit);
	c->has_oid = 1;
	return sbom_found_add(f, name, c);
}
