/*
 * sdl-gate: from check results and human records to one state per
 * requirement and the release decision (docs/gate.md, "Decision").
 *
 *   not_applicable  the policy says so, with a reason
 *   met             every check the policy lists passed (violations covered
 *                   by valid finding waivers count as passed) and, where the
 *                   policy asks for one, a valid attestation exists
 *   attested        the policy asks for no machine check, only a record, and
 *                   a valid one exists
 *   waived          not met, but a valid requirement waiver covers it
 *   not_met         anything else; every reason names a check and a file
 * Release only if no applicable requirement is not_met.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define REASON_MAX_VIOLATIONS 5

static int add_reason(struct gate_result *r, const char *check, int ok, const char *text,
		      const struct gate_strv *files, const char *file)
{
	struct gate_reason *rs;
	int ret = 0;
	if (r->nreasons == r->capreasons) {
		size_t cap = r->capreasons ? r->capreasons * 2 : 8;
		struct gate_reason *v = sdl_reallocarray(r->reasons, cap, sizeof(*v));
		if (!v)
			return SDL_ENOMEM;
		r->reasons = v;
		r->capreasons = cap;
	}
	rs = &r->reasons[r->nreasons];
	memset(rs, 0, sizeof(*rs));
	rs->check = sdl_strdup(check);
	rs->text = sdl_strdup(text);
	rs->ok = ok;
	if (!rs->check || !rs->text) {
		sdl_free(rs->check);
		sdl_free(rs->text);
		return SDL_ENOMEM;
	}
	r->nreasons++;
	for (size_t i = 0; files && ret == 0 && i < files->n; i++)
		ret = gate_strv_push_unique(&rs->files, files->v[i]);
	if (ret == 0 && file)
		ret = gate_strv_push_unique(&rs->files, file);
	return ret;
}

static void apply_finding_waivers(struct gate_eval *ev)
{
	for (size_t i = 0; i < ev->nchecks; i++) {
		struct gate_check *c = &ev->checks[i];
		if (!strcmp(c->id, "waivers.valid"))
			continue;
		for (size_t j = 0; j < c->nviol; j++) {
			struct gate_violation *v = &c->viol[j];
			for (size_t k = 0; v->key && !v->waiver && k < ev->nwaivers; k++) {
				struct gate_waiver *w = &ev->waivers[k];
				if (!w->valid || !w->finding || strcmp(w->finding, v->key) != 0)
					continue;
				v->waiver = sdl_strdup(w->id);
				if (v->waiver) {
					w->used = 1;
					c->nwaived++;
				}
			}
		}
		if (c->state == GATE_CHECK_FAIL && c->nviol && c->nwaived == c->nviol)
			c->state = GATE_CHECK_PASS;
	}
}

static int person_in(const struct gate_person *p, size_t n, const char *identity)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].identity && identity && !strcasecmp(p[i].identity, identity))
			return 1;
	return 0;
}

static int check_reason(struct gate_result *res, const struct gate_check *c, int *ok)
{
	struct sdl_buf t = SDL_BUF_INIT;
	size_t shown = 0;
	int ret;
	*ok = c->state == GATE_CHECK_PASS;
	sdl_buf_init(&t, 8192);
	ret = sdl_buf_printf(&t, "%s%s", c->state == GATE_CHECK_MISSING ? "evidence missing: " : "",
			     c->summary ? c->summary : "");
	for (size_t i = 0; ret == 0 && i < c->nviol; i++) {
		const struct gate_violation *v = &c->viol[i];
		if (v->waiver && *ok)
			continue;
		if (shown == REASON_MAX_VIOLATIONS) {
			ret = sdl_buf_printf(&t, "; and %zu more", c->nviol - i);
			break;
		}
		ret = sdl_buf_printf(&t, "; %s%s%s%s", v->message, v->waiver ? " (waived by " : "",
				     v->waiver ? v->waiver : "", v->waiver ? ")" : "");
		shown++;
	}
	if (ret < 0 && ret != SDL_ELIMIT) {
		sdl_buf_release(&t);
		return ret;
	}
	ret = add_reason(res, c->id, *ok, t.ptr, &c->files, NULL);
	sdl_buf_release(&t);
	return ret;
}

static int attestation(struct gate_eval *ev, struct gate_result *res, int *ok)
{
	const struct gate_attest_rule *rule = &res->pol->attest;
	const char *id = res->req->id;
	char msg[1024];
	int ret;
	*ok = 0;
	for (size_t i = 0; i < ev->nrecords; i++) {
		const struct gate_record *r = &ev->records[i];
		const char *why = NULL;
		if (!gate_strv_has(&r->requirements, id))
			continue;
		if (rule->activity && (!r->activity || strcmp(r->activity, rule->activity) != 0))
			continue;
		if (!r->valid)
			why = r->invalid_why;
		else if (rule->four_eyes &&
			 person_in(r->performers, r->nperformers, r->approver.identity))
			why = "is approved by one of the people who performed it (four-eyes rule)";
		else if (rule->max_age_days > 0 &&
			 ev->now - r->performed_at > (long long)rule->max_age_days * 86400)
			why = "is older than the policy's window for this requirement";
		if (!why && rule->independent) {
			for (size_t k = 0; k < r->nperformers; k++)
				for (size_t a = 0; r->performers[k].identity && a < ev->authors.n; a++)
					if (!strcasecmp(ev->authors.v[a], r->performers[k].identity))
						why = "was performed by an author of code in the release range (not independent)";
		}
		if (why) {
			snprintf(msg, sizeof(msg), "record %s %s", r->record_id ? r->record_id : r->file,
				 why);
			if ((ret = add_reason(res, "attestation", 0, msg, NULL, r->file)) < 0)
				return ret;
			continue;
		}
		snprintf(msg, sizeof(msg), "record %s (%s by %s, approved by %s)", r->record_id,
			 r->activity, r->performers[0].name, r->approver.name ? r->approver.name
									     : r->approver.identity);
		*ok = 1;
		return add_reason(res, "attestation", 1, msg, NULL, r->file);
	}
	snprintf(msg, sizeof(msg), "no valid record%s%s%s covers %s", rule->activity ? " of activity '" : "",
		 rule->activity ? rule->activity : "", rule->activity ? "'" : "", id);
	return add_reason(res, "attestation", 0, msg, NULL, ev->project.attestations);
}

static int rank(enum gate_status s)
{
	switch (s) {
	case GATE_NOT_MET: return 4;
	case GATE_WAIVED: return 3;
	case GATE_ATTESTED: return 2;
	case GATE_MET: return 1;
	case GATE_NA: return 0;
	}
	return 4;
}

static int crossmap(struct gate_eval *ev)
{
	size_t total = 0;
	for (size_t c = 0; c < ev->nextra; c++)
		total += ev->extra[c].nreqs;
	if (!total)
		return 0;
	ev->xmaps = sdl_calloc(total, sizeof(*ev->xmaps));
	if (!ev->xmaps)
		return SDL_ENOMEM;
	for (size_t c = 0; c < ev->nextra; c++) {
		const struct gate_catalog *cat = &ev->extra[c];
		for (size_t i = 0; i < cat->nreqs; i++) {
			const struct gate_req *item = &cat->reqs[i];
			struct gate_xmap *x = &ev->xmaps[ev->nxmaps];
			size_t plen = strlen(ev->catalog.id), mapped = 0;
			x->cat = cat;
			x->item = item;
			x->status = GATE_NA;
			for (size_t m = 0; m < item->maps_to.n; m++) {
				const char *t = item->maps_to.v[m];
				if (strncmp(t, ev->catalog.id, plen) != 0 || t[plen] != ':')
					continue;
				for (size_t r = 0; r < ev->nresults; r++) {
					if (strcmp(ev->results[r].req->id, t + plen + 1) != 0)
						continue;
					mapped++;
					if (rank(ev->results[r].status) > rank(x->status))
						x->status = ev->results[r].status;
				}
			}
			if (mapped)
				ev->nxmaps++;
		}
	}
	return 0;
}

int gate_decide(struct gate_eval *ev)
{
	int ret;

	apply_finding_waivers(ev);

	ev->results = sdl_calloc(ev->catalog.nreqs, sizeof(*ev->results));
	if (!ev->results)
		return SDL_ENOMEM;
	for (size_t i = 0; i < ev->catalog.nreqs; i++) {
		struct gate_result *res = &ev->results[ev->nresults++];
		const struct gate_req_policy *pol = &ev->policy.reqs[i];
		int all_ok = 1, ok;
		res->req = &ev->catalog.reqs[i];
		res->pol = pol;
		if (!pol->applicable) {
			res->status = GATE_NA;
			if ((ret = add_reason(res, "policy", 1, pol->reason, NULL, ev->policy.path)) < 0)
				return ret;
			ev->counts[res->status]++;
			continue;
		}
		for (size_t k = 0; k < pol->checks.n; k++) {
			const struct gate_check *c = gate_check_find(ev, pol->checks.v[k]);
			if (!c) {
				char msg[256];
				snprintf(msg, sizeof(msg), "check %s was not evaluated (no collector ran for it)",
					 pol->checks.v[k]);
				all_ok = 0;
				if ((ret = add_reason(res, pol->checks.v[k], 0, msg, NULL, NULL)) < 0)
					return ret;
				continue;
			}
			if ((ret = check_reason(res, c, &ok)) < 0)
				return ret;
			all_ok &= ok;
		}
		if (pol->attest.required) {
			if ((ret = attestation(ev, res, &ok)) < 0)
				return ret;
			all_ok &= ok;
		}
		if (!pol->checks.n && !pol->attest.required) {
			all_ok = 0;
			if ((ret = add_reason(res, "policy", 0,
					      "the policy names no evidence for this requirement", NULL,
					      ev->policy.path)) < 0)
				return ret;
		}
		if (all_ok) {
			res->status = pol->checks.n ? GATE_MET : GATE_ATTESTED;
		} else {
			res->status = GATE_NOT_MET;
			for (size_t w = 0; w < ev->nwaivers; w++) {
				struct gate_waiver *wv = &ev->waivers[w];
				char msg[1024];
				if (!wv->requirement || strcmp(wv->requirement, res->req->id) != 0)
					continue;
				if (!wv->valid) {
					snprintf(msg, sizeof(msg), "waiver %s does not count: it %s", wv->id,
						 wv->invalid_why);
					if ((ret = add_reason(res, "waiver", 0, msg, NULL,
							      ev->project.waivers)) < 0)
						return ret;
					continue;
				}
				char exp[32];
				gate_format_time(exp, sizeof(exp), wv->expires);
				snprintf(msg, sizeof(msg),
					 "waiver %s: %s (owner %s, approved by %s, expires %.10s)", wv->id,
					 wv->reason, wv->owner, wv->approver, exp);
				if ((ret = add_reason(res, "waiver", 1, msg, NULL, ev->project.waivers)) < 0)
					return ret;
				wv->used = 1;
				res->status = GATE_WAIVED;
				break;
			}
		}
		ev->counts[res->status]++;
	}
	for (size_t w = 0; w < ev->nwaivers; w++) {
		const struct gate_waiver *wv = &ev->waivers[w];
		if (wv->valid && !wv->used &&
		    (ret = gate_warn(ev, "waiver %s matches nothing (%s %s is not failing)", wv->id,
				     wv->requirement ? "requirement" : "finding",
				     wv->requirement ? wv->requirement : wv->finding)) < 0)
			return ret;
	}
	ev->release = ev->counts[GATE_NOT_MET] == 0;
	return crossmap(ev);
}
