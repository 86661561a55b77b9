/*
 * The memoised tree scan (scan.h). A node holds what the detectors found in
 * one tree (relative paths) and references to the nodes of its subtrees that
 * found anything; nodes are shared between commits, so a commit costs only
 * the trees it changed plus a walk over the (few) non-empty nodes.
 */
#include "scan.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/git.h"
#include "lib/banned.h"

enum {
	CTX_VENDOR_CHILD = 1,  /* the tree is a direct child of a vendor root */
	CTX_IN_COMPONENT = 2,  /* inside a recognised component */
	CTX_SUBPROJECTS = 4,   /* the tree is meson's subprojects/ */
	CTX_VENDOR_ROOT = 8,   /* the tree itself is a vendor root */
	CTX_WEAK_ROOT = 16,    /* ... a weak one (lib/, ext/: sbom_is_vendor_root() == 2) */
	CTX_WEAK_CHILD = 32,   /* the tree is a direct child of a weak vendor root */
	TAG_MANIFEST = 16,     /* + manifest kind: a parsed manifest blob */
	TAG_SINGLE = 32,       /* | name hash << 8: a single-file check */
};
/*
 * Memo tags: the low byte says what was computed (tree scan with its
 * context bits, manifest parse, single-file check); where the result depends
 * on the entry's name (the name of an unknown component, the rules a file
 * name selects), a hash of the name fills the upper bits.
 */

struct kid {
	char *name;
	struct sbom_node *node;
};

struct sbom_node {
	struct sbom_found own;
	struct kid *kids;
	size_t nkids;
};

static struct sbom_node empty_node;

struct memo {
	git_oid oid;
	uint32_t tag;
	struct sbom_node *node; /* NULL = free slot */
};

struct sbom_scanner {
	struct sbom_ctx ctx;
	struct memo *tab;
	size_t cap, used;
};

static void node_free(struct sbom_node *n)
{
	if (!n || n == &empty_node)
		return;
	sbom_found_release(&n->own);
	for (size_t i = 0; i < n->nkids; i++)
		sdl_free(n->kids[i].name);
	sdl_free(n->kids);
	sdl_free(n);
}

int sbom_scanner_new(struct sbom_scanner **out, git_repository *repo,
		     const struct sbom_sigpack *sigs)
{
	struct sbom_scanner *s = sdl_calloc(1, sizeof(*s));
	int rc;
	*out = NULL;
	if (!s)
		return SDL_ENOMEM;
	s->ctx.repo = repo;
	s->ctx.sigs = sigs;
	if ((rc = git_repository_odb(&s->ctx.odb, repo)) < 0) {
		sdl_free(s);
		return sdl_git_error(rc, "object database");
	}
	s->cap = 1024;
	if (!(s->tab = sdl_calloc(s->cap, sizeof(*s->tab)))) {
		git_odb_free(s->ctx.odb);
		sdl_free(s);
		return SDL_ENOMEM;
	}
	*out = s;
	return 0;
}

void sbom_scanner_free(struct sbom_scanner *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		node_free(s->tab[i].node);
	sdl_free(s->tab);
	git_odb_free(s->ctx.odb);
	sdl_free(s);
}

static size_t slot_of(const struct sbom_scanner *s, const git_oid *oid, uint32_t tag)
{
	uint64_t h;
	memcpy(&h, oid->id, sizeof(h));
	h ^= (uint64_t)tag * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h & (s->cap - 1));
	while (s->tab[i].node &&
	       (s->tab[i].tag != tag || git_oid_cmp(&s->tab[i].oid, oid)))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static struct sbom_node *memo_get(const struct sbom_scanner *s, const git_oid *oid, uint32_t tag)
{
	return s->tab[slot_of(s, oid, tag)].node;
}

/* Store node (taking it over even on failure). */
static int memo_put(struct sbom_scanner *s, const git_oid *oid, uint32_t tag, struct sbom_node *node)
{
	size_t i;
	if ((s->used + 1) * 2 > s->cap) {
		struct memo *old = s->tab;
		size_t oldcap = s->cap;
		if (s->cap * 2 > SBOM_SCAN_MAX_MEMO * 2) {
			node_free(node);
			return sdl_error_set(SDL_ELIMIT, "more than %zu distinct trees in the history",
					     (size_t)SBOM_SCAN_MAX_MEMO);
		}
		if (!(s->tab = sdl_calloc(oldcap * 2, sizeof(*s->tab)))) {
			s->tab = old;
			node_free(node);
			return SDL_ENOMEM;
		}
		s->cap = oldcap * 2;
		for (size_t j = 0; j < oldcap; j++)
			if (old[j].node)
				s->tab[slot_of(s, &old[j].oid, old[j].tag)] = old[j];
		sdl_free(old);
	}
	i = slot_of(s, oid, tag);
	git_oid_cpy(&s->tab[i].oid, oid);
	s->tab[i].tag = tag;
	s->tab[i].node = node;
	s->used++;
	return 0;
}

static int node_is_empty(const struct sbom_node *n)
{
	return n->own.n == 0 && n->own.nnotes == 0 && n->nkids == 0;
}

/* Keep n if it found something, else free it and use the shared empty node. */
static struct sbom_node *settle(struct sbom_node *n)
{
	if (node_is_empty(n)) {
		node_free(n);
		return &empty_node;
	}
	return n;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int blob_node(struct sbom_node **out, struct sbom_scanner *s, const git_oid *id,
		     uint32_t tag, const char *name, int kind)
{
	struct sbom_node *n = memo_get(s, id, tag);
	int rc;
	if (n) {
		*out = n;
		return 0;
	}
	if (!(n = sdl_calloc(1, sizeof(*n))))
		return SDL_ENOMEM;
	rc = kind ? sbom_detect_manifest(&n->own, &s->ctx, name, kind, id)
		  : sbom_detect_single_file(&n->own, &s->ctx, name, id);
	if (rc < 0) {
		node_free(n);
		return rc;
	}
	n = settle(n);
	*out = n;
	return memo_put(s, id, tag, n);
}

static int add_kid(struct sbom_node *n, const char *name, struct sbom_node *kid)
{
	struct kid *k;
	if (kid == &empty_node || node_is_empty(kid))
		return 0;
	if (!(k = sdl_reallocarray(n->kids, n->nkids + 1, sizeof(*k))))
		return SDL_ENOMEM;
	n->kids = k;
	if (!(k[n->nkids].name = sdl_strdup(name)))
		return SDL_ENOMEM;
	k[n->nkids++].node = kid;
	return 0;
}

/* A symlink in a vendor position whose target leaves the tree. */
static int check_link(struct sbom_node *n, struct sbom_scanner *s, const git_tree_entry *e,
		      int depth)
{
	git_blob *b = NULL;
	char target[1024];
	size_t len;
	int rc, ups = 0, level = depth;
	const char *p;
	if ((rc = sbom_blob_load(&b, &s->ctx, git_tree_entry_id(e), sizeof(target) - 1, &n->own,
				 git_tree_entry_name(e))) != 0)
		return rc < 0 ? rc : 0;
	len = (size_t)git_blob_rawsize(b);
	memcpy(target, git_blob_rawcontent(b), len);
	target[len] = '\0';
	git_blob_free(b);
	for (p = target; *p && *p != '/'; ) {
		if (!strncmp(p, "../", 3) || !strcmp(p, "..")) {
			ups++;
			if (ups > level)
				break;
		}
		p = strchr(p, '/');
		if (!p)
			break;
		p++;
	}
	if (target[0] == '/' || ups > level)
		return sbom_found_note(&n->own, git_tree_entry_name(e),
				       "symlink pointing out of the tree (-> %s), not followed", target);
	return sbom_found_note(&n->own, git_tree_entry_name(e),
			       "symlink (-> %s) in a vendor folder, not followed", target);
}

static uint32_t name_hash(const char *s);

static int scan_tree(struct sbom_node **out, struct sbom_scanner *s, const git_oid *tree_id,
		     const char *dirname, unsigned ctx, int depth)
{
	uint32_t tag = ctx | ((ctx & CTX_VENDOR_CHILD) ? name_hash(dirname) << 8 : 0);
	struct sbom_node *n = memo_get(s, tree_id, tag);
	git_tree *tree = NULL;
	int rc, matched = 0;
	size_t i, count;

	if (n) {
		*out = n;
		return 0;
	}
	if (!(n = sdl_calloc(1, sizeof(*n))))
		return SDL_ENOMEM;
	if (git_tree_lookup(&tree, s->ctx.repo, tree_id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), tree_id);
		rc = sbom_found_note(&n->own, "", "missing or unreadable tree object %s", hex);
		goto store;
	}
	if (depth > SBOM_MAX_TREE_DEPTH) {
		rc = sbom_found_note(&n->own, "", "not examined: deeper than %d directories",
				     SBOM_MAX_TREE_DEPTH);
		goto store;
	}
	/* the root is the product itself, never a vendored copy of something */
	if (depth > 0 && (rc = sbom_detect_vendored(&n->own, &s->ctx, tree, dirname,
						    (ctx & CTX_VENDOR_CHILD) ? ((ctx & CTX_WEAK_CHILD) ? 2 : 1) : 0,
						    &matched)) < 0)
		goto fail;
	count = git_tree_entrycount(tree);
	for (i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		struct sbom_node *kid = NULL;
		unsigned kctx = (ctx | (matched ? CTX_IN_COMPONENT : 0)) & CTX_IN_COMPONENT;
		int kind;

		switch (mode) {
		case GIT_FILEMODE_TREE:
			if (!strcmp(name, ".git"))
				break;
			if (ctx & CTX_VENDOR_ROOT)
				kctx |= CTX_VENDOR_CHILD | ((ctx & CTX_WEAK_ROOT) ? CTX_WEAK_CHILD : 0);
			switch (sbom_is_vendor_root(name)) {
			case 2:
				kctx |= CTX_WEAK_ROOT;
				/* fall through */
			case 1:
				kctx |= CTX_VENDOR_ROOT;
				break;
			default:
				break;
			}
			if (!strcmp(name, "subprojects"))
				kctx |= CTX_SUBPROJECTS;
			if ((rc = scan_tree(&kid, s, git_tree_entry_id(e), name, kctx, depth + 1)) < 0 ||
			    (rc = add_kid(n, name, kid)) < 0)
				goto fail;
			break;
		case GIT_FILEMODE_COMMIT:
			if ((rc = sbom_detect_gitlink(&n->own, name, git_tree_entry_id(e))) < 0)
				goto fail;
			break;
		case GIT_FILEMODE_LINK:
			if ((ctx & (CTX_VENDOR_CHILD | CTX_VENDOR_ROOT)) || sbom_is_vendor_root(name))
				if ((rc = check_link(n, s, e, depth)) < 0)
					goto fail;
			break;
		case GIT_FILEMODE_BLOB:
		case GIT_FILEMODE_BLOB_EXECUTABLE:
			/* a component's own build files describe its dependencies, not ours */
			kind = (ctx & CTX_IN_COMPONENT) || matched
				       ? 0
				       : sbom_manifest_kind(name, (ctx & CTX_SUBPROJECTS) != 0);
			if (kind) {
				if ((rc = blob_node(&kid, s, git_tree_entry_id(e), TAG_MANIFEST + (uint32_t)kind,
						    name, kind)) < 0 ||
				    (rc = add_kid(n, "", kid)) < 0)
					goto fail;
			} else if (!matched && !(ctx & CTX_IN_COMPONENT) &&
				   sbom_single_file_candidate(s->ctx.sigs, name)) {
				if ((rc = blob_node(&kid, s, git_tree_entry_id(e),
						    TAG_SINGLE | (name_hash(name) << 8), name, 0)) < 0 ||
				    (rc = add_kid(n, "", kid)) < 0)
					goto fail;
			}
			break;
		default:
			break;
		}
	}
	rc = 0;
store:
	if (rc < 0)
		goto fail;
	git_tree_free(tree);
	n = settle(n);
	*out = n;
	return memo_put(s, tree_id, tag, n);
fail:
	git_tree_free(tree);
	node_free(n);
	return rc;
}

static int join(struct sdl_buf *b, const char *prefix, const char *rel)
{
	sdl_buf_clear(b);
	if (*prefix && *rel)
		return sdl_buf_printf(b, "%s/%s", prefix, rel);
	return sdl_buf_puts(b, *prefix ? prefix : *rel ? rel : ".");
}

static int flatten(struct sbom_result *out, const struct sbom_node *n, const char *prefix,
		   int depth)
{
	struct sdl_buf b = SDL_BUF_INIT;
	int rc = 0;
	size_t i;
	if (depth > SBOM_MAX_TREE_DEPTH + 2)
		return 0;
	for (i = 0; i < n->own.n && rc >= 0; i++)
		if ((rc = join(&b, prefix, n->own.items[i].relpath)) >= 0)
			rc = sbom_result_add_instance(out, b.ptr, n->own.items[i].comp);
	for (i = 0; i < n->own.nnotes && rc >= 0; i++)
		if ((rc = join(&b, prefix, n->own.notes[i].path)) >= 0)
			rc = sbom_result_add_note(out, b.ptr, "%s", n->own.notes[i].reason);
	for (i = 0; i < n->nkids && rc >= 0; i++) {
		if (!*n->kids[i].name) {
			rc = flatten(out, n->kids[i].node, prefix, depth + 1);
			continue;
		}
		sdl_buf_clear(&b);
		rc = *prefix ? sdl_buf_printf(&b, "%s/%s", prefix, n->kids[i].name)
			     : sdl_buf_puts(&b, n->kids[i].name);
		if (rc >= 0) {
			char *p = sdl_buf_detach(&b, NULL);
			if (!p)
				rc = SDL_ENOMEM;
			else
				rc = flatten(out, n->kids[i].node, p, depth + 1);
			sdl_free(p);
		}
	}
	sdl_buf_release(&b);
	return rc;
}

int sbom_scan_commit(struct sbom_result *out, struct sbom_scanner *s, const git_commit *commit,
		     int final)
{
	struct sbom_node *root = NULL;
	git_tree *tree = NULL;
	int rc;
	if ((rc = scan_tree(&root, s, git_commit_tree_id(commit), "", 0, 0)) < 0)
		return rc;
	if ((rc = flatten(out, root, "", 0)) < 0)
		return rc;
	if (git_commit_tree(&tree, commit) < 0)
		return 0; /* already noted by scan_tree */
	rc = sbom_submodules_resolve(out, &s->ctx, tree, final);
	git_tree_free(tree);
	return rc;
}
