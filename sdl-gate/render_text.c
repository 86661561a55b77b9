/*
 * sdl-gate: the Markdown summary (for CI logs and job summaries) and the
 * JUnit XML (one test case per requirement, ECOSYSTEM.md section 4).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/error.h"
#include "lib/banned.h"

int gate_xml_escape(struct sdl_buf *out, const char *s)
{
	int ret = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && ret == 0; p++) {
		switch (*p) {
		case '&': ret = sdl_buf_puts(out, "&amp;"); break;
		case '<': ret = sdl_buf_puts(out, "&lt;"); break;
		case '>': ret = sdl_buf_puts(out, "&gt;"); break;
		case '"': ret = sdl_buf_puts(out, "&quot;"); break;
		case '\'': ret = sdl_buf_puts(out, "&#39;"); break;
		default:
			/* XML 1.0 forbids most control characters even as references */
			if (*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
				ret = sdl_buf_putc(out, '?');
			else
				ret = sdl_buf_putc(out, (char)*p);
		}
	}
	return ret;
}

/* Markdown table cell: no newlines, pipes escaped, bounded. */
static int md_cell(struct sdl_buf *out, const char *s, size_t max)
{
	int ret = 0;
	size_t n = 0;
	for (const char *p = s ? s : ""; *p && ret == 0; p++, n++) {
		if (n == max) {
			ret = sdl_buf_puts(out, "…");
			break;
		}
		if (*p == '|')
			ret = sdl_buf_puts(out, "\\|");
		else if (*p == '\n' || *p == '\r')
			ret = sdl_buf_putc(out, ' ');
		else if ((unsigned char)*p < 0x20 || *p == 0x7f ||
			 ((unsigned char)*p == 0xc2 && (unsigned char)p[1] >= 0x80 &&
			  (unsigned char)p[1] <= 0x9f))
		{
			/* terminal escapes would hide text when the report is shown raw (CWE-150) */
			if ((unsigned char)*p == 0xc2)
				p++;
			ret = sdl_buf_putc(out, '?');
		}
		else if (*p == '<')
			ret = sdl_buf_puts(out, "&lt;");
		else
			ret = sdl_buf_putc(out, *p);
	}
	return ret;
}

static const char *badge(enum gate_status s)
{
	switch (s) {
	case GATE_MET: return "met";
	case GATE_NOT_MET: return "**NOT MET**";
	case GATE_WAIVED: return "waived";
	case GATE_ATTESTED: return "attested";
	case GATE_NA: return "n/a";
	}
	return "?";
}

int gate_render_md(struct sdl_buf *out, const struct gate_eval *ev)
{
	char when[32];
	int ret;
	gate_format_time(when, sizeof(when), ev->now);
	/* names from the catalogue, the policy and git are input too: md_cell() */
	ret = sdl_buf_printf(out, "# sdl-gate: %s\n\nRelease commit `%s`",
			     ev->release ? "release allowed" : "RELEASE REFUSED",
			     ev->release_commit[0] ? ev->release_commit : "(no git)");
	if (ret == 0 && ev->previous_ref) {
		ret = sdl_buf_puts(out, " since `");
		if (ret == 0)
			ret = md_cell(out, ev->previous_ref, SIZE_MAX);
		if (ret == 0)
			ret = sdl_buf_putc(out, '`');
	}
	if (ret == 0)
		ret = sdl_buf_printf(out, ", %zu commit(s) in range. Evaluated %s against ",
				     ev->ncommits, when);
	if (ret == 0)
		ret = md_cell(out, ev->catalog.id, SIZE_MAX);
	if (ret == 0)
		ret = sdl_buf_puts(out, " with policy \"");
	if (ret == 0)
		ret = md_cell(out, ev->policy.name, SIZE_MAX);
	if (ret == 0)
		ret = sdl_buf_printf(out,
				     "\".\n\n"
				     "| met | attested | waived | not applicable | not met |\n"
				     "|---:|---:|---:|---:|---:|\n| %zu | %zu | %zu | %zu | %zu |\n\n",
				     ev->counts[GATE_MET], ev->counts[GATE_ATTESTED],
				     ev->counts[GATE_WAIVED], ev->counts[GATE_NA],
				     ev->counts[GATE_NOT_MET]);
	if (ret == 0)
		ret = sdl_buf_puts(out, "| requirement | status | reasons |\n|---|---|---|\n");
	for (size_t i = 0; ret == 0 && i < ev->nresults; i++) {
		const struct gate_result *r = &ev->results[i];
		ret = sdl_buf_puts(out, "| ");
		if (ret == 0)
			ret = md_cell(out, r->req->id, SIZE_MAX);
		if (ret == 0)
			ret = sdl_buf_putc(out, ' ');
		if (ret == 0)
			ret = md_cell(out, r->req->title, 80);
		if (ret == 0)
			ret = sdl_buf_printf(out, " | %s | ", badge(r->status));
		for (size_t j = 0; ret == 0 && j < r->nreasons; j++) {
			const struct gate_reason *re = &r->reasons[j];
			if (r->status != GATE_NOT_MET || !re->ok) {
				ret = sdl_buf_printf(out, "%s`%s` %s ", j ? "<br>" : "", re->check,
						     re->ok ? "ok:" : "FAIL:");
				if (ret == 0)
					ret = md_cell(out, re->text, 300);
			}
		}
		if (ret == 0)
			ret = sdl_buf_puts(out, " |\n");
	}
	if (ret == 0 && ev->nxmaps) {
		ret = sdl_buf_puts(out, "\n## Cross-mapped catalogues\n\n| catalogue | item | status |\n|---|---|---|\n");
		for (size_t i = 0; ret == 0 && i < ev->nxmaps; i++) {
			ret = sdl_buf_puts(out, "| ");
			if (ret == 0)
				ret = md_cell(out, ev->xmaps[i].cat->id, SIZE_MAX);
			if (ret == 0)
				ret = sdl_buf_puts(out, " | ");
			if (ret == 0)
				ret = md_cell(out, ev->xmaps[i].item->id, SIZE_MAX);
			if (ret == 0)
				ret = sdl_buf_putc(out, ' ');
			if (ret == 0)
				ret = md_cell(out, ev->xmaps[i].item->title, 80);
			if (ret == 0)
				ret = sdl_buf_printf(out, " | %s |\n", badge(ev->xmaps[i].status));
		}
	}
	if (ret == 0 && ev->warnings.n) {
		ret = sdl_buf_puts(out, "\n## Warnings\n\n");
		for (size_t i = 0; ret == 0 && i < ev->warnings.n; i++) {
			ret = sdl_buf_puts(out, "- ");
			if (ret == 0)
				ret = md_cell(out, ev->warnings.v[i], 500);
			if (ret == 0)
				ret = sdl_buf_putc(out, '\n');
		}
	}
	return ret;
}

int gate_render_junit(struct sdl_buf *out, const struct gate_eval *ev)
{
	char when[32];
	int ret;
	gate_format_time(when, sizeof(when), ev->now);
	ret = sdl_buf_printf(out,
			     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<testsuites name=\"sdl-gate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
			     ev->nresults, ev->counts[GATE_NOT_MET], ev->counts[GATE_NA]);
	for (size_t p = 0; ret == 0 && p < ev->catalog.npractices; p++) {
		const char *pid = ev->catalog.practices[p].id;
		size_t n = 0, nf = 0, ns = 0;
		for (size_t i = 0; i < ev->nresults; i++) {
			if (strcmp(ev->results[i].req->practice, pid) != 0)
				continue;
			n++;
			nf += ev->results[i].status == GATE_NOT_MET;
			ns += ev->results[i].status == GATE_NA;
		}
		ret = sdl_buf_printf(out,
				     "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" timestamp=\"%.19s\">\n",
				     pid, n, nf, ns, when);
		for (size_t i = 0; ret == 0 && i < ev->nresults; i++) {
			const struct gate_result *r = &ev->results[i];
			if (strcmp(r->req->practice, pid) != 0)
				continue;
			ret = sdl_buf_printf(out, "    <testcase classname=\"%s.%s\" name=\"%s ",
					     ev->catalog.id, pid, r->req->id);
			if (ret == 0)
				ret = gate_xml_escape(out, r->req->title);
			if (ret == 0)
				ret = sdl_buf_puts(out, "\" time=\"0\"");
			if (ret == 0 && r->status == GATE_NOT_MET) {
				ret = sdl_buf_puts(out, ">\n      <failure type=\"gate\" message=\"not met\">");
				for (size_t j = 0; ret == 0 && j < r->nreasons; j++) {
					if (r->reasons[j].ok)
						continue;
					ret = sdl_buf_printf(out, "[%s] ", r->reasons[j].check);
					if (ret == 0)
						ret = gate_xml_escape(out, r->reasons[j].text);
					if (ret == 0)
						ret = sdl_buf_putc(out, '\n');
				}
				if (ret == 0)
					ret = sdl_buf_puts(out, "</failure>\n    </testcase>\n");
			} else if (ret == 0 && r->status == GATE_NA) {
				ret = sdl_buf_puts(out, ">\n      <skipped message=\"not applicable: ");
				if (ret == 0)
					ret = gate_xml_escape(out, r->nreasons ? r->reasons[0].text : "");
				if (ret == 0)
					ret = sdl_buf_puts(out, "\"/>\n    </testcase>\n");
			} else if (ret == 0) {
				ret = sdl_buf_printf(out, ">\n      <system-out>%s: ",
						     gate_status_name(r->status));
				for (size_t j = 0; ret == 0 && j < r->nreasons; j++) {
					ret = sdl_buf_printf(out, "[%s] ", r->reasons[j].check);
					if (ret == 0)
						ret = gate_xml_escape(out, r->reasons[j].text);
					if (ret == 0)
						ret = sdl_buf_putc(out, '\n');
				}
				if (ret == 0)
					ret = sdl_buf_puts(out, "</system-out>\n    </testcase>\n");
			}
		}
		if (ret == 0)
			ret = sdl_buf_puts(out, "  </testsuite>\n");
	}
	if (ret == 0)
		ret = sdl_buf_puts(out, "</testsuites>\n");
	return ret;
}
