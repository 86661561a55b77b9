/*
 * sdl-gate collector: git over the release range (libgit2, read only).
 *
 * The range runs from the previous release (project "release.previous", or
 * the newest tag matching "release.tag_pattern" that is an ancestor of the
 * release commit) to the release commit. Checks (docs/gate/git.*.md):
 *   git.reviewed        every commit reviewed by someone other than its
 *                       author: its own Reviewed-by:/Approved-by: trailer,
 *                       or it was brought in by a merge carrying one;
 *   git.signed-commits  every commit carries a signature (gpgsig);
 *   git.signed-tag      an annotated, signed tag marks the release commit.
 * With the policy's "signatures": "verify" (the default), SSH signatures are
 * verified with libcrypto (sshsig.c) against the allowed-signers file, and
 * the signer must be allowed for the committer's (tagger's) e-mail; OpenPGP
 * and X.509 signatures are reported present but not verified, and pass only
 * where the policy accepts that (docs/gate/signatures.md).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/json.h"
#include "lib/banned.h"

int gate_collect_signers(struct gate_eval *ev)
{
	struct sdl_buf abs = SDL_BUF_INIT;
	const char *rel = ev->project.allowed_signers;
	int ret;
	if (!rel)
		return 0;
	ret = gate_evidence_locate(&abs, ev, rel, "allowed-signers file");
	if (ret > 0 && (ret = gate_input_add(ev, rel, NULL)) == 0 &&
	    (ret = gate_signers_load(&ev->signers, abs.ptr, rel)) == 0)
		ev->have_signers = 1;
	sdl_buf_release(&abs);
	return ret < 0 ? ret : 0;
}

/*
 * Whoever can change the allowed signers decides who may sign: a change
 * inside the release range is worth a reviewer's look, so it is a warning.
 */
static int signers_changed(struct gate_eval *ev, const git_oid *prev)
{
	const char *rel = ev->project.allowed_signers;
	git_commit *p = NULL;
	long long t;
	int ret;
	if (rel[0] == '/')
		return 0;
	ret = gate_git_last_change(ev, rel, &t);
	if (ret == SDL_ENOTFOUND) {
		sdl_error_clear();
		return gate_warn(ev, "%s is not committed at the release commit: the signers it allows are not reviewed history",
				 rel);
	}
	if (ret < 0)
		return ret;
	if (git_commit_lookup(&p, ev->git, prev) < 0)
		return sdl_git_error(-1, "reading the previous release");
	if (t > (long long)git_commit_time(p))
		ret = gate_warn(ev, "%s changed in this release range: check who was allowed to sign",
				rel);
	git_commit_free(p);
	return ret;
}

/* The e-mail inside "Name <mail>", lowercased into out; else the whole value. */
static void identity_of(char *out, size_t size, const char *value)
{
	const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t n, i;
	if (lt && gt && gt > lt + 1) {
		value = lt + 1;
		n = (size_t)(gt - lt - 1);
	} else {
		while (*value == ' ')
			value++;
		n = strlen(value);
		while (n && value[n - 1] == ' ')
			n--;
	}
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)((value[i] >= 'A' && value[i] <= 'Z') ? value[i] + 32 : value[i]);
	out[n] = 0;
}

static void author_identity(char *out, size_t size, const git_commit *c)
{
	const git_signature *a = git_commit_author(c);
	identity_of(out, size, a && a->email && *a->email ? a->email : (a ? a->name : "?"));
}

/*
 * 1 if the message has a Reviewed-by/Approved-by trailer naming someone not
 * in `authors`; reviewers are added to ev->reviewers.
 */
static int reviewed_by_other(struct gate_eval *ev, const char *message,
			     const struct gate_strv *authors, int *out)
{
	git_message_trailer_array arr = { 0 };
	int ret = 0;
	*out = 0;
	if (git_message_trailers(&arr, message) < 0)
		return 0; /* no parsable trailers */
	for (size_t i = 0; i < arr.count; i++) {
		char who[256];
		if (strcasecmp(arr.trailers[i].key, "Reviewed-by") != 0 &&
		    strcasecmp(arr.trailers[i].key, "Approved-by") != 0)
			continue;
		identity_of(who, sizeof(who), arr.trailers[i].value);
		if (!who[0] || gate_strv_has(authors, who))
			continue;
		*out = 1;
		if ((ret = gate_strv_push_unique(&ev->reviewers, who)) < 0)
			break;
	}
	git_message_trailer_array_free(&arr);
	return ret;
}

static int co_authors(struct gate_strv *out, const char *message)
{
	git_message_trailer_array arr = { 0 };
	int ret = 0;
	if (git_message_trailers(&arr, message) < 0)
		return 0;
	for (size_t i = 0; i < arr.count; i++) {
		char who[256];
		if (strcasecmp(arr.trailers[i].key, "Co-authored-by") != 0)
			continue;
		identity_of(who, sizeof(who), arr.trailers[i].value);
		if (who[0] && (ret = gate_strv_push_unique(out, who)) < 0)
			break;
	}
	git_message_trailer_array_free(&arr);
	return ret;
}

static int find_previous(struct gate_eval *ev, const git_oid *release, git_oid *prev, int *found)
{
	git_strarray tags = { 0 };
	git_time_t best = 0;
	int ret = 0;
	*found = 0;
	if (ev->project.previous) {
		git_commit *c = NULL;
		if ((ret = sdl_git_resolve_commit(&c, ev->git, ev->project.previous)) < 0)
			return sdl_error_wrap(ret, "previous release '%s'", ev->project.previous);
		git_oid_cpy(prev, git_commit_id(c));
		git_commit_free(c);
		*found = 1;
		ev->previous_ref = sdl_strdup(ev->project.previous);
		return ev->previous_ref ? 0 : SDL_ENOMEM;
	}
	if (git_tag_list_match(&tags, ev->project.tag_pattern, ev->git) < 0)
		return sdl_git_error(-1, "listing tags");
	for (size_t i = 0; i < tags.count; i++) {
		char ref[512];
		git_object *obj = NULL;
		git_commit *c = NULL;
		snprintf(ref, sizeof(ref), "refs/tags/%s", tags.strings[i]);
		if (git_revparse_single(&obj, ev->git, ref) < 0)
			continue;
		if (git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) == 0) {
			const git_oid *id = git_commit_id(c);
			if (!git_oid_equal(id, release) &&
			    git_graph_descendant_of(ev->git, release, id) == 1 &&
			    (!*found || git_commit_time(c) > best)) {
				git_oid_cpy(prev, id);
				best = git_commit_time(c);
				*found = 1;
				sdl_free(ev->previous_ref);
				ev->previous_ref = sdl_strdup(tags.strings[i]);
				if (!ev->previous_ref)
					ret = SDL_ENOMEM;
			}
			git_commit_free(c);
		}
		git_object_free(obj);
		if (ret < 0)
			break;
	}
	git_strarray_dispose(&tags);
	return ret;
}

/*
 * Judge one signature over payload: *ok says whether the policy accepts it,
 * state names what it is (for git-range.json), why (when !*ok) says what is
 * wrong in one phrase.
 */
static int judge_signature(const struct gate_eval *ev, const char *sig, size_t slen,
			   const char *payload, size_t plen, const char *identity, long long when,
			   int *ok, const char **state, char *why, size_t whysize)
{
	enum gate_sig_kind kind = gate_sig_kind(sig, slen);
	struct gate_sig_result r;
	int ret;

	*ok = 0;
	why[0] = 0;
	switch (kind) {
	case GATE_SIG_NONE:
		*state = "none";
		snprintf(why, whysize, "not signed");
		return 0;
	case GATE_SIG_UNKNOWN:
		*state = "unknown";
		snprintf(why, whysize, "carries a signature of unknown format");
		return 0;
	case GATE_SIG_OPENPGP:
	case GATE_SIG_X509:
		*state = kind == GATE_SIG_OPENPGP ? "openpgp-unverified" : "x509-unverified";
		*ok = !ev->policy.settings.verify_signatures || ev->policy.settings.accept_openpgp;
		snprintf(why, whysize, "%s signature present, not verified (%s verification not supported; the policy does not accept unverified signatures)",
			 kind == GATE_SIG_OPENPGP ? "OpenPGP" : "X.509",
			 kind == GATE_SIG_OPENPGP ? "OpenPGP" : "X.509");
		return 0;
	case GATE_SIG_SSH:
		break;
	}
	if (!ev->policy.settings.verify_signatures) {
		*state = "ssh-present";
		*ok = 1;
		return 0;
	}
	if (!ev->have_signers) {
		*state = "ssh-unverified";
		snprintf(why, whysize, "SSH signature cannot be verified: no allowed-signers file (%s)",
			 ev->project.allowed_signers ? ev->project.allowed_signers : "none");
		return 0;
	}
	if ((ret = gate_sshsig_check(&r, &ev->signers, sig, slen, payload, plen, "git", identity,
				     when)) < 0)
		return ret;
	if (r.verified) {
		*state = "ssh-verified";
		*ok = 1;
		return 0;
	}
	*state = r.crypto_ok ? "ssh-signer-not-allowed" : "ssh-bad";
	snprintf(why, whysize, "SSH signature by %s key %s rejected for %s: %s",
		 r.keytype[0] ? r.keytype : "an unknown", r.fingerprint[0] ? r.fingerprint : "?",
		 identity, r.why);
	return 0;
}

static void lower_email(char *out, size_t size, const git_signature *s)
{
	identity_of(out, size, s && s->email && *s->email ? s->email : (s ? s->name : "?"));
}

/*
 * An annotated tag object: the signature is appended to the message; the
 * signed payload is the object up to the line where it starts.
 */
static int tag_signature(struct gate_eval *ev, git_tag *t, int *ok, const char **state,
			 char *why, size_t whysize)
{
	git_odb *odb = NULL;
	git_odb_object *obj = NULL;
	const char *data, *sig = NULL;
	static const char *const heads[] = { "\n-----BEGIN SSH SIGNATURE-----",
		"\n-----BEGIN PGP SIGNATURE-----", "\n-----BEGIN SIGNED MESSAGE-----", NULL };
	char who[256];
	size_t len;
	int ret;

	if (git_repository_odb(&odb, ev->git) < 0 || git_odb_read(&obj, odb, git_tag_id(t)) < 0) {
		git_odb_free(odb);
		return sdl_git_error(-1, "reading a tag object");
	}
	data = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	/* as git's parse_signed_buffer(): the last line that opens a signature block */
	for (size_t i = 0; heads[i]; i++) {
		size_t k = strlen(heads[i]);
		for (size_t j = 0; k <= len && j <= len - k; j++)
			if (memcmp(data + j, heads[i], k) == 0 && (!sig || data + j > sig))
				sig = data + j;
	}
	lower_email(who, sizeof(who), git_tag_tagger(t));
	if (!sig)
		ret = judge_signature(ev, NULL, 0, NULL, 0, who, 0, ok, state, why, whysize);
	else
		ret = judge_signature(ev, sig + 1, len - (size_t)(sig + 1 - data), data,
				      (size_t)(sig + 1 - data), who,
				      git_tag_tagger(t) ? (long long)git_tag_tagger(t)->when.time : 0,
				      ok, state, why, whysize);
	git_odb_object_free(obj);
	git_odb_free(odb);
	return ret;
}

static int signed_release_tag(struct gate_eval *ev, const git_oid *release, int *has_tag,
			      int *is_signed, const char **state, char *why, size_t whysize)
{
	git_strarray tags = { 0 };
	int ret = 0;
	*has_tag = *is_signed = 0;
	*state = "none";
	snprintf(why, whysize, "not an annotated, signed tag");
	if (git_tag_list_match(&tags, ev->project.tag_pattern, ev->git) < 0)
		return sdl_git_error(-1, "listing tags");
	for (size_t i = 0; ret == 0 && !*is_signed && i < tags.count; i++) {
		char ref[512], w[512];
		git_object *obj = NULL, *peeled = NULL;
		snprintf(ref, sizeof(ref), "refs/tags/%s", tags.strings[i]);
		if (git_revparse_single(&obj, ev->git, ref) < 0)
			continue;
		if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0 &&
		    git_oid_equal(git_object_id(peeled), release)) {
			*has_tag = 1;
			if (git_object_type(obj) == GIT_OBJECT_TAG) {
				const char *st = "none";
				int ok = 0;
				ret = tag_signature(ev, (git_tag *)obj, &ok, &st, w, sizeof(w));
				if (ret == 0 && (ok || strcmp(st, "none") != 0)) {
					*is_signed = ok;
					*state = st;
					snprintf(why, whysize, "tag %s: %s", tags.strings[i], w);
				}
			}
		}
		git_object_free(peeled);
		git_object_free(obj);
	}
	git_strarray_dispose(&tags);
	return ret;
}

/* Mark every commit merged by merge m (reachable from its other parents, not its first). */
static int mark_merged(struct gate_eval *ev, git_commit *m, const git_oid *prev, int has_prev,
		       struct gate_strv *marked)
{
	git_revwalk *w = NULL;
	git_oid id;
	int ret = 0;
	size_t n = 0;
	if (git_revwalk_new(&w, ev->git) < 0)
		return sdl_git_error(-1, "revwalk");
	for (unsigned i = 1; i < git_commit_parentcount(m); i++)
		if (git_revwalk_push(w, git_commit_parent_id(m, i)) < 0)
			goto gerr;
	if (git_revwalk_hide(w, git_commit_parent_id(m, 0)) < 0)
		goto gerr;
	if (has_prev && git_revwalk_hide(w, prev) < 0)
		goto gerr;
	while (git_revwalk_next(&id, w) == 0) {
		char hex[GIT_OID_HEXSZ + 1];
		if (++n > GATE_MAX_COMMITS) {
			ret = sdl_error_set(SDL_ELIMIT, "more than %d commits merged by one merge",
					    GATE_MAX_COMMITS);
			break;
		}
		git_oid_tostr(hex, sizeof(hex), &id);
		if ((ret = gate_strv_push(marked, hex)) < 0) /* a revwalk yields each commit once */
			break;
	}
	git_revwalk_free(w);
	return ret;
gerr:
	git_revwalk_free(w);
	return sdl_git_error(-1, "walking a merge");
}

int gate_collect_git(struct gate_eval *ev)
{
	struct gate_check *rev = gate_check_get(ev, "git.reviewed");
	struct gate_check *sig = gate_check_get(ev, "git.signed-commits");
	struct gate_check *tag = gate_check_get(ev, "git.signed-tag");
	git_commit *release = NULL;
	git_revwalk *walk = NULL;
	git_oid prev, id;
	int has_prev = 0, ret, has_tag, tag_signed;
	struct gate_strv reviewed_merged = { 0 }, commits = { 0 }, sorted = { 0 };
	cJSON *commit_arr = NULL;
	size_t nunreviewed = 0, nunsigned = 0, nverified = 0, nrejected = 0, nunverified = 0;
	const char *tag_state = "none";
	char tag_why[768];

	if (!rev || !sig || !tag)
		return SDL_ENOMEM;
	if (!ev->git) {
		ret = 0;
		if ((ret = gate_check_set(rev, GATE_CHECK_MISSING, "%s is not a git repository",
					  ev->repo)) < 0 ||
		    (ret = gate_check_set(sig, GATE_CHECK_MISSING, "%s is not a git repository",
					  ev->repo)) < 0 ||
		    (ret = gate_check_set(tag, GATE_CHECK_MISSING, "%s is not a git repository",
					  ev->repo)) < 0)
			return ret;
		return 0;
	}
	if ((ret = sdl_git_resolve_commit(&release, ev->git, ev->project.release)) < 0) {
		ret = sdl_error_wrap(ret, "release commit '%s'", ev->project.release);
		goto done;
	}
	git_oid_tostr(ev->release_commit, sizeof(ev->release_commit), git_commit_id(release));
	if ((ret = find_previous(ev, git_commit_id(release), &prev, &has_prev)) < 0)
		goto done;
	if (has_prev)
		git_oid_tostr(ev->previous_commit, sizeof(ev->previous_commit), &prev);

	sdl_json_init();
	if (!(ev->git_range = cJSON_CreateObject()) ||
	    (ret = sdl_json_add_str(ev->git_range, "schema", "sdl-gate-git-range/1")) < 0 ||
	    (ret = sdl_json_add_str(ev->git_range, "release_commit", ev->release_commit)) < 0 ||
	    (ret = sdl_json_add_str(ev->git_range, "previous", ev->previous_ref)) < 0 ||
	    (ret = sdl_json_add_str(ev->git_range, "previous_commit",
				    has_prev ? ev->previous_commit : NULL)) < 0 ||
	    (ret = sdl_json_add(ev->git_range, "commits", (commit_arr = cJSON_CreateArray()))) < 0 ||
	    !commit_arr) {
		ret = sdl_error_set(SDL_ENOMEM, "out of memory");
		goto done;
	}
	if ((ret = gate_check_file(rev, "git-range.json")) < 0 ||
	    (ret = gate_check_file(sig, "git-range.json")) < 0 ||
	    (ret = gate_check_file(tag, "git-range.json")) < 0)
		goto done;
	if (git_revwalk_new(&walk, ev->git) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL) < 0 ||
	    git_revwalk_push(walk, git_commit_id(release)) < 0 ||
	    (has_prev && git_revwalk_hide(walk, &prev) < 0)) {
		ret = sdl_git_error(-1, "walking the release range");
		goto done;
	}
	/* First pass: authors, and the commits brought in by reviewed merges. */
	while (git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		char hex[GIT_OID_HEXSZ + 1], who[256];
		if (ev->ncommits >= GATE_MAX_COMMITS) {
			ret = sdl_error_set(SDL_ELIMIT, "release range has more than %d commits",
					    GATE_MAX_COMMITS);
			goto done;
		}
		if (git_commit_lookup(&c, ev->git, &id) < 0) {
			ret = sdl_git_error(-1, "reading a commit");
			goto done;
		}
		ev->ncommits++;
		git_oid_tostr(hex, sizeof(hex), &id);
		author_identity(who, sizeof(who), c);
		if ((ret = gate_strv_push(&commits, hex)) < 0 ||
		    (ret = gate_strv_push_unique(&ev->authors, who)) < 0 ||
		    (ret = co_authors(&ev->authors, git_commit_message(c))) < 0) {
			git_commit_free(c);
			goto done;
		}
		git_commit_free(c);
	}
	for (size_t i = 0; i < commits.n; i++) {
		git_commit *c = NULL;
		struct gate_strv own = { 0 };
		char who[256];
		int ok = 0;
		git_oid_fromstr(&id, commits.v[i]);
		if (git_commit_lookup(&c, ev->git, &id) < 0) {
			ret = sdl_git_error(-1, "reading a commit");
			goto done;
		}
		author_identity(who, sizeof(who), c);
		ret = gate_strv_push(&own, who);
		if (ret == 0)
			ret = co_authors(&own, git_commit_message(c));
		if (ret == 0 && git_commit_parentcount(c) > 1) {
			struct gate_strv merged = { 0 };
			ret = mark_merged(ev, c, &prev, has_prev, &merged);
			/* the reviewer must not have written any of the merged change */
			for (size_t j = 0; ret == 0 && j < merged.n; j++) {
				git_commit *mc = NULL;
				git_oid mid;
				char mw[256];
				git_oid_fromstr(&mid, merged.v[j]);
				if (git_commit_lookup(&mc, ev->git, &mid) == 0) {
					author_identity(mw, sizeof(mw), mc);
					ret = gate_strv_push_unique(&own, mw);
					git_commit_free(mc);
				}
			}
			if (ret == 0)
				ret = reviewed_by_other(ev, git_commit_message(c), &own, &ok);
			for (size_t j = 0; ret == 0 && ok && j < merged.n; j++)
				ret = gate_strv_push(&reviewed_merged, merged.v[j]);
			gate_strv_release(&merged);
		}
		gate_strv_release(&own);
		git_commit_free(c);
		if (ret < 0)
			goto done;
	}
	gate_strv_sort(&reviewed_merged);
	for (size_t i = 0; i < commits.n; i++)
		if ((ret = gate_strv_push(&sorted, commits.v[i])) < 0)
			goto done;
	gate_strv_sort(&sorted);
	for (size_t i = 0; i < commits.n; i++) {
		git_commit *c = NULL;
		struct gate_strv own = { 0 };
		git_buf s = { 0 }, sd = { 0 };
		char who[256], shorthex[13];
		const char *summary;
		int ok = 0, merged_ok;
		git_oid_fromstr(&id, commits.v[i]);
		if (git_commit_lookup(&c, ev->git, &id) < 0) {
			ret = sdl_git_error(-1, "reading a commit");
			goto done;
		}
		summary = git_commit_summary(c);
		snprintf(shorthex, sizeof(shorthex), "%.12s", commits.v[i]);
		author_identity(who, sizeof(who), c);
		merged_ok = gate_strv_sorted_has(&reviewed_merged, commits.v[i]);
		if ((ret = gate_strv_push(&own, who)) == 0 &&
		    (ret = co_authors(&own, git_commit_message(c))) == 0)
			ret = reviewed_by_other(ev, git_commit_message(c), &own, &ok);
		if (ret == 0 && git_commit_parentcount(c) > 1 && !ok) {
			/* an unreviewed merge is fine only as plain integration of reviewed commits */
			ok = 1;
			for (unsigned p = 1; p < git_commit_parentcount(c); p++) {
				char ph[GIT_OID_HEXSZ + 1];
				git_oid_tostr(ph, sizeof(ph), git_commit_parent_id(c, p));
				if (gate_strv_sorted_has(&sorted, ph))
					ok = 0;
			}
		}
		if (ret == 0 && !ok && !merged_ok) {
			nunreviewed++;
			ret = gate_check_violation(rev, commits.v[i], NULL, 0,
						   "commit %s \"%s\" by %s has no review by another person (no Reviewed-by:/Approved-by: trailer, not merged by a reviewed merge)",
						   shorthex, summary ? summary : "", who);
		}
		if (ret == 0) {
			int rc = git_commit_extract_signature(&s, &sd, ev->git, &id, NULL);
			cJSON *o = cJSON_CreateObject();
			const char *sstate = "none";
			char committer[256], why[512];
			int sig_ok = 0;
			lower_email(committer, sizeof(committer), git_commit_committer(c));
			if (rc == 0)
				ret = judge_signature(ev, s.ptr, s.size, sd.ptr, sd.size, committer,
						      (long long)git_commit_time(c), &sig_ok, &sstate,
						      why, sizeof(why));
			if (ret < 0) {
				cJSON_Delete(o);
			} else if ((ret = sdl_json_add(commit_arr, NULL, o)) == 0 && o &&
			    (ret = sdl_json_add_str(o, "id", commits.v[i])) == 0 &&
			    (ret = sdl_json_add_str(o, "author", who)) == 0 &&
			    (ret = sdl_json_add_str(o, "summary", summary ? summary : "")) == 0 &&
			    (ret = sdl_json_add_num(o, "parents", git_commit_parentcount(c))) == 0 &&
			    (ret = sdl_json_add_bool(o, "reviewed", ok)) == 0 &&
			    (ret = sdl_json_add_bool(o, "merged_by_reviewed_merge", merged_ok)) == 0 &&
			    (ret = sdl_json_add_bool(o, "signed", rc == 0)) == 0 &&
			    (ret = sdl_json_add_str(o, "committer", committer)) == 0)
				ret = sdl_json_add_str(o, "signature", sstate);
			if (ret < 0 || !o) {
				ret = ret < 0 ? ret : SDL_ENOMEM;
			} else if (rc == GIT_ENOTFOUND) {
				nunsigned++;
				ret = gate_check_violation(sig, commits.v[i], NULL, 0,
							   "commit %s \"%s\" is not signed", shorthex,
							   summary ? summary : "");
			} else if (rc < 0) {
				ret = sdl_git_error(rc, "reading a commit signature");
			} else if (!sig_ok) {
				nrejected++;
				ret = gate_check_violation(sig, commits.v[i], NULL, 0,
							   "commit %s \"%s\": %s", shorthex,
							   summary ? summary : "", why);
			} else if (strcmp(sstate, "ssh-verified") == 0) {
				nverified++;
			} else {
				nunverified++;
			}
			git_buf_dispose(&s);
			git_buf_dispose(&sd);
		}
		gate_strv_release(&own);
		git_commit_free(c);
		if (ret < 0)
			goto done;
	}
	gate_strv_sort(&ev->authors);
	gate_strv_sort(&ev->reviewers);
	if ((ret = gate_check_set(rev, GATE_CHECK_PASS,
				  "%zu commit(s) from %s to %.12s, %zu without review", ev->ncommits,
				  has_prev ? ev->previous_ref : "the first commit",
				  ev->release_commit, nunreviewed)) < 0)
		goto done;
	if (ev->policy.settings.verify_signatures)
		ret = gate_check_set(sig, GATE_CHECK_PASS,
				     "%zu commit(s): %zu verified against %s, %zu accepted unverified (OpenPGP/X.509), %zu rejected, %zu unsigned",
				     ev->ncommits, nverified,
				     ev->have_signers ? ev->project.allowed_signers : "no allowed signers",
				     nunverified, nrejected, nunsigned);
	else
		ret = gate_check_set(sig, GATE_CHECK_PASS,
				     "%zu of %zu commit(s) unsigned (the policy asks for signature presence only)",
				     nunsigned, ev->ncommits);
	if (ret < 0)
		goto done;
	if ((ret = signed_release_tag(ev, git_commit_id(release), &has_tag, &tag_signed,
				      &tag_state, tag_why, sizeof(tag_why))) < 0)
		goto done;
	if ((ret = sdl_json_add_bool(ev->git_range, "release_tag", has_tag)) < 0 ||
	    (ret = sdl_json_add_bool(ev->git_range, "release_tag_signed", tag_signed)) < 0 ||
	    (ret = sdl_json_add_str(ev->git_range, "release_tag_signature", tag_state)) < 0)
		goto done;
	if (!has_tag)
		ret = gate_check_violation(tag, ev->release_commit, NULL, 0,
					   "no tag matching '%s' marks the release commit %.12s",
					   ev->project.tag_pattern, ev->release_commit);
	else if (!tag_signed)
		ret = gate_check_violation(tag, ev->release_commit, NULL, 0,
					   "the release tag on %.12s is not accepted: %s",
					   ev->release_commit, tag_why);
	if (ret == 0)
		ret = gate_check_set(tag, GATE_CHECK_PASS, "release tag %s%s%s",
				     has_tag ? "present" : "missing", has_tag ? ", signature: " : "",
				     has_tag ? tag_state : "");
	if (ret == 0 && has_prev && ev->have_signers)
		ret = signers_changed(ev, &prev);
done:
	gate_strv_release(&reviewed_merged);
	gate_strv_release(&commits);
	gate_strv_release(&sorted);
	git_revwalk_free(walk);
	git_commit_free(release);
	return ret;
}

int gate_git_last_change(struct gate_eval *ev, const char *path, long long *out)
{
	git_commit *rel = NULL;
	git_revwalk *walk = NULL;
	git_oid id, blob;
	int ret, have = 0;
	size_t n = 0;

	if (!ev->git)
		return sdl_error_set(SDL_ENOTFOUND, "%s: not a git repository", ev->repo);
	if ((ret = sdl_git_resolve_commit(&rel, ev->git, ev->release_commit[0] ? ev->release_commit
										 : "HEAD")) < 0)
		return ret;
	if (git_revwalk_new(&walk, ev->git) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, git_commit_id(rel)) < 0) {
		ret = sdl_git_error(-1, "walking history");
		goto done;
	}
	git_revwalk_simplify_first_parent(walk);
	ret = sdl_error_set(SDL_ENOTFOUND, "%s is not committed at the release commit", path);
	while (git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		git_tree_entry *e = NULL;
		int present;
		if (++n > GATE_MAX_COMMITS) {
			ret = sdl_error_set(SDL_ELIMIT, "history longer than %d commits", GATE_MAX_COMMITS);
			break;
		}
		if (git_commit_lookup(&c, ev->git, &id) < 0 || git_commit_tree(&t, c) < 0) {
			git_commit_free(c);
			ret = sdl_git_error(-1, "reading history");
			break;
		}
		present = git_tree_entry_bypath(&e, t, path) == 0;
		if (!have) {
			if (!present) {
				git_tree_free(t);
				git_commit_free(c);
				break; /* not in the release commit */
			}
			git_oid_cpy(&blob, git_tree_entry_id(e));
			have = 1;
			*out = (long long)git_commit_time(c);
			ret = 0;
		} else if (!present || !git_oid_equal(&blob, git_tree_entry_id(e))) {
			git_tree_entry_free(e);
			git_tree_free(t);
			git_commit_free(c);
			break; /* the change happened in the commit before this one */
		} else {
			*out = (long long)git_commit_time(c);
		}
		git_tree_entry_free(e);
		git_tree_free(t);
		git_commit_free(c);
	}
	/*
	 * Walking back along first parents, *out ends at the oldest commit that
	 * still has the release content: the commit that introduced it.
	 */
done:
	git_revwalk_free(walk);
	git_commit_free(rel);
	return ret;
}
