/*
 * sdl-gate: the in-memory model shared by its files.
 *
 * catalog.c   requirement catalogues (rules/catalog/<name>.json), cross-mappings
 * policy.c    the policy: per requirement applicability, checks, attestation
 * project.c   the project file (.sdl-gate.json): where the evidence lives
 * checks.c    the table of known checks, check results and violations
 * collect_*.c one evidence collector each (files and git only, never run anything)
 * decide.c    requirement states and the release decision
 * render_*.c  decision JSON, Markdown, HTML, JUnit, SARIF
 * package.c   evidence package: write, sign, verify
 * evaluate.c  loads everything, runs the collectors, decides
 *
 * Ownership: every struct here owns its strings; *_release() frees them.
 */
#ifndef SDL_GATE_H
#define SDL_GATE_H

#include <cjson/cJSON.h>
#include <git2.h>
#include <stddef.h>
#include <time.h>

#include "lib/buf.h"
#include "lib/hash.h"

/* Limits of the gate's own parsers (docs/gate.md, "Limits"). */
#define GATE_MAX_CATALOG_BYTES ((size_t)4 << 20)
#define GATE_MAX_POLICY_BYTES ((size_t)4 << 20)
#define GATE_MAX_EVIDENCE_BYTES ((size_t)256 << 20)
#define GATE_MAX_DOC_BYTES ((size_t)16 << 20)
#define GATE_MAX_XML_BYTES ((size_t)256 << 20)
#define GATE_MAX_XML_DEPTH 64
#define GATE_MAX_TESTCASES 2000000
#define GATE_MAX_COMMITS 1000000
#define GATE_MAX_RECORDS 100000
#define GATE_MAX_LIST 1000000
#define GATE_MAX_SIGNERS 10000
#define GATE_MAX_SIGNERS_BYTES ((size_t)4 << 20)
#define GATE_MAX_ISSUES 1000000

/* ---------- small helpers (util.c) ---------- */

struct gate_strv {
	char **v;
	size_t n, cap;
};
void gate_strv_release(struct gate_strv *s);
int gate_strv_push(struct gate_strv *s, const char *str);
/* Push unless already present (exact). */
int gate_strv_push_unique(struct gate_strv *s, const char *str);
int gate_strv_has(const struct gate_strv *s, const char *str);
void gate_strv_sort(struct gate_strv *s);
/* Membership in a list sorted by gate_strv_sort(), O(log n). */
int gate_strv_sorted_has(const struct gate_strv *s, const char *str);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+hh:mm|-hh:mm)" into
 * seconds since the epoch (UTC). SDL_EINVAL if malformed.
 */
int gate_parse_time(long long *out, const char *s);
/* "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void gate_format_time(char *buf, size_t size, long long t);

/*
 * "file:line:col" of the first occurrence of needle in data (for semantic
 * errors in JSON documents that cJSON cannot locate). Writes "file" alone
 * when needle is not found.
 */
void gate_locate(char *out, size_t size, const char *file, const char *data, size_t len,
		 const char *needle);

/* Case-insensitive substring search. */
const char *gate_strcasestr(const char *hay, const char *needle);

/*
 * Append s with control characters escaped (\n, \t, \xNN, \u0085, and a
 * doubled backslash): one line of plain text that cannot forge further report
 * lines or carry terminal escapes (CWE-117, CWE-150).
 */
int gate_text_escape(struct sdl_buf *out, const char *s);
/* 1 if s holds a C0/C1 control character or DEL (what gate_text_escape() rewrites). */
int gate_text_needs_escape(const char *s);

/* Read a JSON file with the given size limit; error names the file. */
int gate_json_load(cJSON **out, struct sdl_buf *raw, const char *path, size_t max);

/* ---------- signatures (sshsig.c, docs/gate/signatures.md) ---------- */

/* One entry of an allowed-signers file (git's gpg.ssh.allowedSignersFile). */
struct gate_signer {
	struct gate_strv principals; /* lowercased patterns; '!' negates */
	struct gate_strv namespaces; /* empty: any namespace */
	long long valid_after, valid_before; /* 0: unbounded */
	unsigned char *key;          /* SSH wire-format public key blob */
	size_t keylen;
	unsigned line;
};

struct gate_signers {
	struct gate_signer *v;
	size_t n, cap;
	char *file; /* name used in messages */
};

void gate_signers_release(struct gate_signers *s);
/*
 * Parse an allowed-signers file: "principals [options] keytype base64 [comment]".
 * Options: namespaces="...", valid-after=, valid-before=; cert-authority
 * entries are skipped (certificates are not verified). Malformed lines are
 * SDL_EINVAL naming name:line. On failure *out is released.
 */
int gate_signers_parse(struct gate_signers *out, const char *data, size_t len, const char *name);
int gate_signers_load(struct gate_signers *out, const char *path, const char *name);

enum gate_sig_kind { GATE_SIG_NONE, GATE_SIG_SSH, GATE_SIG_OPENPGP, GATE_SIG_X509, GATE_SIG_UNKNOWN };
/* What kind of armoured signature sig holds. */
enum gate_sig_kind gate_sig_kind(const char *sig, size_t len);
const char *gate_sig_kind_name(enum gate_sig_kind k);
/* 1 if sshsig verification supports this key type. */
int gate_ssh_key_supported(const char *type);
/* "SHA256:<base64>" of an SSH public key blob, as ssh-keygen -l prints it. */
void gate_ssh_fingerprint(char *out, size_t size, const unsigned char *key, size_t keylen);

struct gate_sig_result {
	int crypto_ok;        /* the signature verifies with the key it carries */
	int verified;         /* and an allowed-signers entry names identity for that key */
	unsigned signer_line; /* that entry's line */
	char keytype[32];
	char fingerprint[64];
	char why[160];        /* when not verified: why, one phrase */
};

/*
 * Verify an armoured SSH signature (PROTOCOL.sshsig) over msg in namespace
 * ns, and that allowed (may be NULL: nobody) lets the key sign for identity
 * (an e-mail, compared case-insensitively with the principal patterns) at
 * time when. Returns 0 with the verdict in *out, negative only when out of
 * memory or on an internal failure; malformed signatures are a verdict.
 */
int gate_sshsig_check(struct gate_sig_result *out, const struct gate_signers *allowed,
		      const char *armored, size_t alen, const void *msg, size_t mlen,
		      const char *ns, const char *identity, long long when);

/* ---------- catalogue (catalog.c) ---------- */

struct gate_req {
	char *id;
	char *title;
	char *summary;   /* our own paraphrase */
	char *practice;  /* practice id, e.g. "SM" */
	char automation; /* 'A', 'P' or 'H' */
	struct gate_strv maps_to; /* "catalog-id:REQ-ID" */
};

struct gate_practice {
	char *id;
	char *title;
};

struct gate_catalog {
	char *id;
	char *title;
	char *version;
	char *path;
	char digest[SDL_HASH_HEX_MAX];
	struct gate_practice *practices;
	size_t npractices;
	struct gate_req *reqs;
	size_t nreqs;
};

void gate_catalog_release(struct gate_catalog *c);
/* Load and validate one catalogue file. */
int gate_catalog_load(struct gate_catalog *out, const char *path);
const struct gate_req *gate_catalog_find(const struct gate_catalog *c, const char *id);

/* ---------- policy (policy.c) ---------- */

struct gate_attest_rule {
	int required;
	char *activity;          /* NULL: any activity */
	int four_eyes;           /* approver must differ from every performer */
	int independent;         /* performers must not be authors in the release range */
	long max_age_days;       /* 0: only valid_until counts */
};

struct gate_req_policy {
	char *id;
	int applicable;
	char *reason;            /* why not applicable */
	struct gate_strv checks; /* check ids */
	struct gate_attest_rule attest;
};

struct gate_doc_rule {
	char *name;              /* key, used as check id "doc.<name>" */
	char *title;
	struct gate_strv sections;
	long max_age_days;       /* 0: no freshness window */
	int contact;             /* must name a reporting contact (e-mail or https URL) */
};

struct gate_settings {
	int sarif_level;           /* enum sdl_level: findings at or above fail */
	double vuln_severity;      /* CVSS score at or above which a vulnerability needs VEX/waiver */
	long vuln_data_max_age_days;
	long waiver_max_days;
	int allow_skipped_tests;
	long fuzz_min_seconds;
	char *test_req_pattern;    /* PCRE2 for security requirement ids */
	char *test_threat_pattern; /* PCRE2 for threat / mitigation ids */
	int verify_signatures;     /* 1: SSH signatures must verify; 0: presence only */
	int accept_openpgp;        /* OpenPGP/X.509 signatures (present, not verified) pass */
	int records_signed;        /* every attestation record needs a verified .sig */
	char *security_label;      /* tracker label that marks a security issue */
	long fix_max_days;         /* tracker.metrics: 0 = report only */
};

struct gate_policy {
	char *name;
	char *path;
	char *catalog_id;
	char digest[SDL_HASH_HEX_MAX];
	struct gate_settings settings;
	struct gate_doc_rule *docs;
	size_t ndocs;
	struct gate_req_policy *reqs; /* in catalogue order, one per catalogue requirement */
	size_t nreqs;
};

void gate_policy_release(struct gate_policy *p);
/*
 * Load a policy and check it against the catalogue: unknown requirement ids,
 * unknown checks, missing reasons. Requirements the policy does not name are
 * applicable with no checks (and end "not met: the policy names no evidence").
 */
int gate_policy_load(struct gate_policy *out, const char *path, const struct gate_catalog *cat);
const struct gate_doc_rule *gate_policy_doc(const struct gate_policy *p, const char *name);

/* ---------- project file (project.c) ---------- */

struct gate_doc_loc {
	char *name;
	char *path;
};

struct gate_project {
	char *path;             /* NULL when no project file was found */
	char *policy;           /* path, relative to the repo, or NULL (default policy) */
	struct gate_strv catalogs; /* extra catalogues for cross-mapping */
	struct gate_strv sarif;
	char *compile_db;
	char *sbom;
	struct gate_strv junit;
	struct gate_strv fuzz;
	char *requirements;     /* security requirements file (ids to cover by tests) */
	char *threat_model;     /* threat model file (mitigation ids to cover) */
	char *attestations;     /* directory of human records */
	char *waivers;          /* waiver file */
	char *roles;            /* roles file (SM-2) */
	char *allowed_signers;  /* SSH allowed-signers file */
	char *tracker;          /* issue-tracker export (JSON) */
	char *scoping;          /* scoping file (SM-5) */
	char *release;          /* release commit (rev), default HEAD */
	char *previous;         /* previous release rev; NULL: newest tag matching tag_pattern */
	char *tag_pattern;      /* fnmatch pattern for release tags, default "v*" */
	struct gate_doc_loc *docs;
	size_t ndocs;
	struct gate_strv defaulted; /* evidence paths that came from the defaults, not the user */
};

void gate_project_init(struct gate_project *p);
void gate_project_release(struct gate_project *p);
/* Load path (must exist). Relative paths inside stay relative to the repo root. */
int gate_project_load(struct gate_project *out, const char *path);
/* Fill unset fields with the default locations (docs/gate.md, "Project file"). */
int gate_project_defaults(struct gate_project *p);
const char *gate_project_doc(const struct gate_project *p, const char *name);

/* ---------- checks and their results (checks.c) ---------- */

enum gate_check_state { GATE_CHECK_PASS, GATE_CHECK_FAIL, GATE_CHECK_MISSING };

struct gate_violation {
	char *key;      /* what a waiver names to cover it: fingerprint, CVE id, commit id */
	char *message;
	char *file;     /* evidence file (repo-relative), may be NULL */
	unsigned line;
	char *waiver;   /* id of the waiver covering it, NULL if none */
};

struct gate_check {
	char *id;
	enum gate_check_state state;
	char *summary;
	struct gate_strv files;    /* evidence files it read */
	struct gate_violation *viol;
	size_t nviol, capviol;
	size_t nwaived;
};

struct gate_check_info {
	const char *id;
	const char *title;
};
/* The checks known to this version (doc pages under docs/gate/<id>.md). */
extern const struct gate_check_info gate_known_checks[];
int gate_check_known(const char *id);

/* ---------- evidence inputs (for the package) ---------- */

struct gate_input {
	char *path;    /* absolute or as opened */
	char *name;    /* name inside the package, under inputs/ */
	char sha256[SDL_HASH_HEX_MAX];
};

/* ---------- waivers ---------- */

struct gate_waiver {
	char *id;
	char *requirement; /* waives a requirement, or */
	char *finding;     /* waives one violation (key) */
	char *owner;
	char *approver;
	char *reason;
	long long expires;
	int valid;         /* complete, approver != owner, not expired, within horizon */
	char *invalid_why;
	int used;
};

/* ---------- attestation records ---------- */

struct gate_person {
	char *name;
	char *identity; /* e-mail or key fingerprint, compared case-insensitively */
	char *role;
};

struct gate_record {
	char *file;      /* repo-relative */
	char *record_id;
	char *activity;
	struct gate_strv requirements;
	struct gate_person *performers;
	size_t nperformers;
	struct gate_person approver;
	char *outcome;
	char *subject_component; /* for component reviews */
	long long performed_at, approved_at, valid_until;
	int valid;               /* complete, digests match, not expired */
	char *invalid_why;
};

/* ---------- the whole evaluation ---------- */

enum gate_status { GATE_MET, GATE_NOT_MET, GATE_WAIVED, GATE_ATTESTED, GATE_NA };
const char *gate_status_name(enum gate_status s);

struct gate_reason {
	char *check;   /* check id, "attestation", "waiver", "policy" */
	int ok;
	char *text;
	struct gate_strv files;
};

struct gate_result {
	const struct gate_req *req;
	const struct gate_req_policy *pol;
	enum gate_status status;
	struct gate_reason *reasons;
	size_t nreasons, capreasons;
};

struct gate_xmap {
	const struct gate_catalog *cat;
	const struct gate_req *item;
	enum gate_status status; /* worst of the mapped requirements */
};

struct gate_eval {
	/* configuration */
	char *repo;          /* repo root, '/'-terminated not required */
	long long now;
	struct gate_catalog catalog;
	struct gate_catalog *extra;
	size_t nextra;
	struct gate_policy policy;
	struct gate_project project;
	/* release range */
	git_repository *git;        /* NULL when the repo is not a git repository */
	cJSON *git_range;           /* what the git collector saw; packaged as git-range.json */
	char release_commit[41];
	char previous_commit[41];
	char *previous_ref;
	struct gate_strv authors;   /* identities of authors in the range */
	struct gate_strv reviewers; /* identities of reviewers in the range */
	size_t ncommits;
	/* evidence */
	struct gate_check *checks;
	size_t nchecks, capchecks;
	struct gate_input *inputs;
	size_t ninputs, capinputs;
	struct gate_waiver *waivers;
	size_t nwaivers;
	struct gate_record *records;
	size_t nrecords;
	struct gate_strv warnings;
	struct gate_signers signers; /* allowed signers (empty when there is no file) */
	int have_signers;
	/* decision */
	struct gate_result *results;
	size_t nresults;
	struct gate_xmap *xmaps;
	size_t nxmaps;
	int release;
	size_t counts[5];
};

void gate_eval_init(struct gate_eval *ev);
void gate_eval_release(struct gate_eval *ev);

/* Get or create the result slot of check id (never NULL unless out of memory). */
struct gate_check *gate_check_get(struct gate_eval *ev, const char *id);
const struct gate_check *gate_check_find(const struct gate_eval *ev, const char *id);
/* Record that check read file (repo-relative name). */
int gate_check_file(struct gate_check *c, const char *file);
int gate_check_violation(struct gate_check *c, const char *key, const char *file,
			 unsigned line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int gate_check_set(struct gate_check *c, enum gate_check_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int gate_warn(struct gate_eval *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Register an evidence file the decision used; it goes into the package.
 * rel: path relative to the repo root (or absolute). Hashes it now, so a
 * file that changes between reading and packaging is caught by the package's
 * own check. *name_out (may be NULL) receives the stored repo-relative name.
 */
int gate_input_add(struct gate_eval *ev, const char *rel, const char **name_out);
/*
 * Find an evidence file: 1 if it exists (abs receives its path), 0 if it is
 * absent but was only a default location (the check then reports it
 * missing), SDL_ENOTFOUND if the user named it and it does not exist.
 */
int gate_evidence_locate(struct sdl_buf *abs, const struct gate_eval *ev, const char *rel,
			 const char *what);
/*
 * SDL_EINVAL if the existing file abs (named rel in the repository) resolves,
 * through symbolic links, to a place outside the repository. Absolute rel
 * (from the command line) is not checked.
 */
int gate_repo_confined(const struct gate_eval *ev, const char *rel, const char *abs);
/* Absolute path of a repo-relative path that cannot leave the repo. */
int gate_repo_path(struct sdl_buf *out, const struct gate_eval *ev, const char *rel);

/* Collectors: each returns 0 (results in ev->checks) or a negative error for unusable input. */
int gate_collect_waivers(struct gate_eval *ev);
int gate_collect_records(struct gate_eval *ev);
int gate_collect_git(struct gate_eval *ev);
/* people.training: needs records and git collected first. */
int gate_collect_training(struct gate_eval *ev);
/* people.roles: needs records and git collected first. */
int gate_collect_roles(struct gate_eval *ev);
int gate_collect_sarif(struct gate_eval *ev);
int gate_collect_sbom(struct gate_eval *ev);
/* CVSS v3.0/v3.1 base score of a vector string, or -1 if it is not one. */
double gate_cvss3_base(const char *vector);
int gate_collect_junit(struct gate_eval *ev);
int gate_collect_docs(struct gate_eval *ev);
int gate_collect_fuzz(struct gate_eval *ev);
/* Load the allowed-signers file (before the git and record collectors). */
int gate_collect_signers(struct gate_eval *ev);
/* tracker.*: needs waivers, records and git collected first. */
int gate_collect_tracker(struct gate_eval *ev);
/* scoping.complete (SM-5). */
int gate_collect_scoping(struct gate_eval *ev);

/*
 * Commit time of the newest commit (from the release commit back) that
 * changed path; SDL_ENOTFOUND if the path is not in the release commit.
 */
int gate_git_last_change(struct gate_eval *ev, const char *path, long long *out);

/* Apply finding-level waivers to violations, then decide each requirement. */
int gate_decide(struct gate_eval *ev);

struct gate_options {
	const char *repo;
	const char *project;    /* project file; NULL: <repo>/.sdl-gate.json if present */
	const char *policy;     /* overrides the project file */
	const char *catalog;    /* overrides the default catalogue */
	const char *sarif, *sbom, *junit, *compile_db, *waivers, *attestations;
	const char *release, *previous;
	const char *allowed_signers, *tracker, *scoping;
	long long now;          /* -1: SOURCE_DATE_EPOCH or clock */
};

/* Load catalogue, policy, project, run every collector, decide. */
int gate_evaluate(struct gate_eval *ev, const struct gate_options *opt);

/* Renderers: append to out. */
int gate_render_json(struct sdl_buf *out, const struct gate_eval *ev);
int gate_render_md(struct sdl_buf *out, const struct gate_eval *ev);
int gate_render_html(struct sdl_buf *out, const struct gate_eval *ev, const cJSON *previous);
int gate_render_junit(struct sdl_buf *out, const struct gate_eval *ev);
int gate_render_sarif(struct sdl_buf *out, const struct gate_eval *ev);

/* The package-relative name of an evidence file (NULL for a path outside it). */
const char *gate_input_name(const struct gate_eval *ev, const char *path);

/* Escape for XML/HTML text and attributes. */
int gate_xml_escape(struct sdl_buf *out, const char *s);

/* ---------- evidence package (package.c) ---------- */

/*
 * Write the package directory dir atomically (built beside it, renamed into
 * place; an existing package at dir is replaced only on success). sign_key:
 * PEM Ed25519 private key or NULL. digest_out receives the SHA-256 of
 * manifest.json.
 */
int gate_package_write(const struct gate_eval *ev, const char *dir, const char *sign_key,
		       const cJSON *previous, char digest_out[SDL_HASH_HEX_MAX]);

/*
 * Verify a package: every file listed with the right size and SHA-256, no
 * file added, manifest signature if pubkey is given (or if manifest.sig exists
 * and pubkey is given). Returns 0 if intact, 1 if tampered (problems appended
 * to report, one per line), negative on unusable input.
 */
int gate_package_verify(struct sdl_buf *report, const char *dir, const char *pubkey,
			char digest_out[SDL_HASH_HEX_MAX]);

#endif
