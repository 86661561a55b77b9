/*
 * sdl-gate collector: human records (attestations) and waivers.
 *
 * Attestations follow the common fields of 62443-4-1-map.md section 0.1
 * (docs/gate/records.valid.md): one JSON file per record under the project's
 * attestation directory. A record is valid when it is complete, names only
 * known requirements, has not expired, its outcome is "pass", and every
 * input it lists still has the SHA-256 it recorded. Identity rules that
 * depend on the policy (four eyes, independence from authors) are applied per
 * requirement in decide.c.
 *
 * Waivers (docs/gate/waivers.valid.md) cover a requirement or one violation
 * (by key); owner, approver (another person), reason and expiry are
 * mandatory and the expiry may not lie beyond the policy's horizon.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/git.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/banned.h"

#define RECORD_MAX_BYTES ((size_t)1 << 20)

__attribute__((format(printf, 2, 3)))
static int set_why(char **why, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (*why)
		return 0; /* keep the first problem */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*why = sdl_strdup(msg);
	return *why ? 0 : SDL_ENOMEM;
}

static int dup_or_null(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = sdl_strdup(s);
	return *out ? 0 : SDL_ENOMEM;
}

/* ---------------- waivers ---------------- */

int gate_collect_waivers(struct gate_eval *ev)
{
	struct sdl_buf raw = SDL_BUF_INIT, abs = SDL_BUF_INIT;
	struct gate_check *chk = gate_check_get(ev, "waivers.valid");
	const char *rel = ev->project.waivers, *name;
	cJSON *doc = NULL;
	const cJSON *arr, *it;
	const char *uncommitted = NULL;
	int ret;

	if (!chk)
		return SDL_ENOMEM;
	if (!rel) {
		ret = gate_check_set(chk, GATE_CHECK_PASS, "no waiver file configured");
		goto done;
	}
	if ((ret = gate_repo_path(&abs, ev, rel)) < 0)
		goto done;
	if (!sdl_fs_is_file(abs.ptr)) {
		ret = gate_check_set(chk, GATE_CHECK_PASS, "no waiver file (%s): nothing waived", rel);
		goto done;
	}
	if ((ret = gate_json_load(&doc, &raw, abs.ptr, RECORD_MAX_BYTES)) < 0)
		goto done;
	if ((ret = gate_input_add(ev, rel, &name)) < 0 || (ret = gate_check_file(chk, name)) < 0)
		goto done;
	/* waivers belong to the release: a file edited after the release commit waives nothing */
	if (ev->git && ev->release_commit[0]) {
		struct sdl_buf blob = SDL_BUF_INIT;
		int rc = sdl_git_read_blob(&blob, ev->git, ev->release_commit, rel, RECORD_MAX_BYTES);
		if (rc == SDL_ENOTFOUND)
			uncommitted = "is not committed at the release commit";
		else if (rc == 0 && (blob.len != raw.len || memcmp(blob.ptr, raw.ptr, raw.len) != 0))
			uncommitted = "differs from its version at the release commit (uncommitted edit)";
		else if (rc < 0 && rc != SDL_ENOTFOUND) {
			sdl_buf_release(&blob);
			ret = rc;
			goto done;
		}
		sdl_error_clear();
		sdl_buf_release(&blob);
	}
	arr = sdl_json_arr(doc, "waivers");
	if (!arr || !sdl_json_str(doc, "schema") ||
	    strcmp(sdl_json_str(doc, "schema"), "sdl-gate-waivers/1") != 0) {
		ret = sdl_error_set(SDL_EINVAL,
				    "%s: not a waiver file (needs \"schema\": \"sdl-gate-waivers/1\" and a \"waivers\" array)",
				    abs.ptr);
		goto done;
	}
	if (cJSON_GetArraySize(arr) > 0) {
		ev->waivers = sdl_calloc((size_t)cJSON_GetArraySize(arr), sizeof(*ev->waivers));
		if (!ev->waivers) {
			ret = SDL_ENOMEM;
			goto done;
		}
	}
	cJSON_ArrayForEach(it, arr) {
		struct gate_waiver *w = &ev->waivers[ev->nwaivers++];
		const char *exp = sdl_json_str(it, "expires");
		char loc[512], needle[160];
		if (!cJSON_IsObject(it)) {
			ret = sdl_error_set(SDL_EINVAL, "%s: waivers must be objects", abs.ptr);
			goto done;
		}
		if ((ret = dup_or_null(&w->id, sdl_json_str(it, "id"))) < 0 ||
		    (ret = dup_or_null(&w->requirement, sdl_json_str(it, "requirement"))) < 0 ||
		    (ret = dup_or_null(&w->finding, sdl_json_str(it, "finding"))) < 0 ||
		    (ret = dup_or_null(&w->owner, sdl_json_str(it, "owner"))) < 0 ||
		    (ret = dup_or_null(&w->approver, sdl_json_str(it, "approver"))) < 0 ||
		    (ret = dup_or_null(&w->reason, sdl_json_str(it, "reason"))) < 0)
			goto done;
		if (!w->id) {
			char n[32];
			snprintf(n, sizeof(n), "waiver #%zu", ev->nwaivers);
			if ((ret = dup_or_null(&w->id, n)) < 0)
				goto done;
		}
		snprintf(needle, sizeof(needle), "\"%s\"", w->id);
		gate_locate(loc, sizeof(loc), rel, raw.ptr, raw.len, needle);
		w->valid = 1;
		if (!!w->requirement == !!w->finding)
			ret = set_why(&w->invalid_why, "names neither or both of \"requirement\" and \"finding\"");
		else if (w->requirement && !gate_catalog_find(&ev->catalog, w->requirement)) {
			ret = sdl_error_set(SDL_EINVAL, "%s: waiver %s: unknown requirement id \"%s\"",
					    loc, w->id, w->requirement);
			goto done;
		} else if (!w->owner || !w->approver || !w->reason || !*w->reason || !exp)
			ret = set_why(&w->invalid_why,
				      "is incomplete (owner, approver, reason and expires are mandatory)");
		else if (strcasecmp(w->owner, w->approver) == 0)
			ret = set_why(&w->invalid_why, "is approved by its own owner %s", w->owner);
		else if (gate_parse_time(&w->expires, exp) < 0)
			ret = set_why(&w->invalid_why, "has a malformed expiry '%s'", exp);
		else if (w->expires <= ev->now)
			ret = set_why(&w->invalid_why, "expired on %s", exp);
		else if (w->expires - ev->now > (long long)ev->policy.settings.waiver_max_days * 86400) {
			char days[32];
			snprintf(days, sizeof(days), "%ld", ev->policy.settings.waiver_max_days);
			ret = set_why(&w->invalid_why,
				      "expires on %s, beyond the policy's horizon of %s days", exp, days);
		}
		if (ret == 0 && uncommitted)
			ret = set_why(&w->invalid_why, "is in a waiver file that %s", uncommitted);
		if (ret < 0)
			goto done;
		if (w->invalid_why) {
			w->valid = 0;
			if ((ret = gate_check_violation(chk, w->id, rel, 0, "waiver %s %s", w->id,
							w->invalid_why)) < 0)
				goto done;
		}
	}
	ret = gate_check_set(chk, GATE_CHECK_PASS, "%zu waiver(s) read from %s", ev->nwaivers, rel);
done:
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	sdl_buf_release(&abs);
	return ret;
}

/* ---------------- attestation records ---------------- */

static int load_person(struct gate_person *p, const cJSON *o)
{
	int ret;
	if (!cJSON_IsObject(o))
		return 0;
	if ((ret = dup_or_null(&p->name, sdl_json_str(o, "name"))) < 0 ||
	    (ret = dup_or_null(&p->identity, sdl_json_str(o, "identity"))) < 0 ||
	    (ret = dup_or_null(&p->role, sdl_json_str(o, "role"))) < 0)
		return ret;
	return 0;
}

static int check_inputs(struct gate_eval *ev, struct gate_record *r, const cJSON *inputs)
{
	const cJSON *in;
	struct sdl_buf abs = SDL_BUF_INIT;
	int ret = 0;
	cJSON_ArrayForEach(in, inputs) {
		const char *path = sdl_json_str(in, "path"), *want = sdl_json_str(in, "sha256");
		char got[SDL_HASH_HEX_MAX];
		if (!path || !want) {
			ret = set_why(&r->invalid_why, "lists an input without path and sha256");
			break;
		}
		if (path[0] == '/' || gate_repo_path(&abs, ev, path) < 0) {
			ret = set_why(&r->invalid_why, "lists input '%s' outside the repository", path);
			break;
		}
		if (gate_repo_confined(ev, path, abs.ptr) < 0 ||
		    sdl_hash_file(got, SDL_SHA256, abs.ptr) < 0) {
			sdl_error_clear();
			ret = set_why(&r->invalid_why, "lists input '%s' which cannot be read", path);
			break;
		}
		if (strcasecmp(got, want) != 0) {
			ret = set_why(&r->invalid_why,
				      "examined '%s' with another content (its SHA-256 no longer matches)", path);
			break;
		}
		if ((ret = gate_input_add(ev, path, NULL)) < 0)
			break;
	}
	sdl_buf_release(&abs);
	return ret;
}

/*
 * A record is part of the release: it must be committed at the release
 * commit with the content the gate reads (so history says who added it and
 * when, and a signed commit signs it). Skipped outside git.
 */
static int check_committed(struct gate_eval *ev, struct gate_record *r, const char *rel,
			   const struct sdl_buf *raw)
{
	struct sdl_buf blob = SDL_BUF_INIT;
	int ret;
	if (!ev->git || !ev->release_commit[0])
		return 0;
	ret = sdl_git_read_blob(&blob, ev->git, ev->release_commit, rel, RECORD_MAX_BYTES);
	if (ret == SDL_ENOTFOUND) {
		sdl_error_clear();
		ret = set_why(&r->invalid_why, "is not committed at the release commit");
	} else if (ret == 0 && (blob.len != raw->len || memcmp(blob.ptr, raw->ptr, raw->len) != 0)) {
		ret = set_why(&r->invalid_why,
			      "differs from its version at the release commit (uncommitted edit)");
	}
	sdl_buf_release(&blob);
	return ret;
}

/*
 * A record signed by its approver: "<record>.json.sig" beside it holds an SSH
 * signature (ssh-keygen -Y sign -n sdl-gate-record) over the record file's
 * exact bytes; "signature": "sshsig" in the record says one must be there
 * (docs/gate/signatures.md). The approver's identity must be an allowed
 * signer for the key, at approved_at.
 */
static int check_signature(struct gate_eval *ev, struct gate_record *r, const char *rel,
			   const char *abspath, const struct sdl_buf *raw, const char *field)
{
	struct sdl_buf sp = SDL_BUF_INIT, sig = SDL_BUF_INIT, srel = SDL_BUF_INIT;
	struct gate_sig_result res;
	int ret;

	if ((ret = sdl_buf_printf(&sp, "%s.sig", abspath)) < 0 ||
	    (ret = sdl_buf_printf(&srel, "%s.sig", rel)) < 0)
		goto done;
	if (!sdl_fs_is_file(sp.ptr)) {
		if (field && !strcmp(field, "sshsig"))
			ret = set_why(&r->invalid_why, "says \"signature\": \"sshsig\" but %s does not exist",
				      srel.ptr);
		else if (ev->policy.settings.records_signed)
			ret = set_why(&r->invalid_why, "has no signature %s (the policy asks for signed records)",
				      srel.ptr);
		goto done;
	}
	if ((ret = gate_repo_confined(ev, srel.ptr, sp.ptr)) < 0 ||
	    (ret = sdl_fs_read_file(&sig, sp.ptr, 64 << 10)) < 0 ||
	    (ret = gate_input_add(ev, srel.ptr, NULL)) < 0)
		goto done;
	if (!ev->have_signers) {
		ret = set_why(&r->invalid_why, "is signed (%s) but there is no allowed-signers file to verify it",
			      srel.ptr);
		goto done;
	}
	if ((ret = gate_sshsig_check(&res, &ev->signers, sig.ptr ? sig.ptr : "", sig.len, raw->ptr,
				     raw->len, "sdl-gate-record", r->approver.identity,
				     r->approved_at)) < 0)
		goto done;
	if (!res.verified)
		ret = set_why(&r->invalid_why, "signature %s (%s key %s) rejected for approver %s: %s",
			      srel.ptr, res.keytype[0] ? res.keytype : "unknown",
			      res.fingerprint[0] ? res.fingerprint : "?", r->approver.identity, res.why);
done:
	sdl_buf_release(&sp);
	sdl_buf_release(&sig);
	sdl_buf_release(&srel);
	return ret;
}

static int load_record(struct gate_eval *ev, struct gate_record *r, const char *rel,
		       const char *abspath)
{
	struct sdl_buf raw = SDL_BUF_INIT;
	cJSON *doc = NULL;
	const cJSON *reqs, *it, *perf, *subj;
	const char *t;
	int ret;

	if ((ret = dup_or_null(&r->file, rel)) < 0)
		goto done;
	if ((ret = gate_json_load(&doc, &raw, abspath, RECORD_MAX_BYTES)) < 0)
		goto done;
	if (!cJSON_IsObject(doc)) {
		ret = sdl_error_set(SDL_EINVAL, "%s: a record must be a JSON object", abspath);
		goto done;
	}
	if ((ret = dup_or_null(&r->record_id, sdl_json_str(doc, "record_id"))) < 0 ||
	    (ret = dup_or_null(&r->activity, sdl_json_str(doc, "activity"))) < 0 ||
	    (ret = dup_or_null(&r->outcome, sdl_json_str(doc, "outcome"))) < 0)
		goto done;
	reqs = sdl_json_arr(doc, "requirements");
	cJSON_ArrayForEach(it, reqs) {
		if (!cJSON_IsString(it))
			continue;
		if (!gate_catalog_find(&ev->catalog, it->valuestring)) {
			ret = set_why(&r->invalid_why, "names unknown requirement '%s'", it->valuestring);
			if (ret < 0)
				goto done;
			continue;
		}
		if ((ret = gate_strv_push_unique(&r->requirements, it->valuestring)) < 0)
			goto done;
	}
	perf = sdl_json_arr(doc, "performed_by");
	if (perf && cJSON_GetArraySize(perf) > 0) {
		r->performers = sdl_calloc((size_t)cJSON_GetArraySize(perf), sizeof(*r->performers));
		if (!r->performers) {
			ret = SDL_ENOMEM;
			goto done;
		}
		cJSON_ArrayForEach(it, perf) {
			if ((ret = load_person(&r->performers[r->nperformers++], it)) < 0)
				goto done;
		}
	}
	if ((ret = load_person(&r->approver, sdl_json_obj(doc, "approved_by"))) < 0)
		goto done;
	subj = sdl_json_obj(doc, "subject");
	if (subj && (ret = dup_or_null(&r->subject_component, sdl_json_str(subj, "component"))) < 0)
		goto done;

	/* completeness (section 0.1 fields the gate relies on) */
	if (!r->record_id || !r->activity || !r->outcome || !r->requirements.n ||
	    !r->nperformers || !r->approver.identity || !sdl_json_str(doc, "performed_at") ||
	    !sdl_json_str(doc, "approved_at") || !sdl_json_str(doc, "valid_until"))
		ret = set_why(&r->invalid_why,
			      "is incomplete (record_id, requirements, activity, performed_by, performed_at, outcome, approved_by.identity, approved_at, valid_until)");
	for (size_t i = 0; ret == 0 && i < r->nperformers; i++)
		if (!r->performers[i].identity || !r->performers[i].name)
			ret = set_why(&r->invalid_why, "has a performer without name and identity");
	if (ret < 0)
		goto done;
	if (!r->invalid_why) {
		if ((t = sdl_json_str(doc, "performed_at"), gate_parse_time(&r->performed_at, t) < 0) ||
		    (t = sdl_json_str(doc, "approved_at"), gate_parse_time(&r->approved_at, t) < 0) ||
		    (t = sdl_json_str(doc, "valid_until"), gate_parse_time(&r->valid_until, t) < 0))
			ret = set_why(&r->invalid_why, "has a malformed date '%s'", t);
		else if (r->valid_until <= ev->now)
			ret = set_why(&r->invalid_why, "expired on %s", sdl_json_str(doc, "valid_until"));
		else if (r->performed_at > ev->now || r->approved_at > ev->now)
			ret = set_why(&r->invalid_why, "is dated in the future");
		else if (r->approved_at < r->performed_at)
			ret = set_why(&r->invalid_why, "was approved before it was performed");
		else if (strcmp(r->outcome, "pass") != 0)
			ret = set_why(&r->invalid_why, "has outcome '%s', not 'pass'", r->outcome);
		if (ret < 0)
			goto done;
	}
	if (!r->invalid_why && (ret = check_inputs(ev, r, sdl_json_arr(doc, "inputs"))) < 0)
		goto done;
	if (!r->invalid_why && (ret = check_committed(ev, r, rel, &raw)) < 0)
		goto done;
	if (!r->invalid_why &&
	    (ret = check_signature(ev, r, rel, abspath, &raw, sdl_json_str(doc, "signature"))) < 0)
		goto done;
	r->valid = !r->invalid_why;
	ret = 0;
done:
	cJSON_Delete(doc);
	sdl_buf_release(&raw);
	return ret;
}

struct walk_ctx {
	struct gate_strv files;
};

static int collect_json(const struct sdl_walk_entry *e, void *payload)
{
	struct walk_ctx *w = payload;
	size_t n = strlen(e->name);
	if (e->type == SDL_WALK_SYMLINK)
		return sdl_error_set(SDL_EINVAL, "%s: symbolic link in the records directory",
				     e->path);
	if (e->type != SDL_WALK_FILE || n < 6 || strcmp(e->name + n - 5, ".json") != 0)
		return 0;
	if (w->files.n >= GATE_MAX_RECORDS)
		return sdl_error_set(SDL_ELIMIT, "more than %d records", GATE_MAX_RECORDS);
	return gate_strv_push(&w->files, e->path);
}

int gate_collect_records(struct gate_eval *ev)
{
	struct sdl_buf dir = SDL_BUF_INIT, rel = SDL_BUF_INIT, abs = SDL_BUF_INIT;
	struct gate_check *chk = gate_check_get(ev, "records.valid");
	struct walk_ctx w = { { 0 } };
	int ret;

	if (!chk)
		return SDL_ENOMEM;
	if (!ev->project.attestations) {
		ret = gate_check_set(chk, GATE_CHECK_MISSING, "no attestation directory configured");
		goto done;
	}
	if ((ret = gate_repo_path(&dir, ev, ev->project.attestations)) < 0)
		goto done;
	if (!sdl_fs_is_dir(dir.ptr)) {
		ret = gate_check_set(chk, GATE_CHECK_MISSING, "no attestation directory %s",
				     ev->project.attestations);
		goto done;
	}
	if ((ret = sdl_fs_walk(dir.ptr, 0, collect_json, &w)) < 0) {
		ret = sdl_error_wrap(ret, "%s", ev->project.attestations);
		goto done;
	}
	if (w.files.n) {
		ev->records = sdl_calloc(w.files.n, sizeof(*ev->records));
		if (!ev->records) {
			ret = SDL_ENOMEM;
			goto done;
		}
	}
	for (size_t i = 0; i < w.files.n; i++) {
		struct gate_record *r = &ev->records[ev->nrecords++];
		const char *name;
		sdl_buf_clear(&rel);
		if ((ret = sdl_buf_printf(&rel, "%s/%s", ev->project.attestations, w.files.v[i])) < 0 ||
		    (ret = gate_repo_path(&abs, ev, rel.ptr)) < 0)
			goto done;
		if ((ret = load_record(ev, r, rel.ptr, abs.ptr)) < 0)
			goto done;
		if ((ret = gate_input_add(ev, rel.ptr, &name)) < 0 ||
		    (ret = gate_check_file(chk, name)) < 0)
			goto done;
		if (!r->valid &&
		    (ret = gate_check_violation(chk, r->record_id ? r->record_id : rel.ptr, rel.ptr, 0,
						"record %s %s", r->record_id ? r->record_id : rel.ptr,
						r->invalid_why)) < 0)
			goto done;
	}
	ret = gate_check_set(chk, GATE_CHECK_PASS, "%zu record(s) read from %s", ev->nrecords,
			     ev->project.attestations);
done:
	gate_strv_release(&w.files);
	sdl_buf_release(&dir);
	sdl_buf_release(&rel);
	sdl_buf_release(&abs);
	return ret;
}

/* ---------------- people.training (SM-4) ---------------- */

static int person_in(const struct gate_person *p, size_t n, const char *identity)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].identity && identity && !strcasecmp(p[i].identity, identity))
			return 1;
	return 0;
}

int gate_collect_training(struct gate_eval *ev)
{
	struct gate_check *c = gate_check_get(ev, "people.training");
	struct gate_strv people = { 0 };
	int ret = 0;
	if (!c)
		return SDL_ENOMEM;
	if (!ev->git) {
		ret = gate_check_set(c, GATE_CHECK_MISSING, "no git history: nobody to check");
		goto done;
	}
	for (size_t i = 0; ret == 0 && i < ev->authors.n; i++)
		ret = gate_strv_push_unique(&people, ev->authors.v[i]);
	for (size_t i = 0; ret == 0 && i < ev->reviewers.n; i++)
		ret = gate_strv_push_unique(&people, ev->reviewers.v[i]);
	if (ret < 0)
		goto done;
	gate_strv_sort(&people);
	for (size_t i = 0; i < people.n; i++) {
		int ok = 0;
		for (size_t k = 0; !ok && k < ev->nrecords; k++) {
			const struct gate_record *r = &ev->records[k];
			if (r->valid && r->activity && !strcmp(r->activity, "training") &&
			    person_in(r->performers, r->nperformers, people.v[i])) {
				ok = 1;
				ret = gate_check_file(c, r->file);
			}
		}
		if (ret == 0 && !ok)
			ret = gate_check_violation(c, people.v[i], NULL, 0,
						   "%s (author or reviewer in the release range) has no current training record",
						   people.v[i]);
		if (ret < 0)
			goto done;
	}
	ret = gate_check_set(c, GATE_CHECK_PASS, "%zu of %zu people with a current training record",
			     people.n - c->nviol, people.n);
done:
	gate_strv_release(&people);
	return ret;
}

/* ---------------- people.roles (SM-2) ---------------- */

static int need_role(struct gate_check *c, const struct gate_strv *known, const char *who,
		     const char *as, const char *file)
{
	for (size_t i = 0; i < known->n; i++)
		if (!strcasecmp(known->v[i], who))
			return 0;
	return gate_check_violation(c, who, file, 0, "%s (%s) holds no role in the roles file", who,
				    as);
}

int gate_collect_roles(struct gate_eval *ev)
{
	struct gate_check *c = gate_check_get(ev, "people.roles");
	struct sdl_buf abs = SDL_BUF_INIT, raw = SDL_BUF_INIT;
	struct gate_strv people = { 0 };
	const char *rel = ev->project.roles, *name, *schema;
	cJSON *doc = NULL;
	const cJSON *role, *p, *r;
	size_t nroles = 0;
	int ret;

	if (!c)
		return SDL_ENOMEM;
	ret = rel ? gate_evidence_locate(&abs, ev, rel, "roles file") : 0;
	if (ret <= 0) {
		if (ret == 0)
			ret = gate_check_set(c, GATE_CHECK_MISSING, "no roles file at %s",
					     rel ? rel : "(none configured)");
		goto done;
	}
	if ((ret = gate_json_load(&doc, &raw, abs.ptr, RECORD_MAX_BYTES)) < 0)
		goto done;
	schema = sdl_json_str(doc, "schema");
	if (!schema || strcmp(schema, "sdl-gate-roles/1") != 0 || !sdl_json_arr(doc, "roles")) {
		ret = sdl_error_set(SDL_EINVAL,
				    "%s: not a roles file (\"schema\": \"sdl-gate-roles/1\", \"roles\")", rel);
		goto done;
	}
	if ((ret = gate_input_add(ev, rel, &name)) < 0 || (ret = gate_check_file(c, name)) < 0)
		goto done;
	cJSON_ArrayForEach(role, sdl_json_arr(doc, "roles")) {
		const char *title = sdl_json_str(role, "role");
		nroles++;
		if (!title || !sdl_json_arr(role, "people") ||
		    !cJSON_GetArraySize(sdl_json_arr(role, "people"))) {
			ret = gate_check_violation(c, NULL, rel, 0,
						   "role #%zu has no \"role\" name or no \"people\"", nroles);
			if (ret < 0)
				goto done;
			continue;
		}
		cJSON_ArrayForEach(p, sdl_json_arr(role, "people"))
			if (cJSON_IsString(p) && (ret = gate_strv_push_unique(&people, p->valuestring)) < 0)
				goto done;
		cJSON_ArrayForEach(r, sdl_json_arr(role, "responsible_for")) {
			if (cJSON_IsString(r) && !gate_catalog_find(&ev->catalog, r->valuestring) &&
			    (ret = gate_check_violation(c, NULL, rel, 0,
							"role %s is responsible for unknown requirement %s",
							title, r->valuestring)) < 0)
				goto done;
		}
	}
	for (size_t i = 0; i < ev->authors.n; i++)
		if ((ret = need_role(c, &people, ev->authors.v[i], "author in the release range", NULL)) < 0)
			goto done;
	for (size_t i = 0; i < ev->reviewers.n; i++)
		if ((ret = need_role(c, &people, ev->reviewers.v[i], "reviewer in the release range", NULL)) < 0)
			goto done;
	for (size_t i = 0; i < ev->nrecords; i++) {
		const struct gate_record *rec = &ev->records[i];
		if (!rec->valid || (rec->activity && !strcmp(rec->activity, "training")))
			continue;
		for (size_t k = 0; k < rec->nperformers; k++)
			if ((ret = need_role(c, &people, rec->performers[k].identity,
					     "performer of a record", rec->file)) < 0)
				goto done;
		if ((ret = need_role(c, &people, rec->approver.identity, "approver of a record",
				     rec->file)) < 0)
			goto done;
	}
	ret = gate_check_set(c, GATE_CHECK_PASS, "%zu role(s), %zu people named in %s", nroles,
			     people.n, rel);
done:
	cJSON_Delete(doc);
	gate_strv_release(&people);
	sdl_buf_release(&abs);
	sdl_buf_release(&raw);
	return ret;
}
