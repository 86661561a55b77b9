/*
 * sdl-gate collector: an issue-tracker export (docs/gate/tracker.md).
 *
 * Three shapes are read, one JSON file:
 *   sdl-gate-tracker/1  { "schema": "sdl-gate-tracker/1", "issues": [ { "id", "title",
 *                         "state", "labels", "created", "closed", "severity",
 *                         "disposition", "security" } ] }
 *   GitHub              the array of GET /repos/{owner}/{repo}/issues (state "open"/
 *                       "closed", labels [{ "name" }], created_at, closed_at, body;
 *                       entries with "pull_request" are pull requests and skipped)
 *   GitLab              the array of GET /projects/:id/issues (iid, state "opened"/
 *                       "closed", labels ["name"], created_at, closed_at, description)
 * Severity and disposition come from the explicit field, else a front-matter
 * block opening the body ("---" lines around "severity: high"), else a label
 * "severity:high" / "severity::high" / "severity/high".
 *
 * Checks:
 *   tracker.security-issues  (SM-11, DM-4) every security issue is closed, or
 *                            open with a DM-4 disposition (fix-planned, deferred,
 *                            accepted) and a valid waiver naming "issue:<id>";
 *   tracker.triaged          (DM-2, DM-3) every security issue open or closed
 *                            since the previous release has a severity;
 *   tracker.review           (DM-4) a valid "issue-review" record performed since
 *                            the previous release ("review open issues each release");
 *   tracker.metrics          (SM-13, DM-6) time to fix of the security issues of the
 *                            release window; with "security_fix_max_days" each issue
 *                            over the limit is a violation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/json.h"
#include "lib/banned.h"

#define DAY 86400LL

struct issue {
	char key[96];      /* "issue:<id>", what a waiver names */
	char label[80];    /* "#12" or "SEC-1" for messages */
	const char *title;
	int open;
	int security;
	long long created, closed; /* -1: unknown */
	char severity[32];
	char disposition[32];
};

static void norm(char *out, size_t size, const char *s, size_t n)
{
	size_t k = 0;
	while (n && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '"' ||
		     s[n - 1] == '\''))
		n--;
	for (size_t i = 0; i < n && k + 1 < size; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c == ' ' || c == '_')
			c = '-';
		out[k++] = c;
	}
	out[k] = 0;
}

/* "severity:high", "severity::high", "severity/high", "severity=high" -> "high". */
static const char *label_value(const char *label, const char *name)
{
	size_t n = strlen(name);
	if (strncasecmp(label, name, n) != 0)
		return NULL;
	label += n;
	if (*label != ':' && *label != '/' && *label != '=')
		return NULL;
	while (*label == ':' || *label == '/' || *label == '=' || *label == ' ')
		label++;
	return *label ? label : NULL;
}

/* A front-matter block at the start of body: "---\nkey: value\n...\n---". */
static void front_matter(struct issue *is, const char *body)
{
	const char *p = body;
	if (!p)
		return;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	if (strncmp(p, "---", 3) != 0)
		return;
	p = strchr(p, '\n');
	while (p && *++p) {
		const char *eol = strchr(p, '\n'), *colon;
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (n >= 3 && strncmp(p, "---", 3) == 0)
			return;
		colon = memchr(p, ':', n);
		if (colon) {
			char key[32];
			norm(key, sizeof(key), p, (size_t)(colon - p));
			if (!strcmp(key, "severity") && !is->severity[0])
				norm(is->severity, sizeof(is->severity), colon + 1,
				     n - (size_t)(colon + 1 - p));
			else if (!strcmp(key, "disposition") && !is->disposition[0])
				norm(is->disposition, sizeof(is->disposition), colon + 1,
				     n - (size_t)(colon + 1 - p));
			else if (!strcmp(key, "security")) {
				char v[16];
				norm(v, sizeof(v), colon + 1, n - (size_t)(colon + 1 - p));
				if (!strcmp(v, "true") || !strcmp(v, "yes"))
					is->security = 1;
			}
		}
		p = eol;
	}
}

static long long when(const cJSON *o, const char *a, const char *b)
{
	const char *s = sdl_json_str(o, a);
	long long t;
	if (!s && b)
		s = sdl_json_str(o, b);
	if (!s || gate_parse_time(&t, s) < 0)
		return -1;
	return t;
}

/* Normalise one entry; 0 = use it, 1 = skip it (a pull request), SDL_EINVAL = malformed. */
static int read_issue(struct issue *is, const cJSON *o, const char *seclabel, const char *file,
		      size_t index)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	const cJSON *num = cJSON_GetObjectItemCaseSensitive(o, "number");
	const cJSON *iid = cJSON_GetObjectItemCaseSensitive(o, "iid");
	const cJSON *labels, *l;
	const char *state, *s;

	memset(is, 0, sizeof(*is));
	if (!cJSON_IsObject(o))
		return sdl_error_set(SDL_EINVAL, "%s: issue %zu is not an object", file, index + 1);
	if (cJSON_GetObjectItemCaseSensitive(o, "pull_request"))
		return 1;
	if (cJSON_IsNumber(num))
		snprintf(is->label, sizeof(is->label), "#%.0f", num->valuedouble);
	else if (cJSON_IsNumber(iid))
		snprintf(is->label, sizeof(is->label), "#%.0f", iid->valuedouble);
	else if (cJSON_IsString(id) && *id->valuestring)
		snprintf(is->label, sizeof(is->label), "%.70s", id->valuestring);
	else if (cJSON_IsNumber(id))
		snprintf(is->label, sizeof(is->label), "#%.0f", id->valuedouble);
	else
		return sdl_error_set(SDL_EINVAL, "%s: issue %zu has no id (\"id\", \"number\" or \"iid\")",
				     file, index + 1);
	snprintf(is->key, sizeof(is->key), "issue:%s",
		 is->label[0] == '#' ? is->label + 1 : is->label);
	is->title = sdl_json_str(o, "title") ? sdl_json_str(o, "title") : "";
	state = sdl_json_str(o, "state");
	if (!state)
		return sdl_error_set(SDL_EINVAL, "%s: issue %s has no \"state\"", file, is->label);
	is->open = strcasecmp(state, "closed") != 0;
	is->created = when(o, "created", "created_at");
	is->closed = when(o, "closed", "closed_at");
	if ((s = sdl_json_str(o, "severity")))
		norm(is->severity, sizeof(is->severity), s, strlen(s));
	if ((s = sdl_json_str(o, "disposition")))
		norm(is->disposition, sizeof(is->disposition), s, strlen(s));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "security")))
		is->security = 1;
	front_matter(is, sdl_json_str(o, "body") ? sdl_json_str(o, "body")
						 : sdl_json_str(o, "description"));
	labels = cJSON_GetObjectItemCaseSensitive(o, "labels");
	if (!cJSON_IsArray(labels))
		labels = NULL;
	cJSON_ArrayForEach(l, labels) {
		const char *name = cJSON_IsString(l) ? l->valuestring : sdl_json_str(l, "name");
		const char *v;
		if (!name)
			continue;
		if (!strcasecmp(name, seclabel) || label_value(name, seclabel))
			is->security = 1;
		if ((v = label_value(name, "severity")) && !is->severity[0])
			norm(is->severity, sizeof(is->severity), v, strlen(v));
		if ((v = label_value(name, "disposition")) && !is->disposition[0])
			norm(is->disposition, sizeof(is->disposition), v, strlen(v));
	}
	return 0;
}

static int dm4_disposition(const char *d)
{
	return !strcmp(d, "fix-planned") || !strcmp(d, "deferred") || !strcmp(d, "accepted");
}

static long long previous_release_time(const struct gate_eval *ev)
{
	git_commit *c = NULL;
	long long t = -1;
	if (ev->git && ev->previous_commit[0] &&
	    sdl_git_resolve_commit(&c, ev->git, ev->previous_commit) == 0) {
		t = (long long)git_commit_time(c);
		git_commit_free(c);
	}
	return t;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int review_check(struct gate_eval *ev, long long since)
{
	struct gate_check *c = gate_check_get(ev, "tracker.review");
	const struct gate_record *best = NULL;
	char d[32];
	int ret;
	if (!c)
		return SDL_ENOMEM;
	for (size_t i = 0; i < ev->nrecords; i++) {
		const struct gate_record *r = &ev->records[i];
		if (!r->valid || !r->activity || strcmp(r->activity, "issue-review") != 0)
			continue;
		if ((ret = gate_check_file(c, r->file)) < 0)
			return ret;
		if (r->performed_at >= (since < 0 ? 0 : since) &&
		    (!best || r->performed_at > best->performed_at))
			best = r;
	}
	if (best) {
		gate_format_time(d, sizeof(d), best->performed_at);
		return gate_check_set(c, GATE_CHECK_PASS, "security issues reviewed on %s (%s)", d,
				      best->record_id ? best->record_id : best->file);
	}
	if (since < 0)
		return gate_check_violation(c, NULL, NULL, 0,
					    "no valid \"issue-review\" record: open security issues must be reviewed each release (DM-4)");
	gate_format_time(d, sizeof(d), since);
	return gate_check_violation(c, NULL, NULL, 0,
				    "no valid \"issue-review\" record performed since the previous release (%s, %s): open security issues must be reviewed each release (DM-4)",
				    ev->previous_ref ? ev->previous_ref : "?", d);
}

int gate_collect_tracker(struct gate_eval *ev)
{
	struct gate_check *sec = gate_check_get(ev, "tracker.security-issues");
	struct gate_check *tri = gate_check_get(ev, "tracker.triaged");
	struct gate_check *met = gate_check_get(ev, "tracker.metrics");
	struct sdl_buf abs = SDL_BUF_INIT, raw = SDL_BUF_INIT;
	const char *rel = ev->project.tracker, *name = NULL;
	const char *label = ev->policy.settings.security_label ? ev->policy.settings.security_label
							       : "security";
	const cJSON *list, *o;
	cJSON *doc = NULL;
	long long since = previous_release_time(ev), *ttf = NULL;
	size_t nsec = 0, nopen = 0, ndisp = 0, nttf = 0, idx = 0, nover = 0, nlist, nwindow = 0;
	long maxd = ev->policy.settings.fix_max_days;
	int ret;

	if (!sec || !tri || !met)
		return SDL_ENOMEM;
	if ((ret = review_check(ev, since)) < 0)
		return ret;
	if (!rel) {
		ret = 0;
		goto missing;
	}
	ret = gate_evidence_locate(&abs, ev, rel, "tracker export");
	if (ret < 0)
		goto done;
	if (ret == 0)
		goto missing;
	if ((ret = gate_input_add(ev, rel, &name)) < 0 ||
	    (ret = gate_json_load(&doc, &raw, abs.ptr, GATE_MAX_EVIDENCE_BYTES)) < 0)
		goto done;
	if (cJSON_IsArray(doc)) {
		list = doc;
	} else {
		const char *schema = sdl_json_str(doc, "schema");
		list = cJSON_GetObjectItemCaseSensitive(doc, "issues");
		if (!schema || strcmp(schema, "sdl-gate-tracker/1") != 0 || !cJSON_IsArray(list)) {
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: not a tracker export (a GitHub/GitLab issues array, or \"schema\": \"sdl-gate-tracker/1\" with \"issues\")",
					    rel);
			goto done;
		}
	}
	nlist = (size_t)cJSON_GetArraySize(list);
	if (nlist > GATE_MAX_ISSUES) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: more than %d issues", rel, GATE_MAX_ISSUES);
		goto done;
	}
	if (nlist && !(ttf = sdl_calloc(nlist, sizeof(*ttf)))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	if ((ret = gate_check_file(sec, name)) < 0 || (ret = gate_check_file(tri, name)) < 0 ||
	    (ret = gate_check_file(met, name)) < 0)
		goto done;
	cJSON_ArrayForEach(o, list) {
		struct issue is;
		int in_window;
		if ((ret = read_issue(&is, o, label, rel, idx++)) < 0)
			goto done;
		if (ret == 1 || !is.security) {
			ret = 0;
			continue;
		}
		nsec++;
		in_window = is.open || since < 0 || (is.closed >= 0 && is.closed >= since);
		nwindow += (size_t)in_window;
		if (is.open) {
			nopen++;
			if (!is.disposition[0])
				ret = gate_check_violation(sec, NULL, name, 0,
							   "open security issue %s \"%s\" has no DM-4 disposition (fix-planned, deferred or accepted)",
							   is.label, is.title);
			else if (!dm4_disposition(is.disposition))
				ret = gate_check_violation(sec, NULL, name, 0,
							   "open security issue %s \"%s\" has disposition '%s', not one of fix-planned, deferred, accepted",
							   is.label, is.title, is.disposition);
			else {
				ndisp++;
				ret = gate_check_violation(sec, is.key, name, 0,
							   "open security issue %s \"%s\" (%s) is released only under a valid waiver naming \"%s\"",
							   is.label, is.title, is.disposition, is.key);
			}
			if (ret < 0)
				goto done;
		}
		if (in_window && !is.severity[0] &&
		    (ret = gate_check_violation(tri, NULL, name, 0,
						"security issue %s \"%s\" has no severity (field, front matter or severity: label)",
						is.label, is.title)) < 0)
			goto done;
		if (in_window && is.created >= 0) {
			long long end = is.open ? ev->now : is.closed;
			long long days = end >= is.created ? (end - is.created) / DAY : 0;
			if (!is.open)
				ttf[nttf++] = days;
			if (maxd > 0 && days > maxd) {
				char k[sizeof(is.key) + 8];
				nover++;
				snprintf(k, sizeof(k), "ttf:%.90s", is.key + 6);
				if ((ret = gate_check_violation(met, k, name, 0,
								"security issue %s \"%s\" %s %lld days, over the policy's %ld",
								is.label, is.title,
								is.open ? "has been open" : "took",
								days, maxd)) < 0)
					goto done;
			}
		}
	}
	if ((ret = gate_check_set(sec, GATE_CHECK_PASS,
				  "%zu security issue(s) in %s: %zu closed, %zu open (%zu with a DM-4 disposition)",
				  nsec, name, nsec - nopen, nopen, ndisp)) < 0 ||
	    (ret = gate_check_set(tri, GATE_CHECK_PASS,
				  "%zu security issue(s) open or closed since the previous release, %zu without a severity",
				  nwindow, tri->nviol)) < 0)
		goto done;
	qsort(ttf, nttf, sizeof(*ttf), cmp_ll);
	if (nttf)
		ret = gate_check_set(met, GATE_CHECK_PASS,
				     "time to fix, %zu security issue(s) closed since the previous release: median %lld, max %lld day(s); %zu open; %zu over the limit%s",
				     nttf, nttf % 2 ? ttf[nttf / 2] : (ttf[nttf / 2 - 1] + ttf[nttf / 2]) / 2,
				     ttf[nttf - 1], nopen, nover, maxd > 0 ? "" : " (no limit set)");
	else
		ret = gate_check_set(met, GATE_CHECK_PASS,
				     "no security issue closed since the previous release; %zu open; %zu over the limit%s",
				     nopen, nover, maxd > 0 ? "" : " (no limit set)");
	goto done;
missing:
	if ((ret = gate_check_set(sec, GATE_CHECK_MISSING, "evidence missing: %s",
				  rel ? rel : "no tracker export configured")) < 0 ||
	    (ret = gate_check_set(tri, GATE_CHECK_MISSING, "evidence missing: %s",
				  rel ? rel : "no tracker export configured")) < 0)
		goto done;
	ret = gate_check_set(met, GATE_CHECK_MISSING, "evidence missing: %s",
			     rel ? rel : "no tracker export configured");
done:
	sdl_free(ttf);
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	sdl_buf_release(&abs);
	return ret;
}
