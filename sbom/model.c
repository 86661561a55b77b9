/* The sbom model: components, instances, notes, history tracks (sbom.h). */
#include "sbom.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "vulns.h"
#include "lib/banned.h"

struct sbom_component *sbom_component_new(enum sbom_kind kind, const char *name)
{
	struct sbom_component *c = sdl_calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->refs = 1;
	c->kind = kind;
	c->name = sdl_strdup(name ? name : "");
	if (!c->name) {
		sdl_free(c);
		return NULL;
	}
	return c;
}

struct sbom_component *sbom_component_copy(const struct sbom_component *c)
{
	struct sbom_component *d = sbom_component_new(c->kind, c->name);
	if (!d)
		return NULL;
	d->license_confidence = c->license_confidence;
	d->confidence = c->confidence;
	git_oid_cpy(&d->oid, &c->oid);
	d->has_oid = c->has_oid;
	if (sbom_set(&d->version, c->version) < 0 || sbom_set(&d->version_from, c->version_from) < 0 ||
	    sbom_set(&d->supplier, c->supplier) < 0 || sbom_set(&d->license, c->license) < 0 ||
	    sbom_set(&d->license_from, c->license_from) < 0 || sbom_set(&d->purl, c->purl) < 0 ||
	    sbom_set(&d->cpe, c->cpe) < 0 || sbom_set(&d->source_url, c->source_url) < 0 ||
	    sbom_set(&d->hash_alg, c->hash_alg) < 0 || sbom_set(&d->hash_value, c->hash_value) < 0 ||
	    sbom_set(&d->ecosystem, c->ecosystem) < 0 || sbom_set(&d->detail, c->detail) < 0 ||
	    sbom_set(&d->digest, c->digest) < 0) {
		sbom_component_unref(d);
		return NULL;
	}
	return d;
}

struct sbom_component *sbom_component_ref(struct sbom_component *c)
{
	if (c)
		c->refs++;
	return c;
}

void sbom_component_unref(struct sbom_component *c)
{
	if (!c || --c->refs > 0)
		return;
	sdl_free(c->name);
	sdl_free(c->version);
	sdl_free(c->version_from);
	sdl_free(c->supplier);
	sdl_free(c->license);
	sdl_free(c->license_from);
	sdl_free(c->purl);
	sdl_free(c->cpe);
	sdl_free(c->source_url);
	sdl_free(c->hash_alg);
	sdl_free(c->hash_value);
	sdl_free(c->ecosystem);
	sdl_free(c->detail);
	sdl_free(c->digest);
	sdl_free(c);
}

const char *sbom_kind_name(enum sbom_kind kind)
{
	switch (kind) {
	case SBOM_VENDORED: return "vendored";
	case SBOM_SINGLE_FILE: return "vendored-file";
	case SBOM_UNKNOWN: return "unknown-vendored";
	case SBOM_SUBMODULE: return "submodule";
	case SBOM_MANIFEST: return "manifest";
	}
	return "?";
}

const char *sbom_event_name(enum sbom_event_type t)
{
	switch (t) {
	case SBOM_EV_INTRODUCED: return "introduced";
	case SBOM_EV_VERSION: return "version";
	case SBOM_EV_MODIFIED: return "modified";
	case SBOM_EV_MOVED: return "moved";
	case SBOM_EV_SWITCHED: return "switched";
	case SBOM_EV_REMOVED: return "removed";
	}
	return "?";
}

int sbom_set(char **field, const char *value)
{
	char *copy = NULL;
	if (value && !(copy = sdl_strdup(value)))
		return SDL_ENOMEM;
	sdl_free(*field);
	*field = copy;
	return 0;
}

void sbom_result_init(struct sbom_result *r)
{
	memset(r, 0, sizeof(*r));
}

void sbom_result_release(struct sbom_result *r)
{
	size_t i, j;
	sdl_free(r->repo_name);
	for (i = 0; i < r->ninst; i++) {
		sdl_free(r->inst[i].path);
		sdl_free(r->inst[i].scope_reason);
		sbom_component_unref(r->inst[i].comp);
	}
	sdl_free(r->inst);
	for (i = 0; i < r->nexcluded; i++)
		sdl_free(r->excluded[i]);
	sdl_free(r->excluded);
	for (i = 0; i < r->nnotes; i++) {
		sdl_free(r->notes[i].path);
		sdl_free(r->notes[i].reason);
	}
	sdl_free(r->notes);
	for (i = 0; i < r->ntracks; i++) {
		struct sbom_track *t = &r->tracks[i];
		for (j = 0; j < t->nevents; j++) {
			sdl_free(t->events[j].author);
			sdl_free(t->events[j].summary);
			sdl_free(t->events[j].from);
			sdl_free(t->events[j].to);
		}
		sdl_free(t->events);
		sdl_free(t->name);
		sdl_free(t->path);
	}
	sdl_free(r->tracks);
	sbom_vulns_release(r);
	memset(r, 0, sizeof(*r));
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;
	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	p = sdl_reallocarray(*arr, ncap, size);
	if (!p)
		return SDL_ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int sbom_result_add_note(struct sbom_result *r, const char *path, const char *fmt, ...)
{
	struct sdl_buf b = SDL_BUF_INIT;
	va_list ap;
	int rc;
	char *p;

	for (size_t i = 0; i < r->nnotes; i++)
		if (!strcmp(r->notes[i].path, path))
			return 0; /* one note per path is enough */
	if ((rc = grow((void **)&r->notes, &r->capnotes, r->nnotes, sizeof(*r->notes))) < 0)
		return rc;
	va_start(ap, fmt);
	rc = sdl_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return rc;
	p = sdl_strdup(path);
	if (!p) {
		sdl_buf_release(&b);
		return SDL_ENOMEM;
	}
	r->notes[r->nnotes].path = p;
	r->notes[r->nnotes].reason = sdl_buf_detach(&b, NULL);
	if (!r->notes[r->nnotes].reason) {
		sdl_free(p);
		return SDL_ENOMEM;
	}
	r->nnotes++;
	return 0;
}

int sbom_result_add_instance(struct sbom_result *r, const char *path, struct sbom_component *c)
{
	int rc;
	char *p;
	if ((rc = grow((void **)&r->inst, &r->capinst, r->ninst, sizeof(*r->inst))) < 0)
		return rc;
	if (!(p = sdl_strdup(path)))
		return SDL_ENOMEM;
	r->inst[r->ninst].path = p;
	r->inst[r->ninst].comp = sbom_component_ref(c);
	r->inst[r->ninst].track = (size_t)-1;
	r->inst[r->ninst].scope = SBOM_SCOPE_PRODUCT;
	r->inst[r->ninst].scope_reason = NULL;
	r->ninst++;
	return 0;
}

static int cmp_inst(const void *a, const void *b)
{
	const struct sbom_instance *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	c = strcmp(x->comp->name, y->comp->name);
	if (c)
		return c;
	return (int)x->comp->kind - (int)y->comp->kind;
}

static int cmp_note(const void *a, const void *b)
{
	const struct sbom_note *x = a, *y = b;
	return strcmp(x->path, y->path);
}

void sbom_result_sort(struct sbom_result *r)
{
	size_t i, o = 0;
	if (r->ninst > 1)
		qsort(r->inst, r->ninst, sizeof(*r->inst), cmp_inst);
	for (i = 0; i < r->ninst; i++) {
		if (o > 0 && !cmp_inst(&r->inst[o - 1], &r->inst[i])) {
			sdl_free(r->inst[i].path);
			sdl_free(r->inst[i].scope_reason);
			sbom_component_unref(r->inst[i].comp);
			continue;
		}
		r->inst[o++] = r->inst[i];
	}
	r->ninst = o;
	/*
	 * A copy nested in a same-name component is the same library seen twice
	 * (lua and lua/src both match a lua signature): keep the outer one. Sorted
	 * by path, so an outer component precedes what it contains.
	 */
	for (i = o = 0; i < r->ninst; i++) {
		const struct sbom_instance *in = &r->inst[i];
		int nested = 0;
		for (size_t k = 0; k < o && !nested && in->comp->kind != SBOM_MANIFEST; k++) {
			const struct sbom_instance *outer = &r->inst[k];
			size_t l = strlen(outer->path);
			nested = outer->comp->kind != SBOM_MANIFEST && !strcmp(outer->comp->name, in->comp->name) &&
				 !strncmp(outer->path, in->path, l) && in->path[l] == '/';
		}
		if (nested) {
			sdl_free(r->inst[i].path);
			sdl_free(r->inst[i].scope_reason);
			sbom_component_unref(r->inst[i].comp);
			continue;
		}
		r->inst[o++] = r->inst[i];
	}
	r->ninst = o;
	if (r->nnotes > 1)
		qsort(r->notes, r->nnotes, sizeof(*r->notes), cmp_note);
}

struct sbom_track *sbom_result_new_track(struct sbom_result *r, size_t *index_out)
{
	if (grow((void **)&r->tracks, &r->captracks, r->ntracks, sizeof(*r->tracks)) < 0)
		return NULL;
	memset(&r->tracks[r->ntracks], 0, sizeof(r->tracks[0]));
	*index_out = r->ntracks;
	return &r->tracks[r->ntracks++];
}

int sbom_track_add_event(struct sbom_track *t, enum sbom_event_type type, const git_commit *commit,
			 const char *from, const char *to)
{
	struct sbom_event *e;
	const git_signature *a;
	const char *subject;
	struct sdl_buf b = SDL_BUF_INIT;
	int rc;

	if ((rc = grow((void **)&t->events, &t->capevents, t->nevents, sizeof(*t->events))) < 0)
		return rc;
	e = &t->events[t->nevents];
	memset(e, 0, sizeof(*e));
	e->type = type;
	git_oid_tostr(e->commit, sizeof(e->commit), git_commit_id(commit));
	e->time = (int64_t)git_commit_time(commit);
	a = git_commit_author(commit);
	if (a && (rc = sdl_buf_printf(&b, "%s <%s>", a->name ? a->name : "",
				      a->email ? a->email : "")) < 0)
		goto fail;
	if (!(e->author = sdl_buf_detach(&b, NULL)))
		goto nomem;
	subject = git_commit_summary((git_commit *)commit);
	if ((rc = sbom_set(&e->summary, subject ? subject : "")) < 0 ||
	    (rc = sbom_set(&e->from, from)) < 0 || (rc = sbom_set(&e->to, to)) < 0)
		goto fail;
	t->nevents++;
	return 0;
nomem:
	rc = SDL_ENOMEM;
fail:
	sdl_buf_release(&b);
	sdl_free(e->author);
	sdl_free(e->summary);
	sdl_free(e->from);
	sdl_free(e->to);
	return rc;
}

/*
 * Compare versions segment by segment: runs of digits numerically, other
 * runs byte-wise, separators ignored. "1.2.10" > "1.2.9"; "v1.2" == "1.2".
 */
int sbom_version_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	if ((*a == 'v' || *a == 'V') && isdigit((unsigned char)a[1]))
		a++;
	if ((*b == 'v' || *b == 'V') && isdigit((unsigned char)b[1]))
		b++;
	while (*a || *b) {
		while (*a && !isalnum((unsigned char)*a))
			a++;
		while (*b && !isalnum((unsigned char)*b))
			b++;
		if (!*a || !*b)
			break;
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea = a, *eb = b;
			size_t la, lb;
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = memcmp(a, b, la);
			if (c)
				return c < 0 ? -1 : 1;
			a = ea;
			b = eb;
		} else if (isdigit((unsigned char)*a) || isdigit((unsigned char)*b)) {
			/* "1.0" vs "1.0rc1": a number sorts after a pre-release tag */
			return isdigit((unsigned char)*a) ? 1 : -1;
		} else {
			const char *ea = a, *eb = b;
			while (isalpha((unsigned char)*ea))
				ea++;
			while (isalpha((unsigned char)*eb))
				eb++;
			size_t la = (size_t)(ea - a), lb = (size_t)(eb - b);
			int c = memcmp(a, b, la < lb ? la : lb);
			if (c)
				return c < 0 ? -1 : 1;
			if (la != lb)
				return la < lb ? -1 : 1;
			a = ea;
			b = eb;
		}
	}
	/* "1.2" < "1.2.1", but "1.2" > "1.2-rc1" */
	if (*a)
		return isdigit((unsigned char)*a) ? 1 : -1;
	if (*b)
		return isdigit((unsigned char)*b) ? -1 : 1;
	return 0;
}

int sbom_instance_ref(char **out, const struct sbom_instance *in)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int rc;
	if (in->comp->kind == SBOM_MANIFEST)
		rc = sdl_buf_printf(&b, "%s:%s@%s", in->comp->ecosystem ? in->comp->ecosystem : "manifest",
				    in->comp->name, in->path);
	else
		rc = sdl_buf_printf(&b, "%s@%s", in->comp->name, in->path);
	if (rc < 0)
		return rc;
	*out = sdl_buf_detach(&b, NULL);
	return *out ? 0 : SDL_ENOMEM;
}
