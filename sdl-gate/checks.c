/*
 * sdl-gate: the evaluation state: check results with their violations, the
 * evidence files read (which go into the package), warnings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/hash.h"
#include "lib/banned.h"

const char *gate_status_name(enum gate_status s)
{
	switch (s) {
	case GATE_MET: return "met";
	case GATE_NOT_MET: return "not_met";
	case GATE_WAIVED: return "waived";
	case GATE_ATTESTED: return "attested";
	case GATE_NA: return "not_applicable";
	}
	return "?";
}

void gate_eval_init(struct gate_eval *ev)
{
	memset(ev, 0, sizeof(*ev));
	gate_project_init(&ev->project);
}

static void person_release(struct gate_person *p)
{
	sdl_free(p->name);
	sdl_free(p->identity);
	sdl_free(p->role);
}

void gate_eval_release(struct gate_eval *ev)
{
	sdl_free(ev->repo);
	if (ev->git)
		git_repository_free(ev->git);
	cJSON_Delete(ev->git_range);
	gate_catalog_release(&ev->catalog);
	for (size_t i = 0; i < ev->nextra; i++)
		gate_catalog_release(&ev->extra[i]);
	sdl_free(ev->extra);
	gate_policy_release(&ev->policy);
	gate_project_release(&ev->project);
	sdl_free(ev->previous_ref);
	gate_strv_release(&ev->authors);
	gate_strv_release(&ev->reviewers);
	for (size_t i = 0; i < ev->nchecks; i++) {
		struct gate_check *c = &ev->checks[i];
		for (size_t j = 0; j < c->nviol; j++) {
			sdl_free(c->viol[j].key);
			sdl_free(c->viol[j].message);
			sdl_free(c->viol[j].file);
			sdl_free(c->viol[j].waiver);
		}
		sdl_free(c->viol);
		sdl_free(c->id);
		sdl_free(c->summary);
		gate_strv_release(&c->files);
	}
	sdl_free(ev->checks);
	for (size_t i = 0; i < ev->ninputs; i++) {
		sdl_free(ev->inputs[i].path);
		sdl_free(ev->inputs[i].name);
	}
	sdl_free(ev->inputs);
	for (size_t i = 0; i < ev->nwaivers; i++) {
		struct gate_waiver *w = &ev->waivers[i];
		sdl_free(w->id);
		sdl_free(w->requirement);
		sdl_free(w->finding);
		sdl_free(w->owner);
		sdl_free(w->approver);
		sdl_free(w->reason);
		sdl_free(w->invalid_why);
	}
	sdl_free(ev->waivers);
	for (size_t i = 0; i < ev->nrecords; i++) {
		struct gate_record *r = &ev->records[i];
		sdl_free(r->file);
		sdl_free(r->record_id);
		sdl_free(r->activity);
		gate_strv_release(&r->requirements);
		for (size_t j = 0; j < r->nperformers; j++)
			person_release(&r->performers[j]);
		sdl_free(r->performers);
		person_release(&r->approver);
		sdl_free(r->outcome);
		sdl_free(r->subject_component);
		sdl_free(r->invalid_why);
	}
	sdl_free(ev->records);
	gate_strv_release(&ev->warnings);
	gate_signers_release(&ev->signers);
	for (size_t i = 0; i < ev->nresults; i++) {
		struct gate_result *r = &ev->results[i];
		for (size_t j = 0; j < r->nreasons; j++) {
			sdl_free(r->reasons[j].check);
			sdl_free(r->reasons[j].text);
			gate_strv_release(&r->reasons[j].files);
		}
		sdl_free(r->reasons);
	}
	sdl_free(ev->results);
	sdl_free(ev->xmaps);
	memset(ev, 0, sizeof(*ev));
}

const struct gate_check *gate_check_find(const struct gate_eval *ev, const char *id)
{
	for (size_t i = 0; i < ev->nchecks; i++)
		if (strcmp(ev->checks[i].id, id) == 0)
			return &ev->checks[i];
	return NULL;
}

struct gate_check *gate_check_get(struct gate_eval *ev, const char *id)
{
	struct gate_check *c = (struct gate_check *)gate_check_find(ev, id);
	if (c)
		return c;
	if (ev->nchecks == ev->capchecks) {
		size_t cap = ev->capchecks ? ev->capchecks * 2 : 32;
		struct gate_check *v = sdl_reallocarray(ev->checks, cap, sizeof(*v));
		if (!v)
			return NULL;
		ev->checks = v;
		ev->capchecks = cap;
	}
	c = &ev->checks[ev->nchecks];
	memset(c, 0, sizeof(*c));
	c->id = sdl_strdup(id);
	if (!c->id)
		return NULL;
	c->state = GATE_CHECK_PASS;
	ev->nchecks++;
	return c;
}

int gate_check_file(struct gate_check *c, const char *file)
{
	return gate_strv_push_unique(&c->files, file);
}

int gate_check_violation(struct gate_check *c, const char *key, const char *file,
			 unsigned line, const char *fmt, ...)
{
	struct gate_violation *v;
	struct sdl_buf msg = SDL_BUF_INIT;
	va_list ap;
	int ret;

	if (c->nviol >= GATE_MAX_LIST)
		return sdl_error_set(SDL_ELIMIT, "check %s: more than %d violations", c->id,
				     GATE_MAX_LIST);
	if (c->nviol == c->capviol) {
		size_t cap = c->capviol ? c->capviol * 2 : 8;
		struct gate_violation *nv = sdl_reallocarray(c->viol, cap, sizeof(*nv));
		if (!nv)
			return SDL_ENOMEM;
		c->viol = nv;
		c->capviol = cap;
	}
	sdl_buf_init(&msg, 4096);
	va_start(ap, fmt);
	ret = sdl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (ret < 0 && ret != SDL_ELIMIT) {
		sdl_buf_release(&msg);
		return ret;
	}
	v = &c->viol[c->nviol];
	memset(v, 0, sizeof(*v));
	v->message = sdl_buf_detach(&msg, NULL);
	v->key = key ? sdl_strdup(key) : NULL;
	v->file = file ? sdl_strdup(file) : NULL;
	v->line = line;
	if (!v->message || (key && !v->key) || (file && !v->file)) {
		sdl_free(v->message);
		sdl_free(v->key);
		sdl_free(v->file);
		return SDL_ENOMEM;
	}
	c->nviol++;
	c->state = GATE_CHECK_FAIL;
	return 0;
}

int gate_check_set(struct gate_check *c, enum gate_check_state state, const char *fmt, ...)
{
	struct sdl_buf msg = SDL_BUF_INIT;
	va_list ap;
	int ret;
	sdl_buf_init(&msg, 4096);
	va_start(ap, fmt);
	ret = sdl_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (ret < 0 && ret != SDL_ELIMIT) {
		sdl_buf_release(&msg);
		return ret;
	}
	sdl_free(c->summary);
	c->summary = sdl_buf_detach(&msg, NULL);
	if (!c->summary)
		return SDL_ENOMEM;
	/* A failure recorded by violations is not undone by a later summary. */
	if (state != GATE_CHECK_PASS || c->nviol == 0)
		c->state = state;
	return 0;
}

int gate_warn(struct gate_eval *ev, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return gate_strv_push_unique(&ev->warnings, msg);
}

int gate_repo_path(struct sdl_buf *out, const struct gate_eval *ev, const char *rel)
{
	int ret;
	/* Absolute paths come only from command-line flags (the project file refuses them). */
	if (rel[0] == '/') {
		sdl_buf_clear(out);
		return sdl_buf_puts(out, rel);
	}
	ret = sdl_path_join(out, ev->repo, rel);
	if (ret == SDL_EINVAL)
		return sdl_error_set(SDL_EINVAL, "%s: path must stay inside the repository %s", rel,
				     ev->repo);
	return ret;
}

int gate_input_add(struct gate_eval *ev, const char *rel, const char **name_out)
{
	struct sdl_buf abs = SDL_BUF_INIT;
	struct gate_input *in;
	size_t rn = strlen(ev->repo);
	int ret;

	/* an absolute path inside the repository is stored under its relative name */
	if (rel[0] == '/' && strncmp(rel, ev->repo, rn) == 0 && rel[rn] == '/')
		rel += rn + 1;
	for (size_t i = 0; i < ev->ninputs; i++) {
		if (strcmp(ev->inputs[i].name, rel) == 0 ||
		    (rel[0] == '/' && strcmp(ev->inputs[i].path, rel) == 0)) {
			if (name_out)
				*name_out = ev->inputs[i].name;
			return 0;
		}
	}
	if (ev->ninputs == ev->capinputs) {
		size_t cap = ev->capinputs ? ev->capinputs * 2 : 16;
		struct gate_input *v = sdl_reallocarray(ev->inputs, cap, sizeof(*v));
		if (!v)
			return SDL_ENOMEM;
		ev->inputs = v;
		ev->capinputs = cap;
	}
	if ((ret = gate_repo_path(&abs, ev, rel)) < 0)
		goto done;
	in = &ev->inputs[ev->ninputs];
	memset(in, 0, sizeof(*in));
	if ((ret = sdl_hash_file(in->sha256, SDL_SHA256, abs.ptr)) < 0)
		goto done;
	in->path = sdl_strdup(abs.ptr);
	if (rel[0] == '/') {
		struct sdl_buf nm = SDL_BUF_INIT;
		if (sdl_buf_printf(&nm, "external%s", rel) < 0) {
			sdl_buf_release(&nm);
			sdl_free(in->path);
			ret = SDL_ENOMEM;
			goto done;
		}
		in->name = sdl_buf_detach(&nm, NULL);
		sdl_buf_release(&nm);
	} else {
		in->name = sdl_strdup(rel);
	}
	if (!in->path || !in->name) {
		sdl_free(in->path);
		sdl_free(in->name);
		ret = SDL_ENOMEM;
		goto done;
	}
	ev->ninputs++;
	if (name_out)
		*name_out = in->name;
	ret = 0;
done:
	sdl_buf_release(&abs);
	return ret;
}

int gate_repo_confined(const struct gate_eval *ev, const char *rel, const char *abs)
{
	struct sdl_buf real = SDL_BUF_INIT;
	int ret;
	if (rel[0] == '/')
		return 0; /* named on the command line: the user's choice */
	ret = sdl_path_resolve_within(&real, ev->repo, abs);
	sdl_buf_release(&real);
	if (ret == SDL_EINVAL)
		return sdl_error_set(SDL_EINVAL, "%s: a symbolic link leads outside the repository",
				     rel);
	return ret;
}

int gate_evidence_locate(struct sdl_buf *abs, const struct gate_eval *ev, const char *rel,
			 const char *what)
{
	int ret = gate_repo_path(abs, ev, rel);
	if (ret < 0)
		return ret;
	if (sdl_fs_is_file(abs->ptr))
		return (ret = gate_repo_confined(ev, rel, abs->ptr)) < 0 ? ret : 1;
	if (gate_strv_has(&ev->project.defaulted, rel))
		return 0;
	return sdl_error_set(SDL_ENOTFOUND, "%s: %s named in the project file or on the command line does not exist",
			     rel, what);
}
