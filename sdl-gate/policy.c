/*
 * sdl-gate: the policy (rules/policy/<name>.json, docs/gate.md "Policy").
 *
 * Per requirement: applicable or not (with a reason), the checks that must
 * pass, and whether a human record (attestation) is required and with which
 * identity rules. Global settings hold thresholds and freshness windows;
 * "documents" defines the document checks (doc.<name>).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/finding.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/banned.h"

#define POLICY_MAX_DAYS 36500

const struct gate_check_info gate_known_checks[] = {
	{ "sarif.present", "static analysis results (SARIF) are present and readable" },
	{ "sarif.threshold", "no unsuppressed finding at or above the policy level" },
	{ "sarif.suppressions", "every suppressed finding carries a justification" },
	{ "sarif.coverage", "every translation unit of the compile database was analysed" },
	{ "sbom.present", "a CycloneDX SBOM is present and readable" },
	{ "sbom.identity", "every component has version, licence, supplier, purl or CPE, hash" },
	{ "sbom.unknown-reviewed", "every component of unknown identity has a valid review record" },
	{ "sbom.vulnerabilities", "no vulnerability at or above the threshold without VEX analysis or waiver" },
	{ "sbom.vuln-data-age", "vulnerability data is younger than the policy limit" },
	{ "tests.present", "test results (JUnit XML) are present and readable" },
	{ "tests.passed", "every test passed" },
	{ "tests.requirements", "every security requirement id is covered by a passing test" },
	{ "tests.threats", "every threat-model mitigation id is covered by a passing test" },
	{ "fuzz.duration", "each fuzz harness ran at least the configured time" },
	{ "fuzz.crashes", "no fuzzing crash is left untriaged" },
	{ "git.reviewed", "every commit of the release range was reviewed by someone else" },
	{ "git.signed-commits", "every commit of the release range is signed by an allowed signer" },
	{ "git.signed-tag", "the release is marked by a tag signed by an allowed signer" },
	{ "records.valid", "every human record is complete, consistent, unexpired, with matching digests" },
	{ "waivers.valid", "every waiver is complete, approved by another person, unexpired and used" },
	{ "people.training", "every author and reviewer of the range has a current training record" },
	{ "people.roles", "everyone who authors, reviews, performs or approves holds a role in the roles file" },
	{ "tracker.security-issues", "every security issue is closed or dispositioned (DM-4) under a valid waiver" },
	{ "tracker.triaged", "every security issue open or closed since the previous release has a severity" },
	{ "tracker.review", "open security issues were reviewed (record) since the previous release" },
	{ "tracker.metrics", "time-to-fix of security issues within the policy limit (metrics reported)" },
	{ "scoping.complete", "the scoping file decides every requirement; each not-applicable has a reason" },
	{ NULL, NULL },
};

int gate_check_known(const char *id)
{
	for (size_t i = 0; gate_known_checks[i].id; i++)
		if (strcmp(gate_known_checks[i].id, id) == 0)
			return 1;
	return 0;
}

void gate_policy_release(struct gate_policy *p)
{
	for (size_t i = 0; i < p->ndocs; i++) {
		sdl_free(p->docs[i].name);
		sdl_free(p->docs[i].title);
		gate_strv_release(&p->docs[i].sections);
	}
	for (size_t i = 0; i < p->nreqs; i++) {
		sdl_free(p->reqs[i].id);
		sdl_free(p->reqs[i].reason);
		gate_strv_release(&p->reqs[i].checks);
		sdl_free(p->reqs[i].attest.activity);
	}
	sdl_free(p->docs);
	sdl_free(p->reqs);
	sdl_free(p->name);
	sdl_free(p->path);
	sdl_free(p->catalog_id);
	sdl_free(p->settings.test_req_pattern);
	sdl_free(p->settings.test_threat_pattern);
	sdl_free(p->settings.security_label);
	memset(p, 0, sizeof(*p));
}

const struct gate_doc_rule *gate_policy_doc(const struct gate_policy *p, const char *name)
{
	for (size_t i = 0; i < p->ndocs; i++)
		if (strcmp(p->docs[i].name, name) == 0)
			return &p->docs[i];
	return NULL;
}

struct ploader {
	const char *path;
	const struct sdl_buf *raw;
};

__attribute__((format(printf, 3, 4)))
static int perr(const struct ploader *L, const char *needle, const char *fmt, ...)
{
	char loc[512], msg[768];
	va_list ap;
	gate_locate(loc, sizeof(loc), L->path, L->raw->ptr, L->raw->len, needle);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sdl_error_set(SDL_EINVAL, "%s: %s", loc, msg);
}

static int get_days(long *out, const struct ploader *L, const cJSON *obj, const char *key,
		    long fallback)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char needle[80];
	if (!v) {
		*out = fallback;
		return 0;
	}
	snprintf(needle, sizeof(needle), "\"%s\"", key);
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > POLICY_MAX_DAYS ||
	    v->valuedouble != (double)(long)v->valuedouble)
		return perr(L, needle, "\"%s\" must be a whole number of days (0..36500)", key);
	*out = (long)v->valuedouble;
	return 0;
}

static int dup_opt(char **out, const char *s)
{
	if (!s)
		return 0;
	*out = sdl_strdup(s);
	return *out ? 0 : SDL_ENOMEM;
}

static int load_settings(struct gate_policy *p, const struct ploader *L, const cJSON *s)
{
	struct gate_settings *st = &p->settings;
	const char *lvl = sdl_json_str(s, "sarif_level");
	const cJSON *sev = cJSON_GetObjectItemCaseSensitive(s, "vuln_severity");
	int ret;
	enum sdl_level level = SDL_LEVEL_WARNING;

	if (lvl && sdl_level_parse(&level, lvl) < 0)
		return perr(L, "\"sarif_level\"", "\"sarif_level\" must be none, note, warning or error");
	st->sarif_level = (int)level;
	st->vuln_severity = 7.0;
	if (sev) {
		if (!cJSON_IsNumber(sev) || sev->valuedouble < 0 || sev->valuedouble > 10)
			return perr(L, "\"vuln_severity\"", "\"vuln_severity\" must be a CVSS score 0..10");
		st->vuln_severity = sev->valuedouble;
	}
	if ((ret = get_days(&st->vuln_data_max_age_days, L, s, "vuln_data_max_age_days", 7)) < 0 ||
	    (ret = get_days(&st->waiver_max_days, L, s, "waiver_max_days", 180)) < 0)
		return ret;
	{
		const cJSON *fs = cJSON_GetObjectItemCaseSensitive(s, "fuzz_min_seconds");
		st->fuzz_min_seconds = 600;
		if (fs) {
			if (!cJSON_IsNumber(fs) || fs->valuedouble < 0 || fs->valuedouble > 1e9)
				return perr(L, "\"fuzz_min_seconds\"",
					    "\"fuzz_min_seconds\" must be a number of seconds");
			st->fuzz_min_seconds = (long)fs->valuedouble;
		}
	}
	st->allow_skipped_tests = sdl_json_bool(s, "allow_skipped_tests", 1);
	{
		const char *sig = sdl_json_str(s, "signatures");
		st->verify_signatures = 1;
		if (sig && strcmp(sig, "presence") == 0)
			st->verify_signatures = 0;
		else if (sig && strcmp(sig, "verify") != 0)
			return perr(L, "\"signatures\"", "\"signatures\" must be \"verify\" or \"presence\"");
	}
	st->accept_openpgp = sdl_json_bool(s, "accept_unverified_openpgp", 0);
	st->records_signed = sdl_json_bool(s, "records_signed", 0);
	if ((ret = get_days(&st->fix_max_days, L, s, "security_fix_max_days", 0)) < 0)
		return ret;
	if ((ret = dup_opt(&st->security_label, sdl_json_str(s, "tracker_security_label")
							? sdl_json_str(s, "tracker_security_label")
							: "security")) < 0)
		return ret;
	if ((ret = dup_opt(&st->test_req_pattern,
			   sdl_json_str(s, "test_requirement_pattern")
				   ? sdl_json_str(s, "test_requirement_pattern")
				   : "SEC-REQ-[0-9]+")) < 0 ||
	    (ret = dup_opt(&st->test_threat_pattern,
			   sdl_json_str(s, "test_threat_pattern") ? sdl_json_str(s, "test_threat_pattern")
								  : "MIT-[0-9]+")) < 0)
		return ret;
	return 0;
}

static int load_docs(struct gate_policy *p, const struct ploader *L, const cJSON *docs)
{
	const cJSON *d;
	int n = docs ? cJSON_GetArraySize(docs) : 0, ret;
	if (!n)
		return 0;
	if (!cJSON_IsObject(docs))
		return perr(L, "\"documents\"", "\"documents\" must be an object");
	p->docs = sdl_calloc((size_t)n, sizeof(*p->docs));
	if (!p->docs)
		return SDL_ENOMEM;
	cJSON_ArrayForEach(d, docs) {
		struct gate_doc_rule *r = &p->docs[p->ndocs++];
		const cJSON *secs, *s;
		char needle[160];
		snprintf(needle, sizeof(needle), "\"%s\"", d->string);
		if ((ret = dup_opt(&r->name, d->string)) < 0)
			return ret;
		if (!cJSON_IsObject(d))
			return perr(L, needle, "documents.%s must be an object", d->string);
		if ((ret = dup_opt(&r->title, sdl_json_str(d, "title") ? sdl_json_str(d, "title")
								       : d->string)) < 0)
			return ret;
		secs = sdl_json_arr(d, "sections");
		cJSON_ArrayForEach(s, secs) {
			if (!cJSON_IsString(s))
				return perr(L, needle, "documents.%s: sections must be strings", d->string);
			if ((ret = gate_strv_push(&r->sections, s->valuestring)) < 0)
				return ret;
		}
		if ((ret = get_days(&r->max_age_days, L, d, "max_age_days", 0)) < 0)
			return ret;
		r->contact = sdl_json_bool(d, "contact", 0);
	}
	return 0;
}

static int load_req(struct gate_policy *p, struct gate_req_policy *r, const struct ploader *L,
		    const cJSON *obj)
{
	char needle[160];
	const cJSON *checks, *c, *att;
	int ret;

	snprintf(needle, sizeof(needle), "\"%s\"", r->id);
	if (!cJSON_IsObject(obj))
		return perr(L, needle, "requirements.%s must be an object", r->id);
	r->applicable = sdl_json_bool(obj, "applicable", 1);
	if (!r->applicable) {
		const char *why = sdl_json_str(obj, "reason");
		if (!why || !*why)
			return perr(L, needle, "requirements.%s: not applicable without a \"reason\"", r->id);
		return dup_opt(&r->reason, why);
	}
	checks = cJSON_GetObjectItemCaseSensitive(obj, "checks");
	if (checks && !cJSON_IsArray(checks))
		return perr(L, needle, "requirements.%s: \"checks\" must be an array", r->id);
	cJSON_ArrayForEach(c, checks) {
		const char *id = cJSON_IsString(c) ? c->valuestring : NULL;
		if (!id)
			return perr(L, needle, "requirements.%s: checks must be strings", r->id);
		if (strncmp(id, "doc.", 4) == 0) {
			if (!gate_policy_doc(p, id + 4)) {
				char q[160];
				snprintf(q, sizeof(q), "\"%s\"", id);
				return perr(L, q, "check \"%s\" names no entry of \"documents\"", id);
			}
		} else if (!gate_check_known(id)) {
			char q[160];
			snprintf(q, sizeof(q), "\"%s\"", id);
			return perr(L, q, "unknown check \"%s\" (see docs/gate.md)", id);
		}
		if ((ret = gate_strv_push_unique(&r->checks, id)) < 0)
			return ret;
	}
	att = cJSON_GetObjectItemCaseSensitive(obj, "attestation");
	if (att) {
		if (!cJSON_IsObject(att))
			return perr(L, needle, "requirements.%s: \"attestation\" must be an object", r->id);
		r->attest.required = 1;
		if ((ret = dup_opt(&r->attest.activity, sdl_json_str(att, "activity"))) < 0)
			return ret;
		r->attest.four_eyes = sdl_json_bool(att, "four_eyes", 1);
		r->attest.independent = sdl_json_bool(att, "independent_of_authors", 0);
		if ((ret = get_days(&r->attest.max_age_days, L, att, "max_age_days", 0)) < 0)
			return ret;
	}
	return 0;
}

int gate_policy_load(struct gate_policy *out, const char *path, const struct gate_catalog *cat)
{
	struct sdl_buf raw = SDL_BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *reqs, *it;
	const char *schema, *catid;
	struct ploader L = { path, &raw };
	int ret;

	memset(out, 0, sizeof(*out));
	ret = gate_json_load(&doc, &raw, path, GATE_MAX_POLICY_BYTES);
	if (ret < 0)
		goto done;
	if ((ret = sdl_hash_buf(out->digest, SDL_SHA256, raw.ptr, raw.len)) < 0)
		goto done;
	schema = sdl_json_str(doc, "schema");
	if (!schema || strcmp(schema, "sdl-gate-policy/1") != 0) {
		ret = sdl_error_set(SDL_EINVAL,
				    "%s: not a policy (\"schema\" must be \"sdl-gate-policy/1\")", path);
		goto done;
	}
	catid = sdl_json_str(doc, "catalog");
	if (!catid || strcmp(catid, cat->id) != 0) {
		ret = perr(&L, "\"catalog\"", "\"catalog\" must be \"%s\", the catalogue in use", cat->id);
		goto done;
	}
	if ((ret = dup_opt(&out->path, path)) < 0 || (ret = dup_opt(&out->catalog_id, catid)) < 0 ||
	    (ret = dup_opt(&out->name, sdl_json_str(doc, "name") ? sdl_json_str(doc, "name")
								  : path)) < 0)
		goto done;
	if ((ret = load_settings(out, &L, sdl_json_obj(doc, "settings"))) < 0)
		goto done;
	if ((ret = load_docs(out, &L, cJSON_GetObjectItemCaseSensitive(doc, "documents"))) < 0)
		goto done;

	out->reqs = sdl_calloc(cat->nreqs, sizeof(*out->reqs));
	if (!out->reqs) {
		ret = SDL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < cat->nreqs; i++) {
		out->reqs[i].applicable = 1;
		if (!(out->reqs[i].id = sdl_strdup(cat->reqs[i].id))) {
			ret = SDL_ENOMEM;
			goto done;
		}
		out->nreqs++;
	}
	reqs = cJSON_GetObjectItemCaseSensitive(doc, "requirements");
	if (!cJSON_IsObject(reqs)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: \"requirements\" must be an object keyed by id",
				    path);
		goto done;
	}
	cJSON_ArrayForEach(it, reqs) {
		const struct gate_req *r = gate_catalog_find(cat, it->string);
		if (!r) {
			char q[160];
			snprintf(q, sizeof(q), "\"%s\"", it->string);
			ret = perr(&L, q, "unknown requirement id \"%s\" (not in catalogue %s)", it->string, cat->id);
			goto done;
		}
		if ((ret = load_req(out, &out->reqs[r - cat->reqs], &L, it)) < 0)
			goto done;
	}
	ret = 0;
done:
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	if (ret < 0)
		gate_policy_release(out);
	return ret;
}
