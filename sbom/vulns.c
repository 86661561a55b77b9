/*
 * Offline vulnerability matching (vulns.h). OSV schema
 * (https://ossf.github.io/osv-schema/): a record affects a component when
 * affected[].package names it (name, case-insensitive, or its purl without
 * version) or a GIT range's repo is the component's source URL, and the
 * component's version is listed in versions[] or falls in a SEMVER/ECOSYSTEM
 * range (introduced <= v < fixed, or v <= last_affected). A GIT range
 * decides a submodule's gitlink commit by ancestry in the upstream
 * repository when it is available locally (<gitdir>/modules/PATH or the
 * checkout): affected when the commit is or descends from an `introduced`
 * commit and is neither nor descends from a `fixed` one (nor strictly from a
 * `last_affected` one). Without the upstream history, or when an event commit
 * is not in it, the record is listed as not decided, never guessed.
 * versions[] (OSV fills it with the tags a GIT range covers) is tried first.
 * VEX: OpenVEX statements (status / justification) and CycloneDX VEX
 * (analysis) are applied by vulnerability id or alias and product purl/ref.
 */
#include "vulns.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"
#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/json.h"
#include "lib/banned.h"

void sbom_vulns_release(struct sbom_result *r)
{
	for (size_t i = 0; i < r->nvulns; i++) {
		struct sbom_vuln *v = &r->vulns[i];
		sdl_free(v->id);
		sdl_free(v->aliases);
		sdl_free(v->summary);
		sdl_free(v->severity);
		sdl_free(v->component_ref);
		sdl_free(v->scope_reason);
		sdl_free(v->matched_by);
		sdl_free(v->fixed);
		sdl_free(v->state);
		sdl_free(v->justification);
		sdl_free(v->detail);
		sdl_free(v->vex_source);
	}
	sdl_free(r->vulns);
	r->vulns = NULL;
	r->nvulns = r->capvulns = 0;
}

struct files {
	char **v;
	size_t n, cap;
	const char *root;
};

static int on_file(const struct sdl_walk_entry *e, void *payload)
{
	struct files *f = payload;
	size_t l = strlen(e->name);
	struct sdl_buf b = SDL_BUF_INIT;
	if (e->type != SDL_WALK_FILE || l < 6 || strcmp(e->name + l - 5, ".json"))
		return 0;
	if (f->n == SBOM_OSV_MAX_FILES)
		return sdl_error_set(SDL_ELIMIT, "%s: more than %d OSV records", f->root, SBOM_OSV_MAX_FILES);
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 64;
		char **v = sdl_reallocarray(f->v, nc, sizeof(*v));
		if (!v)
			return SDL_ENOMEM;
		f->v = v;
		f->cap = nc;
	}
	if (sdl_buf_printf(&b, "%s/%s", f->root, e->path) < 0 || !(f->v[f->n] = sdl_buf_detach(&b, NULL)))
		return SDL_ENOMEM;
	f->n++;
	return 0;
}

/* "https://github.com/Foo/bar.git" -> "github.com/foo/bar" */
static void norm_url(char *out, size_t len, const char *url)
{
	const char *p = url;
	size_t o = 0;
	if (strstr(p, "://"))
		p = strstr(p, "://") + 3;
	else if (!strncmp(p, "git@", 4))
		p += 4;
	for (; *p && o + 1 < len; p++)
		out[o++] = *p == ':' ? '/' : (char)tolower((unsigned char)*p);
	out[o] = '\0';
	while (o && out[o - 1] == '/')
		out[--o] = '\0';
	if (o > 4 && !strcmp(out + o - 4, ".git"))
		out[o - 4] = '\0';
}

/* purl without version, qualifiers, subpath; lowercase */
static void purl_base(char *out, size_t len, const char *purl)
{
	size_t o = 0;
	for (const char *p = purl; *p && *p != '@' && *p != '?' && *p != '#' && o + 1 < len; p++)
		out[o++] = (char)tolower((unsigned char)*p);
	out[o] = '\0';
}

static int names_component(const cJSON *aff, const struct sbom_component *c)
{
	const cJSON *pkg = sdl_json_obj(aff, "package"), *r;
	const char *name = pkg ? sdl_json_str(pkg, "name") : NULL;
	const char *purl = pkg ? sdl_json_str(pkg, "purl") : NULL;
	char a[512], b[512];
	if (name) {
		const char *slash = strrchr(name, '/');
		if (!strcasecmp(name, c->name) || (slash && !strcasecmp(slash + 1, c->name)))
			return 1;
	}
	if (purl && c->purl) {
		purl_base(a, sizeof(a), purl);
		purl_base(b, sizeof(b), c->purl);
		if (!strcmp(a, b))
			return 1;
	}
	if (c->source_url) {
		norm_url(b, sizeof(b), c->source_url);
		cJSON_ArrayForEach(r, sdl_json_arr(aff, "ranges")) {
			const char *repo = sdl_json_str(r, "repo");
			if (repo) {
				norm_url(a, sizeof(a), repo);
				if (!strcmp(a, b))
					return 1;
			}
		}
	}
	return 0;
}

static int same_version(const char *a, const char *b)
{
	if ((*a == 'v' || *a == 'V') && isdigit((unsigned char)a[1]))
		a++;
	if ((*b == 'v' || *b == 'V') && isdigit((unsigned char)b[1]))
		b++;
	return !strcmp(a, b);
}

/* The upstream repository of one submodule instance, opened on first use. */
struct upstream {
	git_repository *super; /* the scanned repository, or NULL */
	const char *path;      /* the instance's path in the work tree */
	git_repository *repo;
	int tried;
};

static git_repository *upstream_open(struct upstream *u)
{
	struct sdl_buf p = SDL_BUF_INIT;
	const char *wd;
	if (u->tried || !u->super)
		return u->repo;
	u->tried = 1;
	/* the submodule's git dir (named by path, as `git submodule add` does), then its checkout */
	if (sdl_buf_printf(&p, "%smodules/%s", git_repository_path(u->super), u->path) >= 0 &&
	    git_repository_open_ext(&u->repo, p.ptr, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		goto done;
	u->repo = NULL;
	sdl_buf_clear(&p);
	wd = git_repository_workdir(u->super);
	if (wd && sdl_buf_printf(&p, "%s%s", wd, u->path) >= 0 &&
	    git_repository_open_ext(&u->repo, p.ptr, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		goto done;
	u->repo = NULL;
done:
	git_error_clear();
	sdl_buf_release(&p);
	return u->repo;
}

enum { GIT_NO = 0, GIT_YES = 1, GIT_UNDECIDED = 2 };

/*
 * Place commit c against the events of one GIT range in upstream repo up.
 * GIT_YES / GIT_NO, or GIT_UNDECIDED with the reason in how.
 */
static int git_range_decide(struct sdl_buf *how, char **fixed, git_repository *up, const git_oid *c,
			    const char *hex, const cJSON *range)
{
	const cJSON *ev;
	int introduced = 0, out = 0;
	git_commit *probe = NULL;
	if (git_commit_lookup(&probe, up, c) < 0) {
		git_error_clear();
		return sdl_buf_printf(how, "commit %s is not in the upstream repository", hex) < 0 ? -1 : GIT_UNDECIDED;
	}
	git_commit_free(probe);
	cJSON_ArrayForEach(ev, sdl_json_arr(range, "events")) {
		static const char *const keys[] = { "introduced", "fixed", "last_affected", "limit" };
		const char *x = NULL;
		size_t k;
		git_oid e;
		int d;
		for (k = 0; k < 4; k++)
			if ((x = sdl_json_str(ev, keys[k])))
				break;
		if (k >= 3) /* none, or limit: bounds the search in OSV, not the affected set */
			continue;
		if (k == 0 && !strcmp(x, "0")) {
			introduced = 1;
			continue;
		}
		if (git_oid_fromstr(&e, x) < 0) {
			git_error_clear();
			return sdl_buf_printf(how, "GIT range event \"%s\" is not a commit id", x) < 0 ? -1
												 : GIT_UNDECIDED;
		}
		if (!git_oid_cmp(&e, c)) { /* the commit itself: introduced and last_affected are affected */
			if (k == 1)
				out = 1;
			else
				introduced = 1;
			continue;
		}
		if (git_commit_lookup(&probe, up, &e) < 0) {
			git_error_clear();
			return sdl_buf_printf(how, "%s commit %.12s is not in the upstream repository", keys[k], x) < 0
				       ? -1
				       : GIT_UNDECIDED;
		}
		git_commit_free(probe);
		/* git_graph_descendant_of: 1 when c descends from e (c != e) */
		if ((d = git_graph_descendant_of(up, c, &e)) < 0) {
			git_error_clear();
			return sdl_buf_printf(how, "ancestry of %.12s and %.12s unknown", hex, x) < 0 ? -1 : GIT_UNDECIDED;
		}
		if (!d)
			continue;
		if (k == 0)
			introduced = 1;
		else /* descends from a fix, or lies after the last affected commit */
			out = 1;
	}
	if (!introduced || out)
		return GIT_NO;
	cJSON_ArrayForEach(ev, sdl_json_arr(range, "events")) /* the fix to recommend */
		if (sdl_json_str(ev, "fixed") && fixed && !*fixed) {
			if (!(*fixed = sdl_strdup(sdl_json_str(ev, "fixed"))))
				return -1;
			break;
		}
	return sdl_buf_printf(how, "commit %s descends from an introduced commit of a GIT range and from no fix",
			      hex) < 0
		       ? -1
		       : GIT_YES;
}

/*
 * 1 and a description in how when c's version or commit is affected; 2
 * (GIT_UNDECIDED) with the reason in how when a GIT range cannot be decided.
 */
static int affected(struct sdl_buf *how, char **fixed, const cJSON *aff, const struct sbom_component *c,
		    struct upstream *up)
{
	const cJSON *it, *r, *ev;
	char hex[GIT_OID_HEXSZ + 1] = "";
	int undecided = 0;
	if (c->kind == SBOM_SUBMODULE && c->has_oid)
		git_oid_tostr(hex, sizeof(hex), &c->oid);
	if (c->version)
		cJSON_ArrayForEach(it, sdl_json_arr(aff, "versions"))
			if (cJSON_IsString(it) && same_version(it->valuestring, c->version))
				return sdl_buf_printf(how, "version %s listed in versions[]", c->version) < 0 ? -1 : 1;
	cJSON_ArrayForEach(r, sdl_json_arr(aff, "ranges")) {
		const char *type = sdl_json_str(r, "type");
		int in = 0;
		const char *intro = NULL;
		if (!type)
			continue;
		if (!strcmp(type, "GIT")) {
			git_repository *u;
			int d;
			if (!*hex)
				continue;
			if (!(u = upstream_open(up))) {
				/* without history only an exact introduced/last_affected event decides */
				cJSON_ArrayForEach(ev, sdl_json_arr(r, "events")) {
					const char *x = sdl_json_str(ev, "introduced") ? sdl_json_str(ev, "introduced")
										: sdl_json_str(ev, "last_affected");
					if (x && !strcmp(x, hex))
						return sdl_buf_printf(how, "commit %s is an event of a GIT range", hex) < 0
							       ? -1
							       : 1;
				}
				sdl_buf_clear(how);
				if (sdl_buf_printf(how, "cannot decide: the upstream repository of commit %.12s is not "
							"available (no %s checkout or .git/modules entry)",
						   hex, up->path) < 0)
					return -1;
				undecided = 1;
				continue;
			}
			sdl_buf_clear(how);
			if ((d = git_range_decide(how, fixed, u, &c->oid, hex, r)) < 0)
				return -1;
			if (d == GIT_YES)
				return 1;
			if (d == GIT_UNDECIDED) {
				struct sdl_buf t = SDL_BUF_INIT;
				if (sdl_buf_printf(&t, "cannot decide: %s", how->ptr) < 0)
					return -1;
				sdl_buf_clear(how);
				if (sdl_buf_puts(how, t.ptr) < 0) {
					sdl_buf_release(&t);
					return -1;
				}
				sdl_buf_release(&t);
				undecided = 1;
			} else {
				sdl_buf_clear(how);
			}
			continue;
		}
		if ((strcmp(type, "SEMVER") && strcmp(type, "ECOSYSTEM")) || !c->version ||
		    !isdigit((unsigned char)c->version[c->version[0] == 'v'])) /* a version, not a constraint */
			continue;
		cJSON_ArrayForEach(ev, sdl_json_arr(r, "events")) {
			const char *x;
			if ((x = sdl_json_str(ev, "introduced"))) {
				if (!strcmp(x, "0") || sbom_version_cmp(c->version, x) >= 0) {
					in = 1;
					intro = x;
				}
			} else if ((x = sdl_json_str(ev, "fixed"))) {
				if (in && sbom_version_cmp(c->version, x) >= 0)
					in = 0;
				else if (in && fixed && !*fixed && !(*fixed = sdl_strdup(x)))
					return -1;
			} else if ((x = sdl_json_str(ev, "last_affected")) || (x = sdl_json_str(ev, "limit"))) {
				if (in && sbom_version_cmp(c->version, x) > 0)
					in = 0;
			}
		}
		if (in) {
			sdl_buf_clear(how);
			return sdl_buf_printf(how, "%s range: introduced %s, version %s", type, intro, c->version) < 0
				       ? -1
				       : 1;
		}
	}
	return undecided ? GIT_UNDECIDED : 0;
}

static int add_vuln(struct sbom_result *r, const cJSON *rec, const struct sbom_instance *in,
		    const char *how, char *fixed)
{
	struct sbom_vuln *v;
	struct sdl_buf al = SDL_BUF_INIT;
	const cJSON *it, *sev = sdl_json_arr(rec, "severity");
	int rc;
	for (size_t i = 0; i < r->nvulns; i++) /* one entry per id and component */
		if (!strcmp(r->vulns[i].id, sdl_json_str(rec, "id"))) {
			char *ref = NULL;
			int same;
			if ((rc = sbom_instance_ref(&ref, in)) < 0)
				return rc;
			same = !strcmp(ref, r->vulns[i].component_ref);
			sdl_free(ref);
			if (same) {
				sdl_free(fixed);
				return 0;
			}
		}
	if (r->nvulns == r->capvulns) {
		size_t nc = r->capvulns ? r->capvulns * 2 : 8;
		struct sbom_vuln *n = sdl_reallocarray(r->vulns, nc, sizeof(*n));
		if (!n) {
			sdl_free(fixed);
			return SDL_ENOMEM;
		}
		r->vulns = n;
		r->capvulns = nc;
	}
	v = &r->vulns[r->nvulns++];
	memset(v, 0, sizeof(*v));
	v->fixed = fixed;
	v->scope = in->scope;
	cJSON_ArrayForEach(it, sdl_json_arr(rec, "aliases"))
		if (cJSON_IsString(it) && (rc = sdl_buf_printf(&al, "%s%s", al.len ? "," : "", it->valuestring)) < 0) {
			sdl_buf_release(&al);
			return rc;
		}
	if ((rc = sbom_set(&v->id, sdl_json_str(rec, "id"))) < 0 ||
	    (rc = sbom_set(&v->aliases, al.len ? al.ptr : NULL)) < 0 ||
	    (rc = sbom_set(&v->summary, sdl_json_str(rec, "summary") ? sdl_json_str(rec, "summary")
								    : sdl_json_str(rec, "details"))) < 0 ||
	    (rc = sbom_set(&v->severity, sev && cJSON_GetArraySize(sev) > 0
						 ? sdl_json_str(cJSON_GetArrayItem(sev, 0), "score")
						 : NULL)) < 0 ||
	    (rc = sbom_instance_ref(&v->component_ref, in)) < 0 || (rc = sbom_set(&v->matched_by, how)) < 0 ||
	    (rc = sbom_set(&v->scope_reason, in->scope_reason)) < 0) {
		sdl_buf_release(&al);
		return rc;
	}
	sdl_buf_release(&al);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_vuln(const void *a, const void *b)
{
	const struct sbom_vuln *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : strcmp(x->component_ref, y->component_ref);
}

int sbom_vulns_match(struct sbom_result *r, const char *dir, git_repository *repo)
{
	struct files f = { NULL, 0, 0, dir };
	struct sdl_json_limits lim = { SBOM_OSV_MAX_RECORD, 32 };
	struct sdl_buf how = SDL_BUF_INIT;
	struct upstream *ups = NULL; /* per instance, opened lazily */
	int rc;
	size_t i, j;

	if (!sdl_fs_is_dir(dir))
		return sdl_error_set(SDL_ENOTFOUND, "%s: no such directory (--vulns)", dir);
	if ((rc = sdl_fs_walk(dir, 0, on_file, &f)) < 0)
		goto done;
	if (f.n > 1)
		qsort(f.v, f.n, sizeof(*f.v), cmp_str);
	for (i = 0; i < f.n; i++) {
		cJSON *rec = NULL;
		const cJSON *aff;
		if ((rc = sdl_json_load_file(&rec, f.v[i], &lim)) < 0) {
			if (rc == SDL_ENOMEM)
				goto done;
			/* one bad record does not hide the others, but it is listed */
			if ((rc = sbom_result_add_note(r, f.v[i], "OSV record not read: %s", sdl_error_last())) < 0)
				goto done;
			continue;
		}
		if (!sdl_json_str(rec, "id")) {
			cJSON_Delete(rec);
			if ((rc = sbom_result_add_note(r, f.v[i], "OSV record without an id, not used")) < 0)
				goto done;
			continue;
		}
		if (sdl_json_str(rec, "withdrawn")) {
			cJSON_Delete(rec);
			continue;
		}
		for (j = 0; j < r->ninst; j++) {
			const struct sbom_component *c = r->inst[j].comp;
			struct upstream *up;
			if (!ups && r->ninst && !(ups = sdl_calloc(r->ninst, sizeof(*ups)))) {
				cJSON_Delete(rec);
				rc = SDL_ENOMEM;
				goto done;
			}
			up = &ups[j];
			up->super = repo;
			up->path = r->inst[j].path;
			cJSON_ArrayForEach(aff, sdl_json_arr(rec, "affected")) {
				char *fixed = NULL;
				int hit;
				if (!names_component(aff, c))
					continue;
				sdl_buf_clear(&how);
				hit = affected(&how, &fixed, aff, c, up);
				if (hit < 0) {
					sdl_free(fixed);
					cJSON_Delete(rec);
					rc = SDL_ENOMEM;
					goto done;
				}
				if (hit == GIT_UNDECIDED) {
					/* listed (one note per component and record), never guessed either way */
					struct sdl_buf key = SDL_BUF_INIT;
					sdl_free(fixed);
					if ((rc = sdl_buf_printf(&key, "%s (%s)", r->inst[j].path,
								 sdl_json_str(rec, "id"))) < 0 ||
					    (rc = sbom_result_add_note(r, key.ptr, "%s", how.ptr)) < 0) {
						sdl_buf_release(&key);
						cJSON_Delete(rec);
						goto done;
					}
					sdl_buf_release(&key);
					break;
				}
				if (hit) {
					if ((rc = add_vuln(r, rec, &r->inst[j], how.ptr, fixed)) < 0) {
						cJSON_Delete(rec);
						goto done;
					}
					break;
				}
				sdl_free(fixed);
			}
		}
		cJSON_Delete(rec);
	}
	if (r->nvulns > 1)
		qsort(r->vulns, r->nvulns, sizeof(*r->vulns), cmp_vuln);
	rc = 0;
done:
	for (i = 0; ups && i < r->ninst; i++)
		git_repository_free(ups[i].repo);
	sdl_free(ups);
	for (i = 0; i < f.n; i++)
		sdl_free(f.v[i]);
	sdl_free(f.v);
	sdl_buf_release(&how);
	return rc;
}

/* OpenVEX -> CycloneDX analysis (CycloneDX 1.6 impactAnalysisState/Justification). */
static const char *vex_state(const char *s)
{
	if (!s)
		return NULL;
	if (!strcmp(s, "not_affected")) return "not_affected";
	if (!strcmp(s, "affected")) return "exploitable";
	if (!strcmp(s, "fixed")) return "resolved";
	if (!strcmp(s, "under_investigation")) return "in_triage";
	/* CycloneDX VEX states pass through */
	if (!strcmp(s, "resolved") || !strcmp(s, "resolved_with_pedigree") || !strcmp(s, "exploitable") ||
	    !strcmp(s, "in_triage") || !strcmp(s, "false_positive"))
		return s;
	return NULL;
}

static const char *vex_just(const char *s)
{
	if (!s)
		return NULL;
	if (!strcmp(s, "component_not_present") || !strcmp(s, "vulnerable_code_not_present"))
		return "code_not_present";
	if (!strcmp(s, "vulnerable_code_not_in_execute_path"))
		return "code_not_reachable";
	if (!strcmp(s, "vulnerable_code_cannot_be_controlled_by_adversary"))
		return "requires_environment";
	if (!strcmp(s, "inline_mitigations_already_exist"))
		return "protected_by_mitigating_control";
	static const char *const cdx[] = { "code_not_present", "code_not_reachable", "requires_configuration",
					   "requires_dependency", "requires_environment", "protected_by_compiler",
					   "protected_at_runtime", "protected_at_perimeter",
					   "protected_by_mitigating_control", NULL };
	for (size_t i = 0; cdx[i]; i++)
		if (!strcmp(s, cdx[i]))
			return s;
	return NULL;
}

static int vuln_is(const struct sbom_vuln *v, const char *id)
{
	const char *p;
	size_t l = strlen(id);
	if (!strcmp(v->id, id))
		return 1;
	for (p = v->aliases; p && (p = strstr(p, id)); p += l)
		if ((p == v->aliases || p[-1] == ',') && (p[l] == ',' || !p[l]))
			return 1;
	return 0;
}

/* 1 if prod (a bom-ref, or a purl with or without version) names v's component, 0 if not, <0 on error */
static int product_is(const struct sbom_result *r, const struct sbom_vuln *v, const char *prod)
{
	char a[512], b[512];
	if (!strcmp(prod, v->component_ref))
		return 1;
	purl_base(a, sizeof(a), prod);
	for (size_t i = 0; i < r->ninst; i++) {
		char *ref = NULL;
		int same, rc;
		if (!r->inst[i].comp->purl)
			continue;
		if ((rc = sbom_instance_ref(&ref, &r->inst[i])) < 0)
			return rc;
		same = !strcmp(ref, v->component_ref);
		sdl_free(ref);
		if (!same)
			continue;
		purl_base(b, sizeof(b), r->inst[i].comp->purl);
		/* a versioned product must name this version */
		if (!strcmp(a, b) && (!strchr(prod, '@') || !strcmp(prod, r->inst[i].comp->purl)))
			return 1;
	}
	return 0;
}

static int apply(struct sbom_result *r, const char *id, const char *prod, const char *state,
		 const char *just, const char *detail, const char *path)
{
	int rc;
	for (size_t i = 0; i < r->nvulns; i++) {
		struct sbom_vuln *v = &r->vulns[i];
		if (!vuln_is(v, id))
			continue;
		if (prod && (rc = product_is(r, v, prod)) <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if ((rc = sbom_set(&v->state, state)) < 0 || (rc = sbom_set(&v->justification, just)) < 0 ||
		    (rc = sbom_set(&v->detail, detail)) < 0 || (rc = sbom_set(&v->vex_source, path)) < 0)
			return rc;
	}
	return 0;
}

int sbom_vex_apply(struct sbom_result *r, const char *path)
{
	cJSON *root = NULL;
	const cJSON *it, *p;
	int rc;
	if ((rc = sdl_json_load_file(&root, path, NULL)) < 0)
		return rc;
	if (sdl_json_arr(root, "statements")) { /* OpenVEX */
		cJSON_ArrayForEach(it, sdl_json_arr(root, "statements")) {
			const cJSON *vj = cJSON_GetObjectItemCaseSensitive(it, "vulnerability");
			const char *id = cJSON_IsString(vj) ? vj->valuestring : sdl_json_str(vj, "name");
			const char *status = sdl_json_str(it, "status");
			const char *state = vex_state(status);
			if (!id || !state) {
				rc = sdl_error_set(SDL_EINVAL, "%s: a statement lacks a vulnerability or a valid status", path);
				goto done;
			}
			if (!strcmp(status, "not_affected") && !sdl_json_str(it, "justification") &&
			    !sdl_json_str(it, "impact_statement")) {
				/* OpenVEX spec: not_affected needs a justification or an impact statement */
				rc = sdl_error_set(SDL_EINVAL, "%s: not_affected statement for %s without a justification",
						   path, id);
				goto done;
			}
			if (!sdl_json_arr(it, "products") || !cJSON_GetArraySize(sdl_json_arr(it, "products"))) {
				if ((rc = apply(r, id, NULL, state, vex_just(sdl_json_str(it, "justification")),
						sdl_json_str(it, "impact_statement"), path)) < 0)
					goto done;
				continue;
			}
			cJSON_ArrayForEach(p, sdl_json_arr(it, "products")) {
				const char *prod = cJSON_IsString(p) ? p->valuestring : sdl_json_str(p, "@id");
				if (prod && (rc = apply(r, id, prod, state, vex_just(sdl_json_str(it, "justification")),
							sdl_json_str(it, "impact_statement"), path)) < 0)
					goto done;
			}
		}
	} else if (sdl_json_arr(root, "vulnerabilities")) { /* CycloneDX VEX */
		cJSON_ArrayForEach(it, sdl_json_arr(root, "vulnerabilities")) {
			const cJSON *an = sdl_json_obj(it, "analysis");
			const char *id = sdl_json_str(it, "id");
			const char *state = an ? vex_state(sdl_json_str(an, "state")) : NULL;
			if (!id || !state) {
				rc = sdl_error_set(SDL_EINVAL, "%s: a vulnerability lacks an id or analysis.state", path);
				goto done;
			}
			cJSON_ArrayForEach(p, sdl_json_arr(it, "affects")) {
				const char *prod = sdl_json_str(p, "ref");
				if (prod && (rc = apply(r, id, prod, state, vex_just(sdl_json_str(an, "justification")),
							sdl_json_str(an, "detail"), path)) < 0)
					goto done;
			}
		}
	} else {
		rc = sdl_error_set(SDL_EINVAL, "%s: neither OpenVEX (statements) nor CycloneDX VEX (vulnerabilities)",
				   path);
		goto done;
	}
	rc = 0;
done:
	cJSON_Delete(root);
	return rc;
}

int sbom_emit_cdx_vulns(cJSON *root, const struct sbom_result *r)
{
	cJSON *arr = cJSON_CreateArray();
	int rc;
	if (!arr || (rc = sdl_json_add(root, "vulnerabilities", arr)) < 0)
		return SDL_ENOMEM;
	for (size_t i = 0; i < r->nvulns; i++) {
		const struct sbom_vuln *v = &r->vulns[i];
		cJSON *o = cJSON_CreateObject(), *src, *aff, *a, *props;
		struct sdl_buf b = SDL_BUF_INIT;
		if (!o || (rc = sdl_json_add(arr, NULL, o)) < 0)
			return SDL_ENOMEM;
		if ((rc = sdl_buf_printf(&b, "%s|%s", v->id, v->component_ref)) < 0 ||
		    (rc = sdl_json_add_str(o, "bom-ref", b.ptr)) < 0 || (rc = sdl_json_add_str(o, "id", v->id)) < 0) {
			sdl_buf_release(&b);
			return rc;
		}
		sdl_buf_release(&b);
		if (!(src = cJSON_CreateObject()) || (rc = sdl_json_add(o, "source", src)) < 0 ||
		    (rc = sdl_json_add_str(src, "name", "OSV")) < 0)
			return SDL_ENOMEM;
		if ((rc = sdl_json_add_str(o, "description", v->summary)) < 0)
			return rc;
		if (v->fixed && (rc = sdl_json_add_str(o, "recommendation", v->fixed)) < 0)
			return rc;
		if (!(aff = cJSON_CreateArray()) || (rc = sdl_json_add(o, "affects", aff)) < 0 ||
		    !(a = cJSON_CreateObject()) || (rc = sdl_json_add(aff, NULL, a)) < 0 ||
		    (rc = sdl_json_add_str(a, "ref", v->component_ref)) < 0)
			return SDL_ENOMEM;
		if (v->state) {
			cJSON *an = cJSON_CreateObject();
			if (!an || (rc = sdl_json_add(o, "analysis", an)) < 0 ||
			    (rc = sdl_json_add_str(an, "state", v->state)) < 0 ||
			    (rc = sdl_json_add_str(an, "justification", v->justification)) < 0 ||
			    (rc = sdl_json_add_str(an, "detail", v->detail)) < 0)
				return rc < 0 ? rc : SDL_ENOMEM;
		}
		if (!(props = cJSON_CreateArray()) || (rc = sdl_json_add(o, "properties", props)) < 0)
			return SDL_ENOMEM;
		{
			/*
			 * A component outside the product (test / example trees) keeps its
			 * vulnerabilities, marked here; analysis.state is left to VEX
			 * (docs/sbom.md "Scope").
			 */
			const char *names[] = { "sdl:matched-by", "sdl:aliases", "sdl:severity-vector", "sdl:vex-source",
						"sdl:component-scope", "sdl:scope-reason" };
			const char *vals[] = { v->matched_by, v->aliases, v->severity, v->vex_source,
					       v->scope != SBOM_SCOPE_PRODUCT ? "excluded" : NULL, v->scope_reason };
			for (int k = 0; k < 6; k++) {
				cJSON *p;
				if (!vals[k])
					continue;
				if (!(p = cJSON_CreateObject()) || (rc = sdl_json_add(props, NULL, p)) < 0 ||
				    (rc = sdl_json_add_str(p, "name", names[k])) < 0 ||
				    (rc = sdl_json_add_str(p, "value", vals[k])) < 0)
					return rc < 0 ? rc : SDL_ENOMEM;
			}
		}
	}
	return 0;
}
