/*
 * The detector interface. Detectors read git objects only (never the work
 * tree, never running anything), so the same code serves HEAD and every
 * commit of the history. Each one appends what it found to a sbom_found list,
 * with paths relative to the tree (or the file) it was given; what it could
 * not examine becomes a note, never a silent omission.
 */
#ifndef SDL_SBOM_DETECT_H
#define SDL_SBOM_DETECT_H

#include <git2.h>
#include <stddef.h>

#include "sbom.h"
#include "signatures.h"

struct sbom_found_item {
	char *relpath; /* "" = the tree itself */
	struct sbom_component *comp;
};

struct sbom_found {
	struct sbom_found_item *items;
	size_t n, cap;
	struct sbom_note *notes; /* paths relative like items */
	size_t nnotes, capnotes;
};

void sbom_found_release(struct sbom_found *f);
/* Adds c at relpath; takes over the caller's reference to c, even on failure. */
int sbom_found_add(struct sbom_found *f, const char *relpath, struct sbom_component *c);
int sbom_found_note(struct sbom_found *f, const char *relpath, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct sbom_ctx {
	git_repository *repo;
	git_odb *odb;
	const struct sbom_sigpack *sigs;
};

/*
 * What sbom_detect_vendored() learns from a file (a grep match, a captured
 * version, an identified licence) depends only on the blob id and the
 * pattern: memoised here, with the subtrees signatures looked into last, so
 * that a vendored tree whose other files changed is identified again without
 * reading its unchanged files (the history walk). Owned by the caller.
 */
struct sbom_textcache;
int sbom_textcache_new(struct sbom_textcache **out);
void sbom_textcache_free(struct sbom_textcache *tc);

/*
 * Load a blob for a detector: returns 0 and *out on success; 1 (and a note on
 * f naming relpath) when the blob is missing, too large (> max) or not
 * readable; negative only for allocation failure.
 */
int sbom_blob_load(git_blob **out, struct sbom_ctx *ctx, const git_oid *id, size_t max,
		   struct sbom_found *f, const char *relpath);

/*
 * Vendor-root folder names: 1 for third_party, vendor, deps, ...; 2 for the
 * weak ones (lib, ext, contrib, ...) that usually hold the project's own code;
 * 0 for any other name.
 */
int sbom_is_vendor_root(const char *name);

/*
 * Directory detectors. sbom_detect_vendored() tries every signature on tree;
 * on a match it adds the component (relpath "") and sets *matched. When no
 * signature matches and `vendor_child` is set (tree is a direct child of a
 * vendor root), a tree with its own LICENSE/COPYING/README becomes an
 * unknown-identity component; vendor_child 2 (a weak root such as lib/)
 * needs a LICENSE/COPYING, a README is not enough.
 */
int sbom_detect_vendored(struct sbom_found *f, struct sbom_ctx *ctx, const git_tree *tree,
			 const char *dirname, int vendor_child, int *matched);
/* The same, with a memo of file facts (texts may be NULL). */
int sbom_detect_vendored_memo(struct sbom_found *f, struct sbom_ctx *ctx,
			      struct sbom_textcache *texts, const git_tree *tree, const char *dirname,
			      int vendor_child, int *matched);

/*
 * Every top-level name sbom_detect_vendored() may look at in a tree (the
 * first path component of each signature file, version file, licence file
 * and README it reads), passed to cb as (name, len). A change to any other
 * entry of a tree cannot change what sbom_detect_vendored() finds in it: the
 * history walk uses this to skip the signatures on trees that only changed
 * elsewhere. Stops at and returns cb's first negative result.
 */
int sbom_vendored_names(const struct sbom_sigpack *sigs,
			int (*cb)(void *payload, const char *name, size_t len), void *payload);

/* 1 if some signature has a single-file rule for this file name. */
int sbom_single_file_candidate(const struct sbom_sigpack *sigs, const char *name);
/* A lone vendored file recognised by a single-file rule; adds it at relpath name. */
int sbom_detect_single_file(struct sbom_found *f, struct sbom_ctx *ctx, const char *name,
			    const git_oid *blob);

/* Licence of a component tree from its own LICENSE/COPYING; falls back to the signature. */
int sbom_detect_license(struct sbom_component *c, struct sbom_ctx *ctx, const git_tree *tree,
			const struct sbom_signature *sig);

/*
 * Manifest detectors: sbom_manifest_kind() says which parser a file name
 * (with the flag `in_subprojects` for meson wraps) calls, or 0 for none.
 * sbom_detect_manifest() parses the blob and adds one component per
 * declaration at relpath `name`; a malformed manifest becomes a note.
 */
int sbom_manifest_kind(const char *name, int in_subprojects);
int sbom_detect_manifest(struct sbom_found *f, struct sbom_ctx *ctx, const char *name, int kind,
			 const git_oid *blob);

/*
 * Parsers, one per file: data/len is the manifest text, name its path for
 * messages. They add components at relpath `name`; on malformed input they
 * return SDL_EINVAL with a message naming the line.
 */
int sbom_manifest_vcpkg(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			const char *data, size_t len);
int sbom_manifest_conan(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			const char *data, size_t len);
int sbom_manifest_cmake(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			const char *data, size_t len);
int sbom_manifest_meson_wrap(struct sbom_found *f, const struct sbom_sigpack *sigs,
			     const char *name, const char *data, size_t len);
int sbom_manifest_yaml(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
		       const char *data, size_t len); /* west.yml, idf_component.yml, Mynewt project.yml */
int sbom_manifest_platformio(struct sbom_found *f, const struct sbom_sigpack *sigs,
			     const char *name, const char *data, size_t len);

/*
 * Make a manifest component: name, version (may be NULL), ecosystem, source
 * URL (may be NULL); identity details come from a signature when the name is
 * known. Adds it to f at relpath.
 */
int sbom_manifest_add(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *relpath,
		      const char *ecosystem, const char *name, const char *version,
		      const char *url);

/* A gitlink (submodule) entry; enriched from .gitmodules by sbom_submodules_resolve(). */
int sbom_detect_gitlink(struct sbom_found *f, const char *name, const git_oid *commit);

/* Purl for a git URL and version: pkg:github/owner/repo@v, else NULL. */
int sbom_purl_for_url(char **out, const char *url, const char *version);

#endif
