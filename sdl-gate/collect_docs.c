/*
 * sdl-gate collector: documents (threat model, security requirements,
 * security context, SECURITY.md, hardening and other user guides).
 * One check per document the policy defines, "doc.<name>"
 * (docs/gate/doc.md):
 *   - the file exists (project "documents.<name>", else the default
 *     location), is text, and is committed at the release commit when a
 *     freshness window applies;
 *   - each required section appears as a Markdown heading (case-insensitive
 *     substring of the heading text);
 *   - "contact": it names an e-mail address or an https URL;
 *   - freshness: the review date is the "Last reviewed: YYYY-MM-DD" line if
 *     the file has one, else the date of the commit that last changed it.
 *     A claimed date later than that commit is refused (a claim cannot be
 *     newer than the content that makes it), and the review date must lie
 *     within max_age_days.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/banned.h"

static int default_path(struct sdl_buf *out, const char *name)
{
	sdl_buf_clear(out);
	if (!strcmp(name, "security_policy") || !strcmp(name, "security_md"))
		return sdl_buf_puts(out, "SECURITY.md");
	if (sdl_buf_puts(out, "docs/security/") < 0)
		return SDL_ENOMEM;
	for (const char *p = name; *p; p++)
		if (sdl_buf_putc(out, *p == '_' ? '-' : *p) < 0)
			return SDL_ENOMEM;
	return sdl_buf_puts(out, ".md");
}

/* A setext underline: three or more '=' or '-' and nothing else (CommonMark 4.3). */
static int underline(const char *line)
{
	char c = line[0];
	size_t n = 0;
	if (c != '=' && c != '-')
		return 0;
	for (; line[n] == c; n++)
		;
	while (line[n] == ' ' || line[n] == '\t' || line[n] == '\r')
		n++;
	return (line[n] == '\n' || line[n] == 0) && n >= 3;
}

/* Does some Markdown heading (ATX "#" or setext underlined) contain `section`? */
static int has_section(const char *text, const char *section)
{
	const char *line = text;
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		if (line[0] == '#' || (eol && n > 0 && underline(eol + 1))) {
			char buf[512];
			size_t k = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;
			memcpy(buf, line, k);
			buf[k] = 0;
			if (gate_strcasestr(buf, section))
				return 1;
		}
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

static int matches(const char *text, const char *pattern)
{
	int err, rc;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_CASELESS | PCRE2_MULTILINE, &err, &off, NULL);
	pcre2_match_data *md;
	if (!re)
		return -1;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!md) {
		pcre2_code_free(re);
		return -1;
	}
	rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc >= 0;
}

/* "Last reviewed: 2026-01-31" (or last_reviewed:) anywhere in the file. */
static int claimed_review(const char *text, char date[11])
{
	const char *p = text;
	while ((p = gate_strcasestr(p, "last")) != NULL) {
		const char *q = p + 4;
		if (*q == ' ' || *q == '_' || *q == '-')
			q++;
		else {
			p++;
			continue;
		}
		if (strncasecmp(q, "reviewed", 8) != 0) {
			p++;
			continue;
		}
		q += 8;
		while (*q == ' ' || *q == ':' || *q == '*' || *q == '"')
			q++;
		if (isdigit((unsigned char)q[0]) && q[4] == '-' && q[7] == '-') {
			memcpy(date, q, 10);
			date[10] = 0;
			return 1;
		}
		p++;
	}
	return 0;
}

static int check_doc(struct gate_eval *ev, const struct gate_doc_rule *rule)
{
	struct sdl_buf cid = SDL_BUF_INIT, rel = SDL_BUF_INIT, abs = SDL_BUF_INIT,
		       text = SDL_BUF_INIT;
	struct gate_check *chk;
	const char *loc, *name;
	char claim[11], cdate[24], gdate[24];
	long long git_time = -1, claimed = -1, reviewed;
	int ret;

	if ((ret = sdl_buf_printf(&cid, "doc.%s", rule->name)) < 0)
		goto done;
	if (!(chk = gate_check_get(ev, cid.ptr))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	loc = gate_project_doc(&ev->project, rule->name);
	if (loc)
		ret = sdl_buf_puts(&rel, loc);
	else
		ret = default_path(&rel, rule->name);
	if (ret < 0 || (ret = gate_repo_path(&abs, ev, rel.ptr)) < 0)
		goto done;
	if (!sdl_fs_is_file(abs.ptr)) {
		ret = gate_check_set(chk, GATE_CHECK_MISSING, "%s: no file at %s", rule->title, rel.ptr);
		goto done;
	}
	if ((ret = gate_repo_confined(ev, rel.ptr, abs.ptr)) < 0 ||
	    (ret = sdl_fs_read_file(&text, abs.ptr, GATE_MAX_DOC_BYTES)) < 0)
		goto done;
	if (memchr(text.ptr, 0, text.len)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: binary file where a document was expected",
				    rel.ptr);
		goto done;
	}
	if ((ret = gate_input_add(ev, rel.ptr, &name)) < 0 || (ret = gate_check_file(chk, name)) < 0)
		goto done;
	for (size_t i = 0; i < rule->sections.n; i++)
		if (!has_section(text.ptr, rule->sections.v[i]) &&
		    (ret = gate_check_violation(chk, NULL, rel.ptr, 0,
						"%s has no section \"%s\"", rel.ptr,
						rule->sections.v[i])) < 0)
			goto done;
	if (rule->contact &&
	    matches(text.ptr, "[A-Z0-9._%+-]+@[A-Z0-9.-]+\\.[A-Z]{2,}|https://[^\\s)>]+") != 1 &&
	    (ret = gate_check_violation(chk, NULL, rel.ptr, 0,
					"%s names no reporting contact (e-mail address or https URL)",
					rel.ptr)) < 0)
		goto done;
	if (rule->max_age_days > 0) {
		if (gate_git_last_change(ev, rel.ptr, &git_time) < 0) {
			sdl_error_clear();
			git_time = -1;
		}
		if (claimed_review(text.ptr, claim) && gate_parse_time(&claimed, claim) < 0) {
			sdl_error_clear();
			ret = gate_check_violation(chk, NULL, rel.ptr, 0,
						   "%s: 'Last reviewed' date '%s' is not a date", rel.ptr,
						   claim);
			goto done_checks;
		}
		if (git_time < 0) {
			ret = gate_check_violation(chk, NULL, rel.ptr, 0,
						   "%s is not committed at the release commit: its review date cannot be established from history",
						   rel.ptr);
			goto done_checks;
		}
		gate_format_time(gdate, sizeof(gdate), git_time);
		if (claimed >= 0 && claimed > git_time + 86400) {
			ret = gate_check_violation(chk, NULL, rel.ptr, 0,
						   "%s claims a review on %s, after the commit that wrote it (%.10s)",
						   rel.ptr, claim, gdate);
			goto done_checks;
		}
		reviewed = claimed >= 0 ? claimed : git_time;
		gate_format_time(cdate, sizeof(cdate), reviewed);
		if (ev->now - reviewed > (long long)rule->max_age_days * 86400)
			ret = gate_check_violation(chk, NULL, rel.ptr, 0,
						   "%s was last reviewed on %.10s (%s), %lld day(s) ago, more than %ld",
						   rel.ptr, cdate, claimed >= 0 ? "as it claims" : "last change in git",
						   (ev->now - reviewed) / 86400, rule->max_age_days);
		else
			ret = gate_check_set(chk, GATE_CHECK_PASS, "%s present, reviewed %.10s",
					     rel.ptr, cdate);
		goto done_checks;
	}
	ret = gate_check_set(chk, GATE_CHECK_PASS, "%s present", rel.ptr);
done_checks:
	if (ret == 0 && chk->nviol && !chk->summary)
		ret = gate_check_set(chk, GATE_CHECK_FAIL, "%s: %zu problem(s)", rel.ptr, chk->nviol);
	else if (ret == 0 && !chk->summary)
		ret = gate_check_set(chk, GATE_CHECK_PASS, "%s present", rel.ptr);
done:
	sdl_buf_release(&cid);
	sdl_buf_release(&rel);
	sdl_buf_release(&abs);
	sdl_buf_release(&text);
	return ret;
}

int gate_collect_docs(struct gate_eval *ev)
{
	for (size_t i = 0; i < ev->policy.ndocs; i++) {
		int ret = check_doc(ev, &ev->policy.docs[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}
