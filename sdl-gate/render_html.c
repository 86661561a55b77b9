/*
 * sdl-gate: the self-contained HTML traceability matrix
 * (requirement -> checks -> evidence files -> status).
 *
 * Opens with a picture: an inline SVG with the eight practices and the state
 * of each requirement. Given the previous release's decision, a list of what
 * got better or worse. No scripts, no external resources (a
 * Content-Security-Policy of default-src 'none' says so to the browser), and
 * every piece of evidence text is escaped.
 */
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/banned.h"

#define E(s) gate_xml_escape(out, (s))

static const char *color(enum gate_status s)
{
	switch (s) {
	case GATE_MET: return "#2e7d32";
	case GATE_ATTESTED: return "#1565c0";
	case GATE_WAIVED: return "#f9a825";
	case GATE_NA: return "#9e9e9e";
	case GATE_NOT_MET: return "#c62828";
	}
	return "#000";
}

static int parse_status(const char *s)
{
	for (int i = GATE_MET; i <= GATE_NA; i++)
		if (s && !strcmp(s, gate_status_name((enum gate_status)i)))
			return i;
	return -1;
}

/* Goodness order for the comparison with the previous release. */
static int good(int s)
{
	return s == GATE_NOT_MET ? 0 : s == GATE_WAIVED ? 1 : 2;
}

static int picture(struct sdl_buf *out, const struct gate_eval *ev)
{
	size_t np = ev->catalog.npractices, maxn = 0;
	const int cw = 110, cell = 22, top = 40;
	int ret;
	for (size_t p = 0; p < np; p++) {
		size_t n = 0;
		for (size_t i = 0; i < ev->nresults; i++)
			n += !strcmp(ev->results[i].req->practice, ev->catalog.practices[p].id);
		if (n > maxn)
			maxn = n;
	}
	ret = sdl_buf_printf(out,
			     "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"state of each requirement by practice\" width=\"%zu\" height=\"%zu\" viewBox=\"0 0 %zu %zu\">\n",
			     np * cw + 10, maxn * (cell + 4) + top + 10, np * cw + 10,
			     maxn * (cell + 4) + top + 10);
	for (size_t p = 0; ret == 0 && p < np; p++) {
		const char *pid = ev->catalog.practices[p].id;
		size_t row = 0, nmet = 0, n = 0;
		for (size_t i = 0; i < ev->nresults; i++) {
			if (strcmp(ev->results[i].req->practice, pid) != 0)
				continue;
			n++;
			nmet += ev->results[i].status != GATE_NOT_MET;
		}
		ret = sdl_buf_printf(out, "<g><title>");
		if (ret == 0)
			ret = E(ev->catalog.practices[p].title);
		if (ret == 0)
			ret = sdl_buf_printf(out,
					     "</title><text x=\"%zu\" y=\"16\" font-size=\"14\" font-weight=\"bold\">",
					     p * cw + 10);
		if (ret == 0)
			ret = E(pid);
		if (ret == 0)
			ret = sdl_buf_printf(out,
					     "</text><text x=\"%zu\" y=\"32\" font-size=\"11\">%zu/%zu ok</text></g>\n",
					     p * cw + 10, nmet, n);
		for (size_t i = 0; ret == 0 && i < ev->nresults; i++) {
			const struct gate_result *r = &ev->results[i];
			if (strcmp(r->req->practice, pid) != 0)
				continue;
			ret = sdl_buf_printf(out, "<a href=\"#req-%s\"><g><title>%s ", r->req->id,
					     r->req->id);
			if (ret == 0)
				ret = E(r->req->title);
			if (ret == 0)
				ret = sdl_buf_printf(out,
						     ": %s</title><rect x=\"%zu\" y=\"%zu\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>"
						     "<text x=\"%zu\" y=\"%zu\" font-size=\"11\">",
						     gate_status_name(r->status), p * cw + 10,
						     top + row * (cell + 4), cell, cell, color(r->status),
						     p * cw + 10 + cell + 5, top + row * (cell + 4) + 15);
			if (ret == 0)
				ret = E(r->req->id);
			if (ret == 0)
				ret = sdl_buf_puts(out, "</text></g></a>\n");
			row++;
		}
	}
	if (ret == 0)
		ret = sdl_buf_puts(out, "</svg>\n");
	return ret;
}

static int delta(struct sdl_buf *out, const struct gate_eval *ev, const cJSON *prev)
{
	const cJSON *arr = sdl_json_arr(prev, "requirements"), *it;
	int ret = sdl_buf_puts(out, "<h2>Since the previous release</h2>\n<ul>\n");
	size_t changes = 0;
	for (size_t i = 0; ret == 0 && i < ev->nresults; i++) {
		const struct gate_result *r = &ev->results[i];
		int before = -1;
		cJSON_ArrayForEach(it, arr) {
			const char *id = sdl_json_str(it, "id");
			if (id && !strcmp(id, r->req->id))
				before = parse_status(sdl_json_str(it, "status"));
		}
		if (before < 0 || before == (int)r->status)
			continue;
		changes++;
		ret = sdl_buf_printf(out, "<li class=\"%s\">%s: %s &rarr; %s</li>\n",
				     good((int)r->status) > good(before) ? "better"
				     : good((int)r->status) < good(before) ? "worse" : "same",
				     r->req->id, gate_status_name((enum gate_status)before),
				     gate_status_name(r->status));
	}
	if (ret == 0 && !changes)
		ret = sdl_buf_puts(out, "<li>no requirement changed state</li>\n");
	if (ret == 0)
		ret = sdl_buf_puts(out, "</ul>\n");
	return ret;
}

static int matrix(struct sdl_buf *out, const struct gate_eval *ev)
{
	int ret = sdl_buf_puts(out,
			       "<h2>Traceability matrix</h2>\n<table>\n<thead><tr><th>requirement</th><th>status</th>"
			       "<th>check</th><th>result</th><th>evidence files</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; ret == 0 && i < ev->nresults; i++) {
		const struct gate_result *r = &ev->results[i];
		size_t span = r->nreasons ? r->nreasons : 1;
		ret = sdl_buf_printf(out,
				     "<tr id=\"req-%s\" class=\"req\"><td rowspan=\"%zu\"><b>", r->req->id,
				     span);
		if (ret == 0)
			ret = E(r->req->id);
		if (ret == 0)
			ret = sdl_buf_puts(out, "</b> ");
		if (ret == 0)
			ret = E(r->req->title);
		if (ret == 0)
			ret = sdl_buf_puts(out, "<br><small>");
		if (ret == 0)
			ret = E(r->req->summary);
		if (ret == 0)
			ret = sdl_buf_printf(out,
					     "</small></td><td rowspan=\"%zu\" class=\"st\" style=\"background:%s\">%s</td>",
					     span, color(r->status), gate_status_name(r->status));
		for (size_t j = 0; ret == 0 && j < span; j++) {
			const struct gate_reason *re = r->nreasons ? &r->reasons[j] : NULL;
			if (j)
				ret = sdl_buf_puts(out, "<tr>");
			if (ret == 0)
				ret = sdl_buf_puts(out, "<td><code>");
			if (ret == 0)
				ret = E(re ? re->check : "");
			if (ret == 0)
				ret = sdl_buf_printf(out, "</code></td><td class=\"%s\">",
						     re && re->ok ? "ok" : "bad");
			if (ret == 0)
				ret = E(re ? re->text : "");
			if (ret == 0)
				ret = sdl_buf_puts(out, "</td><td>");
			for (size_t k = 0; re && ret == 0 && k < re->files.n; k++) {
				const char *n = gate_input_name(ev, re->files.v[k]);
				if (!n)
					continue;
				ret = sdl_buf_puts(out, "<code>");
				if (ret == 0)
					ret = E(n);
				if (ret == 0)
					ret = sdl_buf_puts(out, "</code> ");
			}
			if (ret == 0)
				ret = sdl_buf_puts(out, "</td></tr>\n");
		}
	}
	if (ret == 0)
		ret = sdl_buf_puts(out, "</tbody></table>\n");
	return ret;
}

static int checks(struct sdl_buf *out, const struct gate_eval *ev)
{
	int ret = sdl_buf_puts(out, "<h2>Checks and findings</h2>\n");
	for (size_t i = 0; ret == 0 && i < ev->nchecks; i++) {
		const struct gate_check *c = &ev->checks[i];
		ret = sdl_buf_printf(out, "<details%s><summary><code>",
				     c->state == GATE_CHECK_PASS ? "" : " open");
		if (ret == 0)
			ret = E(c->id);
		if (ret == 0)
			ret = sdl_buf_printf(out, "</code> %s: ",
					     c->state == GATE_CHECK_PASS ? "pass"
					     : c->state == GATE_CHECK_FAIL ? "FAIL" : "MISSING");
		if (ret == 0)
			ret = E(c->summary);
		if (ret == 0)
			ret = sdl_buf_puts(out, "</summary>\n<ul>\n");
		for (size_t j = 0; ret == 0 && j < c->nviol && j < 1000; j++) {
			ret = sdl_buf_puts(out, "<li>");
			if (ret == 0)
				ret = E(c->viol[j].message);
			if (ret == 0 && c->viol[j].waiver) {
				ret = sdl_buf_puts(out, " <i>(waived by ");
				if (ret == 0)
					ret = E(c->viol[j].waiver);
				if (ret == 0)
					ret = sdl_buf_puts(out, ")</i>");
			}
			if (ret == 0)
				ret = sdl_buf_puts(out, "</li>\n");
		}
		if (ret == 0)
			ret = sdl_buf_puts(out, "</ul></details>\n");
	}
	return ret;
}

int gate_render_html(struct sdl_buf *out, const struct gate_eval *ev, const cJSON *previous)
{
	char when[32];
	int ret;
	gate_format_time(when, sizeof(when), ev->now);
	ret = sdl_buf_puts(out,
			   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
			   "<title>sdl-gate traceability matrix</title>\n<style>\n"
			   "body{font-family:sans-serif;margin:1.5em;color:#222}"
			   "table{border-collapse:collapse;width:100%;font-size:13px}"
			   "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}"
			   "td.st{color:#fff;font-weight:bold}td.bad{color:#b71c1c}"
			   "li.worse{color:#b71c1c}li.better{color:#1b5e20}"
			   ".verdict{font-size:1.4em;font-weight:bold;padding:.4em;color:#fff;display:inline-block}"
			   "code{font-size:12px}\n</style>\n</head>\n<body>\n");
	if (ret == 0)
		ret = sdl_buf_printf(out,
				     "<h1>sdl-gate: IEC 62443-4-1 evidence</h1>\n<p class=\"verdict\" style=\"background:%s\">%s</p>\n"
				     "<p>Release commit <code>%s</code>, previous release <code>",
				     ev->release ? "#2e7d32" : "#c62828",
				     ev->release ? "release allowed" : "release refused",
				     ev->release_commit[0] ? ev->release_commit : "(no git)");
	if (ret == 0)
		ret = E(ev->previous_ref ? ev->previous_ref : "(none)");
	if (ret == 0)
		ret = sdl_buf_printf(out, "</code>, %zu commit(s). Evaluated %s. Catalogue <code>",
				     ev->ncommits, when);
	if (ret == 0)
		ret = E(ev->catalog.id);
	if (ret == 0)
		ret = sdl_buf_puts(out, "</code>, policy ");
	if (ret == 0)
		ret = E(ev->policy.name);
	if (ret == 0)
		ret = sdl_buf_printf(out,
				     ".</p>\n<p>%zu met, %zu attested, %zu waived, %zu not applicable, <b>%zu not met</b>.</p>\n",
				     ev->counts[GATE_MET], ev->counts[GATE_ATTESTED], ev->counts[GATE_WAIVED],
				     ev->counts[GATE_NA], ev->counts[GATE_NOT_MET]);
	if (ret == 0)
		ret = picture(out, ev);
	if (ret == 0)
		ret = sdl_buf_printf(out,
				     "<p><span style=\"color:%s\">&#9632;</span> met <span style=\"color:%s\">&#9632;</span> attested "
				     "<span style=\"color:%s\">&#9632;</span> waived <span style=\"color:%s\">&#9632;</span> not applicable "
				     "<span style=\"color:%s\">&#9632;</span> not met</p>\n",
				     color(GATE_MET), color(GATE_ATTESTED), color(GATE_WAIVED),
				     color(GATE_NA), color(GATE_NOT_MET));
	if (ret == 0 && previous)
		ret = delta(out, ev, previous);
	if (ret == 0)
		ret = matrix(out, ev);
	if (ret == 0)
		ret = checks(out, ev);
	if (ret == 0 && ev->warnings.n) {
		ret = sdl_buf_puts(out, "<h2>Warnings</h2>\n<ul>\n");
		for (size_t i = 0; ret == 0 && i < ev->warnings.n; i++) {
			ret = sdl_buf_puts(out, "<li>");
			if (ret == 0)
				ret = E(ev->warnings.v[i]);
			if (ret == 0)
				ret = sdl_buf_puts(out, "</li>\n");
		}
		if (ret == 0)
			ret = sdl_buf_puts(out, "</ul>\n");
	}
	if (ret == 0)
		ret = sdl_buf_puts(out, "</body>\n</html>\n");
	return ret;
}
