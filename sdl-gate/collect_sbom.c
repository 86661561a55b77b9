/*
 * sdl-gate collector: components and their vulnerabilities (CycloneDX 1.6
 * JSON from sdl-sbom or any other tool).
 *   sbom.present          the SBOM is present and is CycloneDX JSON
 *   sbom.identity         every component has version, licence, supplier,
 *                         purl or CPE, and at least one hash
 *   sbom.unknown-reviewed every component without purl and CPE has a valid
 *                         "component-review" record naming it
 *   sbom.vulnerabilities  every vulnerability scored at or above
 *                         settings.vuln_severity has a VEX analysis that
 *                         closes it (not_affected with a justification or
 *                         detail, false_positive, resolved) or a waiver
 *   sbom.vuln-data-age    the vulnerability data is younger than
 *                         settings.vuln_data_max_age_days
 * Scores: rating.score, else the CVSS v3.x base score computed from
 * rating.vector (FIRST CVSS v3.1 specification, section 7.1), else the
 * severity name; a vulnerability with no rating counts as at the threshold.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/banned.h"

#define SBOM_MAX_DEPTH 16

/* CVSS v3.1 "Roundup" (specification Appendix A): smallest 1-decimal value >= x. */
static double roundup(double x)
{
	long i = lround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

static const char *metric(const char *vec, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = vec; (p = strstr(p, name)); p++)
		if ((p == vec || p[-1] == '/') && p[n] == ':')
			return p + n + 1;
	return NULL;
}

double gate_cvss3_base(const char *vec)
{
	const char *av, *ac, *pr, *ui, *s, *c, *i, *a;
	double AV, AC, PR, UI, C, I, A, iss, impact, expl;
	int changed;
	if (!vec || strncmp(vec, "CVSS:3.", 7) != 0)
		return -1;
	av = metric(vec, "AV"), ac = metric(vec, "AC"), pr = metric(vec, "PR");
	ui = metric(vec, "UI"), s = metric(vec, "S"), c = metric(vec, "C");
	i = metric(vec, "I"), a = metric(vec, "A");
	if (!av || !ac || !pr || !ui || !s || !c || !i || !a)
		return -1;
	changed = *s == 'C';
	AV = *av == 'N' ? 0.85 : *av == 'A' ? 0.62 : *av == 'L' ? 0.55 : *av == 'P' ? 0.2 : -1;
	AC = *ac == 'L' ? 0.77 : *ac == 'H' ? 0.44 : -1;
	PR = *pr == 'N' ? 0.85 : *pr == 'L' ? (changed ? 0.68 : 0.62)
		: *pr == 'H' ? (changed ? 0.5 : 0.27) : -1;
	UI = *ui == 'N' ? 0.85 : *ui == 'R' ? 0.62 : -1;
#define CIA(x) (*(x) == 'H' ? 0.56 : *(x) == 'L' ? 0.22 : *(x) == 'N' ? 0.0 : -1)
	C = CIA(c), I = CIA(i), A = CIA(a);
#undef CIA
	if (AV < 0 || AC < 0 || PR < 0 || UI < 0 || C < 0 || I < 0 || A < 0)
		return -1;
	iss = 1.0 - (1.0 - C) * (1.0 - I) * (1.0 - A);
	impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	expl = 8.22 * AV * AC * PR * UI;
	if (impact <= 0)
		return 0.0;
	if (changed)
		return roundup(fmin(1.08 * (impact + expl), 10.0));
	return roundup(fmin(impact + expl, 10.0));
}

static double severity_score(const char *sev)
{
	if (!sev)
		return -1;
	if (!strcasecmp(sev, "critical"))
		return 9.0;
	if (!strcasecmp(sev, "high"))
		return 7.0;
	if (!strcasecmp(sev, "medium"))
		return 4.0;
	if (!strcasecmp(sev, "low"))
		return 0.1;
	if (!strcasecmp(sev, "info") || !strcasecmp(sev, "none"))
		return 0.0;
	return -1;
}

/* Highest score among the ratings; -1 if none can be read. */
static double vuln_score(const cJSON *v)
{
	const cJSON *r;
	double best = -1;
	cJSON_ArrayForEach(r, sdl_json_arr(v, "ratings")) {
		double s = sdl_json_num(r, "score", -1);
		if (s < 0)
			s = gate_cvss3_base(sdl_json_str(r, "vector"));
		if (s < 0)
			s = severity_score(sdl_json_str(r, "severity"));
		if (s > best)
			best = s;
	}
	return best;
}

struct sbom_ctx {
	struct gate_eval *ev;
	struct gate_check *ident, *unk;
	const char *rel;
	size_t ncomp, nunknown;
};

static int has_license(const cJSON *c)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, sdl_json_arr(c, "licenses")) {
		const cJSON *lic = sdl_json_obj(l, "license");
		if (sdl_json_str(l, "expression") ||
		    (lic && (sdl_json_str(lic, "id") || sdl_json_str(lic, "name"))))
			return 1;
	}
	return 0;
}

static int has_supplier(const cJSON *c)
{
	const cJSON *s = sdl_json_obj(c, "supplier");
	const cJSON *m = sdl_json_obj(c, "manufacturer");
	return (s && sdl_json_str(s, "name")) || (m && sdl_json_str(m, "name"));
}

static int has_hash(const cJSON *c)
{
	const cJSON *h;
	cJSON_ArrayForEach(h, sdl_json_arr(c, "hashes"))
		if (sdl_json_str(h, "alg") && sdl_json_str(h, "content"))
			return 1;
	return 0;
}

static int reviewed(const struct gate_eval *ev, const char *ref, const char *nv, const char *name)
{
	for (size_t i = 0; i < ev->nrecords; i++) {
		const struct gate_record *r = &ev->records[i];
		const char *s = r->subject_component;
		if (!r->valid || !s || !r->activity || strcmp(r->activity, "component-review") != 0)
			continue;
		if ((ref && !strcmp(s, ref)) || !strcmp(s, nv) || (name && !strcmp(s, name)))
			return 1;
	}
	return 0;
}

/* JSON type name for messages. */
static const char *json_kind(const cJSON *j)
{
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsBool(j))
		return "a boolean";
	if (cJSON_IsNull(j))
		return "null";
	if (cJSON_IsArray(j))
		return "an array";
	if (cJSON_IsObject(j))
		return "an object";
	return "not valid";
}

/*
 * A member the CycloneDX 1.6 JSON schema types as an array (want_array) or
 * object may be absent; present with another type it is not a CycloneDX SBOM.
 * (Without this check sdl_json_arr() would read it as absent: an SBOM whose
 * "components" is a string would pass as one without components.)
 */
static int check_member(const char *rel, const cJSON *obj, const char *key, int want_array)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!m || (want_array ? cJSON_IsArray(m) : cJSON_IsObject(m)))
		return 0;
	return sdl_error_set(SDL_EINVAL, "%s: not a CycloneDX SBOM: \"%s\" is %s, not %s", rel,
			     key, json_kind(m), want_array ? "an array" : "an object");
}

static int walk_components(struct sbom_ctx *x, const cJSON *arr, int depth)
{
	const cJSON *c;
	int ret;
	if (depth > SBOM_MAX_DEPTH)
		return sdl_error_set(SDL_ELIMIT, "%s: components nested deeper than %d", x->rel,
				     SBOM_MAX_DEPTH);
	cJSON_ArrayForEach(c, arr) {
		const char *name = sdl_json_str(c, "name"), *ver = sdl_json_str(c, "version");
		const char *ref = sdl_json_str(c, "bom-ref");
		const char *purl = sdl_json_str(c, "purl"), *cpe = sdl_json_str(c, "cpe");
		char nv[512], missing[256] = "";
		if (!cJSON_IsObject(c))
			return sdl_error_set(SDL_EINVAL, "%s: a component is not an object", x->rel);
		if ((ret = check_member(x->rel, c, "components", 1)) < 0)
			return ret;
		x->ncomp++;
		snprintf(nv, sizeof(nv), "%s@%s", name ? name : "?", ver ? ver : "?");
		if (!ver || !*ver)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " version");
		if (!has_license(c))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " licence");
		if (!has_supplier(c))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " supplier");
		if ((!purl || !*purl) && (!cpe || !*cpe))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 " purl-or-cpe");
		if (!has_hash(c))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " hash");
		if (missing[0] &&
		    (ret = gate_check_violation(x->ident, ref ? ref : nv, x->rel, 0,
						"component %s lacks:%s", nv, missing)) < 0)
			return ret;
		if ((!purl || !*purl) && (!cpe || !*cpe)) {
			x->nunknown++;
			if (!reviewed(x->ev, ref, nv, name) &&
			    (ret = gate_check_violation(
				     x->unk, ref ? ref : nv, x->rel, 0,
				     "component %s has no purl or CPE (unknown identity) and no valid component-review record",
				     nv)) < 0)
				return ret;
		}
		if ((ret = walk_components(x, sdl_json_arr(c, "components"), depth + 1)) < 0)
			return ret;
	}
	return 0;
}

static int closed_by_vex(const cJSON *v)
{
	const cJSON *an = sdl_json_obj(v, "analysis");
	const char *st = an ? sdl_json_str(an, "state") : NULL;
	if (!st)
		return 0;
	if (!strcmp(st, "not_affected"))
		return sdl_json_str(an, "justification") || sdl_json_str(an, "detail");
	return !strcmp(st, "false_positive") || !strcmp(st, "resolved") ||
	       !strcmp(st, "resolved_with_pedigree");
}

/* The vulnerability data timestamp from metadata.properties (docs/gate/sbom.vuln-data-age.md). */
static const char *vuln_data_time(const cJSON *doc)
{
	const cJSON *meta = sdl_json_obj(doc, "metadata"), *p;
	const cJSON *props = meta ? sdl_json_arr(meta, "properties") : NULL;
	cJSON_ArrayForEach(p, props) {
		const char *n = sdl_json_str(p, "name");
		if (n && gate_strcasestr(n, "vuln") &&
		    (gate_strcasestr(n, "timestamp") || gate_strcasestr(n, "date") ||
		     gate_strcasestr(n, "updated")))
			return sdl_json_str(p, "value");
	}
	return NULL;
}

int gate_collect_sbom(struct gate_eval *ev)
{
	struct gate_check *pres = gate_check_get(ev, "sbom.present");
	struct gate_check *ident = gate_check_get(ev, "sbom.identity");
	struct gate_check *unk = gate_check_get(ev, "sbom.unknown-reviewed");
	struct gate_check *vul = gate_check_get(ev, "sbom.vulnerabilities");
	struct gate_check *age = gate_check_get(ev, "sbom.vuln-data-age");
	struct gate_check *all[5] = { pres, ident, unk, vul, age };
	struct sdl_buf abs = SDL_BUF_INIT, raw = SDL_BUF_INIT;
	struct sbom_ctx x = { 0 };
	cJSON *doc = NULL;
	const cJSON *v, *meta;
	const char *rel = ev->project.sbom, *name, *fmt, *ts;
	size_t nvul = 0, nopen = 0;
	long long t;
	int ret;

	for (int i = 0; i < 5; i++)
		if (!all[i])
			return SDL_ENOMEM;
	ret = rel ? gate_evidence_locate(&abs, ev, rel, "SBOM") : 0;
	if (ret <= 0) {
		for (int i = 0; ret == 0 && i < 5; i++)
			ret = gate_check_set(all[i], GATE_CHECK_MISSING, "no SBOM at %s",
					     rel ? rel : "(none configured)");
		goto done;
	}
	if ((ret = gate_json_load(&doc, &raw, abs.ptr, GATE_MAX_EVIDENCE_BYTES)) < 0)
		goto done;
	fmt = sdl_json_str(doc, "bomFormat");
	if (!fmt || strcmp(fmt, "CycloneDX") != 0 || !sdl_json_str(doc, "specVersion")) {
		ret = sdl_error_set(SDL_EINVAL, "%s: not a CycloneDX JSON document (bomFormat, specVersion)",
				    rel);
		goto done;
	}
	if ((ret = check_member(rel, doc, "metadata", 0)) < 0 ||
	    (ret = check_member(rel, doc, "components", 1)) < 0 ||
	    (ret = check_member(rel, doc, "vulnerabilities", 1)) < 0)
		goto done;
	if ((meta = sdl_json_obj(doc, "metadata")) &&
	    (ret = check_member(rel, meta, "properties", 1)) < 0)
		goto done;
	if ((ret = gate_input_add(ev, rel, &name)) < 0)
		goto done;
	for (int i = 0; i < 5; i++)
		if ((ret = gate_check_file(all[i], name)) < 0)
			goto done;
	x.ev = ev;
	x.ident = ident;
	x.unk = unk;
	x.rel = rel;
	if ((ret = walk_components(&x, sdl_json_arr(doc, "components"), 0)) < 0)
		goto done;
	cJSON_ArrayForEach(v, sdl_json_arr(doc, "vulnerabilities")) {
		const char *id = sdl_json_str(v, "id");
		double score = vuln_score(v);
		nvul++;
		if (!id) {
			ret = sdl_error_set(SDL_EINVAL, "%s: a vulnerability has no \"id\"", rel);
			goto done;
		}
		if ((score < 0 || score >= ev->policy.settings.vuln_severity) && !closed_by_vex(v)) {
			const cJSON *an = sdl_json_obj(v, "analysis");
			const char *st = an ? sdl_json_str(an, "state") : NULL;
			nopen++;
			if (score < 0)
				ret = gate_check_violation(vul, id, rel, 0,
							   "%s (no usable rating) has no closing VEX analysis (state: %s)",
							   id, st ? st : "none");
			else
				ret = gate_check_violation(vul, id, rel, 0,
							   "%s (score %.1f >= %.1f) has no closing VEX analysis (state: %s)",
							   id, score, ev->policy.settings.vuln_severity,
							   st ? st : "none");
			if (ret < 0)
				goto done;
		}
	}
	ts = vuln_data_time(doc);
	if (!ts) {
		ret = gate_check_violation(age, "vuln-data-age", rel, 0,
					   "%s does not record when its vulnerability data was fetched (metadata.properties)",
					   rel);
	} else if (gate_parse_time(&t, ts) < 0) {
		ret = gate_check_violation(age, "vuln-data-age", rel, 0,
					   "vulnerability data timestamp '%s' is not ISO 8601", ts);
	} else if (ev->now - t > (long long)ev->policy.settings.vuln_data_max_age_days * 86400) {
		ret = gate_check_violation(age, "vuln-data-age", rel, 0,
					   "vulnerability data of %s is %lld day(s) old, more than %ld",
					   ts, (ev->now - t) / 86400,
					   ev->policy.settings.vuln_data_max_age_days);
	} else {
		ret = gate_check_set(age, GATE_CHECK_PASS, "vulnerability data of %s", ts);
	}
	if (ret == 0 && age->nviol)
		ret = gate_check_set(age, GATE_CHECK_FAIL, "vulnerability data age not established or too old");
	if (ret < 0)
		goto done;
	if ((ret = gate_check_set(pres, GATE_CHECK_PASS, "CycloneDX %s, %zu component(s)",
				  sdl_json_str(doc, "specVersion"), x.ncomp)) < 0 ||
	    (ret = gate_check_set(ident, GATE_CHECK_PASS, "%zu of %zu component(s) fully identified",
				  x.ncomp - ident->nviol, x.ncomp)) < 0 ||
	    (ret = gate_check_set(unk, GATE_CHECK_PASS,
				  "%zu component(s) of unknown identity, %zu without review", x.nunknown,
				  unk->nviol)) < 0 ||
	    (ret = gate_check_set(vul, GATE_CHECK_PASS,
				  "%zu vulnerabilit(ies), %zu at or above %.1f without closing VEX",
				  nvul, nopen, ev->policy.settings.vuln_severity)) < 0)
		goto done;
done:
	cJSON_Delete(doc);
	sdl_buf_release(&abs);
	sdl_buf_release(&raw);
	return ret;
}
