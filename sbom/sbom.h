/*
 * sdl-sbom: the in-memory model every detector fills and every emitter reads.
 *
 * A component is what one detector found in one tree: a vendored copy, a
 * single vendored file, a git submodule, a build-manifest declaration or a
 * vendored tree of unknown identity. Components are immutable once built and
 * shared (reference-counted) between the commits whose trees contain them.
 * An instance places a component at a full path in one commit.
 */
#ifndef SDL_SBOM_H
#define SDL_SBOM_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

enum sbom_kind {
	SBOM_VENDORED,    /* a directory recognised by a signature */
	SBOM_SINGLE_FILE, /* one vendored file recognised by a signature */
	SBOM_UNKNOWN,     /* a vendored tree with its own licence/README, no signature */
	SBOM_SUBMODULE,   /* a gitlink + .gitmodules */
	SBOM_MANIFEST,    /* declared in a build manifest (vcpkg, conan, CMake, ...) */
};

/* Limits of the detectors (docs/limits.md). */
#define SBOM_MAX_BLOB ((size_t)16 << 20)   /* largest file read (manifest, header) */
#define SBOM_MAX_TEXT_SCAN ((size_t)1 << 20) /* bytes of a file searched for a version */
#define SBOM_MAX_MANIFEST_ENTRIES 10000  /* declarations per manifest */
#define SBOM_MAX_TREE_DEPTH 64           /* nesting of directories followed */

struct sbom_vuln;

struct sbom_component {
	unsigned refs;
	enum sbom_kind kind;
	char *name;
	char *version;      /* NULL when unknown */
	char *version_from; /* file the version was read from, relative to the component */
	char *supplier;
	char *license;      /* SPDX id or expression, NULL if unknown */
	double license_confidence;
	char *license_from; /* file the licence was matched in, or "signature" */
	char *purl;
	char *cpe;
	char *source_url;   /* where the component comes from (vcs or download) */
	char *hash_alg;     /* declared hash of a manifest download ("SHA-256"), or NULL */
	char *hash_value;
	char *ecosystem;    /* manifest kind: "vcpkg", "conan", "cmake", "meson", ... */
	char *detail;       /* free text: how it was identified */
	double confidence;  /* identity confidence 0..1 */
	git_oid oid;        /* tree (vendored/unknown), blob (single file), commit (submodule) */
	int has_oid;
	char *digest;       /* SHA-512 over the component's files (sbom_digest), or NULL */
};

struct sbom_component *sbom_component_new(enum sbom_kind kind, const char *name);
/* A new component (one reference) with copies of every field of c; NULL when out of memory. */
struct sbom_component *sbom_component_copy(const struct sbom_component *c);
struct sbom_component *sbom_component_ref(struct sbom_component *c);
void sbom_component_unref(struct sbom_component *c);
const char *sbom_kind_name(enum sbom_kind kind);
/* Replace *field with a copy of value (NULL allowed); 0 or SDL_ENOMEM. */
int sbom_set(char **field, const char *value);

/* Something that could not be examined: never silently dropped. */
struct sbom_note {
	char *path;
	char *reason;
};

/*
 * Where an instance sits (scope.c, docs/sbom.md "Scope"): in the product, or
 * under a test / example / documentation tree. Set only on the scanned
 * revision's instances, after the history walk, so caches stay independent
 * of the scope configuration.
 */
enum sbom_scope {
	SBOM_SCOPE_PRODUCT = 0,
	SBOM_SCOPE_TEST, /* tests, fixtures, fuzz corpora: SPDX TEST_DEPENDENCY_OF */
	SBOM_SCOPE_DEV,  /* examples, docs, benchmarks: SPDX DEV_DEPENDENCY_OF */
};

/* A component at a full path within one commit's tree. */
struct sbom_instance {
	char *path; /* for manifests: the manifest file; else the component root */
	struct sbom_component *comp;
	size_t track; /* index into the history tracks, set by the history walk */
	enum sbom_scope scope;
	char *scope_reason; /* "under tests/", NULL in the product; owned */
};

enum sbom_event_type {
	SBOM_EV_INTRODUCED,
	SBOM_EV_VERSION,  /* from -> to: upgrade, downgrade or other change */
	SBOM_EV_MODIFIED, /* files changed without a version change */
	SBOM_EV_MOVED,    /* from path -> to path */
	SBOM_EV_SWITCHED, /* from kind -> to kind (vendored -> manifest ...) */
	SBOM_EV_REMOVED,
};

struct sbom_event {
	enum sbom_event_type type;
	char commit[GIT_OID_HEXSZ + 1];
	int64_t time;  /* commit time, seconds since the epoch */
	char *author;  /* "Name <email>" */
	char *summary; /* commit subject line */
	char *from;    /* version, path or kind before */
	char *to;      /* after */
};

const char *sbom_event_name(enum sbom_event_type t);

/* The lifetime of one component across the walked history. */
struct sbom_track {
	char *name;
	char *path;           /* last path */
	enum sbom_kind kind;  /* last kind */
	int present;          /* present at the last walked commit */
	struct sbom_event *events;
	size_t nevents, capevents;
};

struct sbom_result {
	char *repo_name;
	char commit[GIT_OID_HEXSZ + 1]; /* the scanned revision */
	int64_t commit_time;
	struct sbom_instance *inst; /* components at the scanned revision, sorted by path/name */
	size_t ninst, capinst;
	struct sbom_note *notes;    /* what could not be examined */
	size_t nnotes, capnotes;
	struct sbom_track *tracks;
	size_t ntracks, captracks;
	size_t commits_walked;      /* commits whose trees were examined this run */
	size_t commits_cached;      /* commits taken from the cache */
	int history;                /* history was walked */
	int shallow;                /* the repository is a shallow clone */
	char **excluded;            /* "PATTERN (from ORIGIN): N component(s)": dropped by configuration */
	size_t nexcluded;
	struct sbom_vuln *vulns;    /* filled by sbom_vulns_match() */
	size_t nvulns, capvulns;
};

void sbom_result_init(struct sbom_result *r);
void sbom_result_release(struct sbom_result *r);
int sbom_result_add_note(struct sbom_result *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sbom_result_add_instance(struct sbom_result *r, const char *path, struct sbom_component *c);
/*
 * Sort instances by path then name, drop exact duplicates and copies nested
 * in a same-name component (lua/src inside lua); sort notes.
 */
void sbom_result_sort(struct sbom_result *r);
struct sbom_track *sbom_result_new_track(struct sbom_result *r, size_t *index_out);
int sbom_track_add_event(struct sbom_track *t, enum sbom_event_type type, const git_commit *commit,
			 const char *from, const char *to);

/* Version ordering for up/downgrades: dotted numeric segments, then text. */
int sbom_version_cmp(const char *a, const char *b);

/* Deterministic bom-ref / SPDXID stem for an instance ("zlib@third_party/zlib"). */
int sbom_instance_ref(char **out, const struct sbom_instance *in);

#endif
