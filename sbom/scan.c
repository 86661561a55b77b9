/*
 * The memoised tree scan (scan.h). A node holds what the detectors found in
 * one tree (relative paths) and, per entry that found anything, the node of
 * that entry; nodes are shared between commits. Walking a history, each
 * changed tree is diffed against the previous version of the same folder
 * (like git log --raw's tree diff): unchanged entries keep their results,
 * only subtrees whose id changed are descended into, and the signatures run
 * again only when an entry they read changed (docs/sbom.md "History").
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
	CTX_PRODUCT_SRC = 64,  /* src/ of a root with its own build files: the product itself */
	TAG_MANIFEST = 16,     /* + manifest kind: a parsed manifest blob */
	TAG_SINGLE = 32,       /* | name hash << 8: a single-file check */
	TAG_LINK = 128,        /* | hash of name and depth << 8: a checked symlink */
	TAG_GITLINK = 192,     /* | name hash << 8: a gitlink */
	KID_PRODUCT = 256,     /* node->kidctx: the root has its own build files */
};
/*
 * Memo tags: the low byte says what was computed (tree scan with its
 * context bits, manifest parse, single-file check); where the result depends
 * on the entry's name (the name of an unknown component, the rules a file
 * name selects), a hash of the name fills the upper bits.
 */

struct kid {
	const char *name;       /* interned in the scanner */
	struct sbom_node *node;
	unsigned file;          /* an entry that is not a tree: its results carry its name */
	size_t idx;             /* the entry's index in the tree */
};

/*
 * own: what sbom_detect_vendored() found in the tree itself (relpath "" or a
 * file it read), and notes about the tree; kids: per entry, in tree order,
 * the node of each entry that found anything (subtree, manifest, single
 * file, gitlink, symlink). kidctx: the context bits the tree passed to its
 * entries, so that a later version of the tree can reuse the kids of the
 * entries that did not change.
 */
struct sbom_node {
	struct sbom_found own;
	struct kid *kids;
	size_t nkids, capkids;
	unsigned kidctx;
};

static struct sbom_node empty_node;

struct memo {
	git_oid oid;
	uint32_t tag;
	struct sbom_node *node; /* NULL = free slot */
};

/* Open-addressing string set (entry names, names sbom_detect_vendored() reads). */
struct strset {
	char **tab;
	size_t cap, used;
};

/*
 * A tree as git stores it, parsed in place: "<octal mode> <name>\0<20-byte
 * id>" per entry (git's tree object format). The walk reads every changed
 * tree this way; libgit2's parsed git_tree is made only for the detectors
 * that take one (sbom_detect_vendored(), sbom_submodules_resolve()).
 */
struct rent {
	const char *name;
	size_t len;
	git_oid id;
	git_filemode_t mode; /* normalised as git_tree_entry_filemode() does */
};

struct rtree {
	git_oid id;
	git_odb_object *obj; /* the raw object the names point into, or NULL */
	git_tree *tree;      /* libgit2's tree (names point into it when obj is NULL), or NULL */
	struct rent *e;
	size_t n;
};

static git_filemode_t norm_mode(unsigned long m)
{
	if ((m & 0170000) == 0040000)
		return GIT_FILEMODE_TREE;
	if (m & 0100)
		return GIT_FILEMODE_BLOB_EXECUTABLE;
	if ((m & 0170000) == 0160000)
		return GIT_FILEMODE_COMMIT;
	if ((m & 0170000) == 0120000)
		return GIT_FILEMODE_LINK;
	return GIT_FILEMODE_BLOB;
}

static void rtree_free(struct rtree *t)
{
	if (!t)
		return;
	git_odb_object_free(t->obj);
	git_tree_free(t->tree);
	sdl_free(t->e);
	sdl_free(t);
}

static int rtree_grow(struct rtree *t, size_t *cap)
{
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct rent *e = sdl_reallocarray(t->e, ncap, sizeof(*e));
		if (!e)
			return SDL_ENOMEM;
		t->e = e;
		*cap = ncap;
	}
	return 0;
}

/*
 * The tree with this id from the object database, parsed in place. 1 when
 * it is missing, not a tree or malformed (as libgit2 would refuse it).
 */
static int rtree_read(struct rtree **out, git_odb *odb, const git_oid *id)
{
	struct rtree *t = sdl_calloc(1, sizeof(*t));
	const char *p, *end;
	size_t cap = 0;
	int rc;
	*out = NULL;
	if (!t)
		return SDL_ENOMEM;
	git_oid_cpy(&t->id, id);
	if (git_odb_read(&t->obj, odb, id) < 0 || git_odb_object_type(t->obj) != GIT_OBJECT_TREE)
		goto bad;
	p = git_odb_object_data(t->obj);
	end = p + git_odb_object_size(t->obj);
	while (p < end) {
		unsigned long mode = 0;
		const char *nul, *start = p;
		while (p < end && *p >= '0' && *p <= '7' && mode <= 0xFFFF)
			mode = mode * 8 + (unsigned long)(*p++ - '0');
		if (p == start || mode > 0xFFFF || p >= end || *p++ != ' ' ||
		    !(nul = memchr(p, '\0', (size_t)(end - p))) || nul == p ||
		    (size_t)(end - (nul + 1)) < GIT_OID_RAWSZ)
			goto bad;
		if ((rc = rtree_grow(t, &cap)) < 0) {
			rtree_free(t);
			return rc;
		}
		t->e[t->n].name = p;
		t->e[t->n].len = (size_t)(nul - p);
		git_oid_fromraw(&t->e[t->n].id, (const unsigned char *)nul + 1);
		t->e[t->n].mode = norm_mode(mode);
		t->n++;
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	*out = t;
	return 0;
bad:
	git_error_clear();
	rtree_free(t);
	return 1;
}

/* The tree through libgit2 (for the detectors), with its entries as rents. 1 when unreadable. */
static int rtree_lookup(struct rtree **out, git_repository *repo, const git_oid *id)
{
	struct rtree *t = sdl_calloc(1, sizeof(*t));
	size_t cap = 0, i, count;
	int rc;
	*out = NULL;
	if (!t)
		return SDL_ENOMEM;
	git_oid_cpy(&t->id, id);
	if (git_tree_lookup(&t->tree, repo, id) < 0) {
		git_error_clear();
		rtree_free(t);
		return 1;
	}
	count = git_tree_entrycount(t->tree);
	for (i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t->tree, i);
		if ((rc = rtree_grow(t, &cap)) < 0) {
			rtree_free(t);
			return rc;
		}
		t->e[t->n].name = git_tree_entry_name(e);
		t->e[t->n].len = strlen(t->e[t->n].name);
		git_oid_cpy(&t->e[t->n].id, git_tree_entry_id(e));
		t->e[t->n].mode = git_tree_entry_filemode(e);
		t->n++;
	}
	*out = t;
	return 0;
}

/* libgit2's parsed tree of t, made on first use; NULL when it cannot be read. */
static const git_tree *rtree_git(struct rtree *t, git_repository *repo)
{
	if (!t->tree && git_tree_lookup(&t->tree, repo, &t->id) < 0) {
		t->tree = NULL;
		git_error_clear();
	}
	return t->tree;
}

static const struct rent *rtree_byname(const struct rtree *t, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].len == len && !memcmp(t->e[i].name, name, len))
			return &t->e[i];
	return NULL;
}

#define TREEMAP_MAX ((size_t)1 << 16)

struct treemap {
	struct tm_slot {
		git_oid oid;
		struct rtree *tree; /* owned; NULL = free */
	} *tab;
	size_t cap, used;
};

struct sbom_scanner {
	struct sbom_ctx ctx;
	struct memo *tab;
	size_t cap, used;
	struct strset names;    /* interned entry names of kids */
	struct strset relevant; /* sbom_vendored_names() */
	struct treemap trees;   /* latest version of each scanned tree */
	struct sbom_textcache *texts; /* memo of file facts for sbom_detect_vendored_memo() */
	git_oid last_root;      /* root tree of the previous sbom_scan_commit() */
	int have_last_root;
	const struct sbom_node *last_node; /* ... and its node */
	git_oid last_gm;        /* ... and its .gitmodules */
	int have_last_gm;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static size_t strset_slot(const struct strset *t, const char *s, size_t len)
{
	size_t i = hash_bytes(s, len) & (t->cap - 1);
	while (t->tab[i] && (strncmp(t->tab[i], s, len) || t->tab[i][len]))
		i = (i + 1) & (t->cap - 1);
	return i;
}

/* The set's copy of s[0..len), added if new; NULL only when out of memory. */
static const char *strset_add(struct strset *t, const char *s, size_t len)
{
	size_t i;
	if ((t->used + 1) * 2 > t->cap) {
		struct strset n = { NULL, t->cap ? t->cap * 2 : 256, t->used };
		if (!(n.tab = sdl_calloc(n.cap, sizeof(*n.tab))))
			return NULL;
		for (size_t j = 0; j < t->cap; j++)
			if (t->tab[j])
				n.tab[strset_slot(&n, t->tab[j], strlen(t->tab[j]))] = t->tab[j];
		sdl_free(t->tab);
		*t = n;
	}
	i = strset_slot(t, s, len);
	if (!t->tab[i]) {
		if (!(t->tab[i] = sdl_strndup(s, len)))
			return NULL;
		t->used++;
	}
	return t->tab[i];
}

static int strset_has(const struct strset *t, const char *s)
{
	return t->cap && t->tab[strset_slot(t, s, strlen(s))] != NULL;
}

static void strset_release(struct strset *t)
{
	for (size_t i = 0; i < t->cap; i++)
		sdl_free(t->tab[i]);
	sdl_free(t->tab);
	t->tab = NULL;
	t->cap = t->used = 0;
}

/*
 * The latest scanned version of each tree, by id, for the diff against its
 * next version: taken out (and freed) when that version comes. libgit2's own
 * object cache can then stay small: it would otherwise keep every tree of the
 * history. Bounded by TREEMAP_MAX (then emptied: a miss only costs a read).
 */

static size_t tm_home(const struct treemap *m, const git_oid *oid)
{
	uint64_t h;
	memcpy(&h, oid->id, sizeof(h));
	return (size_t)(h & (m->cap - 1));
}

static size_t tm_find(const struct treemap *m, const git_oid *oid)
{
	size_t i = tm_home(m, oid);
	while (m->tab[i].tree && !git_oid_equal(&m->tab[i].oid, oid))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void tm_clear(struct treemap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		rtree_free(m->tab[i].tree);
		m->tab[i].tree = NULL;
	}
	m->used = 0;
}

/* The tree with this id, taken out of the map (the caller frees it); NULL if absent. */
static struct rtree *tm_take(struct treemap *m, const git_oid *oid)
{
	size_t i, j, k;
	struct rtree *t;
	if (!m->cap)
		return NULL;
	i = tm_find(m, oid);
	if (!(t = m->tab[i].tree))
		return NULL;
	m->tab[i].tree = NULL;
	m->used--;
	/* backward-shift deletion keeps every probe chain intact */
	for (j = (i + 1) & (m->cap - 1); m->tab[j].tree; j = (j + 1) & (m->cap - 1)) {
		k = tm_home(m, &m->tab[j].oid);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			m->tab[i] = m->tab[j];
			m->tab[j].tree = NULL;
			i = j;
		}
	}
	return t;
}

/* The tree with this id, left in the map (valid until the map changes); NULL if absent. */
static struct rtree *tm_peek(struct treemap *m, const git_oid *oid)
{
	return m->cap ? m->tab[tm_find(m, oid)].tree : NULL;
}

/* Keep tree (taken over); when it cannot be kept (memory, bound) it is freed. */
static void tm_put(struct treemap *m, struct rtree *tree)
{
	size_t i;
	if (!m->cap) {
		if (!(m->tab = sdl_calloc(1024, sizeof(*m->tab)))) {
			rtree_free(tree);
			return;
		}
		m->cap = 1024;
	}
	if ((m->used + 1) * 2 > m->cap) {
		struct treemap n = { NULL, m->cap * 2, 0 };
		if (m->cap * 2 > TREEMAP_MAX * 2 || !(n.tab = sdl_calloc(n.cap, sizeof(*n.tab)))) {
			tm_clear(m);
		} else {
			for (size_t j = 0; j < m->cap; j++)
				if (m->tab[j].tree) {
					n.tab[tm_find(&n, &m->tab[j].oid)] = m->tab[j];
					n.used++;
				}
			sdl_free(m->tab);
			*m = n;
		}
	}
	i = tm_find(m, &tree->id);
	if (m->tab[i].tree) {
		rtree_free(tree);
		return;
	}
	git_oid_cpy(&m->tab[i].oid, &tree->id);
	m->tab[i].tree = tree;
	m->used++;
}

static void tm_release(struct treemap *m)
{
	if (m->tab)
		tm_clear(m);
	sdl_free(m->tab);
	m->tab = NULL;
	m->cap = 0;
}

static int add_relevant(void *payload, const char *name, size_t len)
{
	return strset_add(payload, name, len) ? 0 : SDL_ENOMEM;
}

static void node_free(struct sbom_node *n)
{
	if (!n || n == &empty_node)
		return;
	sbom_found_release(&n->own);
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
	if (!(s->tab = sdl_calloc(s->cap, sizeof(*s->tab))) ||
	    (rc = sbom_textcache_new(&s->texts)) < 0 ||
	    (rc = sbom_vendored_names(sigs, add_relevant, &s->relevant)) < 0) {
		sbom_scanner_free(s);
		return SDL_ENOMEM;
	}
	*out = s;
	return 0;
}

void sbom_scanner_free(struct sbom_scanner *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->tab && i < s->cap; i++)
		node_free(s->tab[i].node);
	sdl_free(s->tab);
	strset_release(&s->names);
	strset_release(&s->relevant);
	tm_release(&s->trees);
	sbom_textcache_free(s->texts);
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
	return n->own.n == 0 && n->own.nnotes == 0 && n->nkids == 0 && n->kidctx == 0;
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
	return hash_bytes(s, strlen(s));
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

/* Append a kid; name is interned unless it already is (reused from another node). */
static int push_kid(struct sbom_scanner *s, struct sbom_node *n, const char *name, int interned,
		    size_t idx, unsigned file, struct sbom_node *kid)
{
	if (kid == NULL || kid == &empty_node || node_is_empty(kid))
		return 0;
	if (!interned && !(name = strset_add(&s->names, name, strlen(name))))
		return SDL_ENOMEM;
	if (n->nkids == n->capkids) {
		size_t ncap = n->capkids ? n->capkids * 2 : 4;
		struct kid *k = sdl_reallocarray(n->kids, ncap, sizeof(*k));
		if (!k)
			return SDL_ENOMEM;
		n->kids = k;
		n->capkids = ncap;
	}
	n->kids[n->nkids].name = name;
	n->kids[n->nkids].node = kid;
	n->kids[n->nkids].file = file;
	n->kids[n->nkids].idx = idx;
	n->nkids++;
	return 0;
}

/* A symlink in a vendor position whose target leaves the tree. */
static int check_link(struct sbom_node *n, struct sbom_scanner *s, const struct rent *e,
		      const char *name, int depth)
{
	git_blob *b = NULL;
	char target[1024];
	size_t len;
	int rc, ups = 0, level = depth;
	const char *p;
	if ((rc = sbom_blob_load(&b, &s->ctx, &e->id, sizeof(target) - 1, &n->own, name)) != 0)
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
		return sbom_found_note(&n->own, name,
				       "symlink pointing out of the tree (-> %s), not followed", target);
	return sbom_found_note(&n->own, name, "symlink (-> %s) in a vendor folder, not followed", target);
}

/* A gitlink or a checked symlink as a memoised node of its own (results named by the entry). */
static int special_node(struct sbom_node **out, struct sbom_scanner *s, const struct rent *e,
			const char *name, int depth)
{
	int link = e->mode == GIT_FILEMODE_LINK;
	uint32_t tag = link ? TAG_LINK | ((name_hash(name) ^ (uint32_t)depth * 0x9E3779B1u) << 8)
			    : TAG_GITLINK | (name_hash(name) << 8);
	struct sbom_node *n = memo_get(s, &e->id, tag);
	int rc;
	if (n) {
		*out = n;
		return 0;
	}
	if (!(n = sdl_calloc(1, sizeof(*n))))
		return SDL_ENOMEM;
	rc = link ? check_link(n, s, e, name, depth) : sbom_detect_gitlink(&n->own, name, &e->id);
	if (rc < 0) {
		node_free(n);
		return rc;
	}
	n = settle(n);
	*out = n;
	return memo_put(s, &e->id, tag, n);
}

static int scan_tree(struct sbom_node **out, struct sbom_scanner *s, const git_oid *tree_id,
		     const char *dirname, unsigned ctx, int depth, const git_oid *prev_id);

/*
 * What one entry of the tree of n contributes, as a kid of n. prev_sub: the
 * same-name subtree in the previous version of the tree, or NULL.
 */
static int scan_entry(struct sbom_node *n, struct sbom_scanner *s, const struct rent *e,
		      size_t idx, unsigned ctx, int depth, const git_oid *prev_sub)
{
	char name[1024];
	struct sbom_node *kid = NULL;
	unsigned kctx = n->kidctx & CTX_IN_COMPONENT, file = 1;
	int rc = 0, kind;

	if (e->len >= sizeof(name))
		return sbom_found_note(&n->own, "", "not examined: an entry name of %zu bytes", e->len);
	memcpy(name, e->name, e->len);
	name[e->len] = '\0';
	switch (e->mode) {
	case GIT_FILEMODE_TREE:
		if (!strcmp(name, ".git"))
			return 0;
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
		if ((n->kidctx & KID_PRODUCT) && !strcmp(name, "src"))
			kctx |= CTX_PRODUCT_SRC;
		rc = scan_tree(&kid, s, &e->id, name, kctx, depth + 1, prev_sub);
		file = 0;
		break;
	case GIT_FILEMODE_COMMIT:
		rc = special_node(&kid, s, e, name, depth);
		break;
	case GIT_FILEMODE_LINK:
		if ((ctx & (CTX_VENDOR_CHILD | CTX_VENDOR_ROOT)) || sbom_is_vendor_root(name))
			rc = special_node(&kid, s, e, name, depth);
		break;
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		/* a component's own build files describe its dependencies, not ours */
		if (n->kidctx & CTX_IN_COMPONENT)
			break;
		kind = sbom_manifest_kind(name, (ctx & CTX_SUBPROJECTS) != 0);
		if (kind)
			rc = blob_node(&kid, s, &e->id, TAG_MANIFEST + (uint32_t)kind, name,
				       kind);
		else if (sbom_single_file_candidate(s->ctx.sigs, name))
			rc = blob_node(&kid, s, &e->id, TAG_SINGLE | (name_hash(name) << 8),
				       name, 0);
		break;
	default:
		break;
	}
	if (rc < 0)
		return rc;
	return push_kid(s, n, name, 0, idx, file, kid);
}

/*
 * The previous version's entry order against this one's. Equal names pair
 * up; otherwise git's tree order. Trees out of order (a corrupt object) only
 * make entries look added and removed: never wrongly "unchanged".
 */
static int entry_cmp(const struct rent *a, const struct rent *b)
{
	size_t l = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, l), ca, cb;
	if (c || a->len == b->len)
		return c;
	/* git's order: a folder's name sorts as if it ended in '/' */
	ca = a->len > l ? (unsigned char)a->name[l] : a->mode == GIT_FILEMODE_TREE ? '/' : 0;
	cb = b->len > l ? (unsigned char)b->name[l] : b->mode == GIT_FILEMODE_TREE ? '/' : 0;
	return ca - cb;
}

static int entry_same(const struct rent *a, const struct rent *b)
{
	return a->mode == b->mode && !memcmp(a->id.id, b->id.id, GIT_OID_RAWSZ);
}

static int rent_relevant(const struct sbom_scanner *s, const struct rent *e)
{
	char name[256];
	if (e->len >= sizeof(name))
		return 0; /* longer than any name a signature reads */
	memcpy(name, e->name, e->len);
	name[e->len] = '\0';
	return strset_has(&s->relevant, name);
}

/* A product's own build system at the root: its src/ is the product, not a copy. */
static int has_build_files(const struct rtree *root)
{
	static const char *const files[] = { "Makefile", "makefile", "GNUmakefile", "CMakeLists.txt",
					     "configure", "configure.ac", "configure.in", "meson.build",
					     "Makefile.am", "SConstruct", "BUILD.bazel", "build.zig",
					     NULL };
	for (size_t i = 0; files[i]; i++)
		if (rtree_byname(root, files[i]))
			return 1;
	return 0;
}

/* One entry of a changed tree: keep the previous kid, or compute it. */
struct op {
	size_t idx;
	const struct kid *reuse;  /* unchanged entry with a kid: take it */
	const git_oid *prev_sub;  /* changed subtree: its previous version (or NULL) */
};

struct diff {
	struct op *ops;
	size_t n, cap;
	int relevant; /* an entry sbom_detect_vendored() may read was added, removed or changed */
};

static int diff_push(struct diff *d, size_t idx, const struct kid *reuse, const git_oid *prev_sub)
{
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		struct op *o = sdl_reallocarray(d->ops, ncap, sizeof(*o));
		if (!o)
			return SDL_ENOMEM;
		d->ops = o;
		d->cap = ncap;
	}
	d->ops[d->n].idx = idx;
	d->ops[d->n].reuse = reuse;
	d->ops[d->n].prev_sub = prev_sub;
	d->n++;
	return 0;
}

/*
 * Entries of tree against the previous version ptree (whose node is prev):
 * one pass in tree order, as git's tree diff. Unchanged entries without a
 * kid cost nothing further.
 */
static int diff_trees(struct diff *d, const struct sbom_scanner *s, const struct rtree *tree,
		      const struct rtree *ptree, const struct sbom_node *prev)
{
	size_t i = 0, j = 0, pk = 0, np = ptree->n, nn = tree->n;
	int rc = 0;
	while ((j < nn || i < np) && rc >= 0) {
		const struct rent *ne = j < nn ? &tree->e[j] : NULL;
		const struct rent *pe = i < np ? &ptree->e[i] : NULL;
		const struct kid *k;
		int c = !pe ? 1 : !ne ? -1 : entry_cmp(pe, ne);
		if (c < 0) { /* gone */
			if (pk < prev->nkids && prev->kids[pk].idx == i)
				pk++;
			d->relevant |= rent_relevant(s, pe);
			i++;
			continue;
		}
		if (c > 0) { /* new */
			d->relevant |= rent_relevant(s, ne);
			rc = diff_push(d, j++, NULL, NULL);
			continue;
		}
		k = pk < prev->nkids && prev->kids[pk].idx == i ? &prev->kids[pk++] : NULL;
		if (entry_same(pe, ne)) {
			if (k)
				rc = diff_push(d, j, k, NULL);
		} else {
			d->relevant |= rent_relevant(s, ne);
			rc = diff_push(d, j, NULL,
				       pe->mode == GIT_FILEMODE_TREE && ne->mode == GIT_FILEMODE_TREE ? &pe->id
													 : NULL);
		}
		i++;
		j++;
	}
	return rc;
}

/* What sbom_detect_vendored() found in the previous version, for this version (tree_id). */
static int own_from_prev(struct sbom_node *n, const struct sbom_node *prev, const git_oid *tree_id)
{
	size_t i;
	int rc = 0;
	for (i = 0; i < prev->own.n && rc >= 0; i++) {
		struct sbom_component *c = sbom_component_copy(prev->own.items[i].comp);
		if (!c)
			return SDL_ENOMEM;
		/* same files read, same findings; only the tree (and so its digest) differs */
		git_oid_cpy(&c->oid, tree_id);
		sdl_free(c->digest);
		c->digest = NULL;
		rc = sbom_found_add(&n->own, prev->own.items[i].relpath, c);
	}
	for (i = 0; i < prev->own.nnotes && rc >= 0; i++)
		rc = sbom_found_note(&n->own, prev->own.notes[i].path, "%s", prev->own.notes[i].reason);
	return rc;
}

static int scan_tree(struct sbom_node **out, struct sbom_scanner *s, const git_oid *tree_id,
		     const char *dirname, unsigned ctx, int depth, const git_oid *prev_id)
{
	uint32_t tag = ctx | ((ctx & CTX_VENDOR_CHILD) ? name_hash(dirname) << 8 : 0);
	struct sbom_node *n = memo_get(s, tree_id, tag);
	const struct sbom_node *prev = NULL;
	struct rtree *tree = NULL, *ptree = NULL;
	struct diff d = { NULL, 0, 0, 0 };
	int rc = 0, matched = 0, detect = depth > 0 && !(ctx & CTX_PRODUCT_SRC);
	size_t i;

	if (n) {
		*out = n;
		return 0;
	}
	if (!(n = sdl_calloc(1, sizeof(*n))))
		return SDL_ENOMEM;
	/* the previous commit's result for this path, computed in the same context */
	if (prev_id)
		prev = memo_get(s, prev_id, tag);
	/* without a previous version the signatures run: they take libgit2's tree */
	rc = prev || !detect ? rtree_read(&tree, s->ctx.odb, tree_id)
			     : rtree_lookup(&tree, s->ctx.repo, tree_id);
	if (rc < 0)
		goto fail;
	if (rc > 0) {
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
	if (prev && !(ptree = tm_take(&s->trees, prev_id))) {
		if ((rc = rtree_read(&ptree, s->ctx.odb, prev_id)) < 0)
			goto fail;
		if (rc > 0)
			prev = NULL;
	}
	if (prev && (rc = diff_trees(&d, s, tree, ptree, prev)) < 0)
		goto fail;
	if (prev && !d.relevant) {
		/* nothing a signature reads changed: what matched before matches again */
		if ((rc = own_from_prev(n, prev, tree_id)) < 0)
			goto fail;
		matched = prev->own.n > 0;
	} else if (detect) {
		/* the root is the product itself, never a vendored copy of something */
		const git_tree *gt = rtree_git(tree, s->ctx.repo);
		if (!gt) {
			char hex[GIT_OID_HEXSZ + 1];
			git_oid_tostr(hex, sizeof(hex), tree_id);
			rc = sbom_found_note(&n->own, "", "missing or unreadable tree object %s", hex);
			goto store;
		}
		if ((rc = sbom_detect_vendored_memo(
			     &n->own, &s->ctx, s->texts, gt, dirname,
			     (ctx & CTX_VENDOR_CHILD) ? ((ctx & CTX_WEAK_CHILD) ? 2 : 1) : 0, &matched)) < 0)
			goto fail;
	}
	n->kidctx = ((ctx & CTX_IN_COMPONENT) || matched ? CTX_IN_COMPONENT : 0) |
		    (depth == 0 && has_build_files(tree) ? KID_PRODUCT : 0);
	if (prev && prev->kidctx == n->kidctx) {
		/* unchanged entries keep their kids; only the changed ones are examined */
		for (i = 0; i < d.n; i++) {
			const struct op *o = &d.ops[i];
			rc = o->reuse ? push_kid(s, n, o->reuse->name, 1, o->idx, o->reuse->file,
						 o->reuse->node)
				      : scan_entry(n, s, &tree->e[o->idx], o->idx, ctx, depth, o->prev_sub);
			if (rc < 0)
				goto fail;
		}
	} else {
		for (i = 0; i < tree->n; i++)
			if ((rc = scan_entry(n, s, &tree->e[i], i, ctx, depth, NULL)) < 0)
				goto fail;
	}
	rc = 0;
store:
	if (rc < 0)
		goto fail;
	sdl_free(d.ops);
	rtree_free(ptree);
	if (tree) {
		/* no longer needed for the detectors: keep only what the diff reads */
		if (tree->obj && tree->tree) {
			git_tree_free(tree->tree);
			tree->tree = NULL;
		}
		tm_put(&s->trees, tree);
	}
	n = settle(n);
	*out = n;
	return memo_put(s, tree_id, tag, n);
fail:
	sdl_free(d.ops);
	rtree_free(ptree);
	rtree_free(tree);
	node_free(n);
	return rc;
}

/* path = the node's path; each result's relpath is appended and cut off again */
static int add_at(struct sdl_buf *path, const char *rel, size_t *len_out)
{
	size_t len = path->len;
	int rc = 0;
	*len_out = len;
	if (*rel)
		rc = len ? (sdl_buf_putc(path, '/') < 0 ? SDL_ENOMEM : sdl_buf_puts(path, rel))
			 : sdl_buf_puts(path, rel);
	else if (!len)
		rc = sdl_buf_puts(path, ".");
	return rc < 0 ? rc : 0;
}

static int flatten(struct sbom_result *out, const struct sbom_node *n, struct sdl_buf *path,
		   int depth)
{
	size_t i, len;
	int rc = 0;
	if (depth > SBOM_MAX_TREE_DEPTH + 2)
		return 0;
	for (i = 0; i < n->own.n && rc >= 0; i++) {
		if ((rc = add_at(path, n->own.items[i].relpath, &len)) >= 0)
			rc = sbom_result_add_instance(out, path->ptr, n->own.items[i].comp);
		sdl_buf_truncate(path, len);
	}
	for (i = 0; i < n->own.nnotes && rc >= 0; i++) {
		if ((rc = add_at(path, n->own.notes[i].path, &len)) >= 0)
			rc = sbom_result_add_note(out, path->ptr, "%s", n->own.notes[i].reason);
		sdl_buf_truncate(path, len);
	}
	for (i = 0; i < n->nkids && rc >= 0; i++) {
		if (n->kids[i].file) {
			rc = flatten(out, n->kids[i].node, path, depth + 1);
			continue;
		}
		len = path->len;
		if (len)
			rc = sdl_buf_putc(path, '/');
		if (rc >= 0 && (rc = sdl_buf_puts(path, n->kids[i].name)) >= 0)
			rc = flatten(out, n->kids[i].node, path, depth + 1);
		sdl_buf_truncate(path, len);
	}
	return rc < 0 ? rc : 0;
}

static int flatten_root(struct sbom_result *out, const struct sbom_node *root)
{
	struct sdl_buf path = SDL_BUF_INIT;
	int rc = flatten(out, root, &path, 0);
	sdl_buf_release(&path);
	return rc;
}

/* 1 when r holds a gitlink that sbom_submodules_resolve() has to enrich */
static int has_gitlinks(const struct sbom_result *r)
{
	for (size_t i = 0; i < r->ninst; i++)
		if (r->inst[i].comp->kind == SBOM_SUBMODULE && !r->inst[i].comp->detail)
			return 1;
	return 0;
}

/* 1 when a and b find exactly the same (shared nodes and components, same names). */
static int node_same(const struct sbom_node *a, const struct sbom_node *b, int depth)
{
	size_t i;
	if (a == b)
		return 1;
	if (depth > SBOM_MAX_TREE_DEPTH + 2 || a->own.n != b->own.n ||
	    a->own.nnotes != b->own.nnotes || a->nkids != b->nkids)
		return 0;
	for (i = 0; i < a->own.n; i++)
		if (a->own.items[i].comp != b->own.items[i].comp ||
		    strcmp(a->own.items[i].relpath, b->own.items[i].relpath))
			return 0;
	for (i = 0; i < a->own.nnotes; i++)
		if (strcmp(a->own.notes[i].path, b->own.notes[i].path) ||
		    strcmp(a->own.notes[i].reason, b->own.notes[i].reason))
			return 0;
	for (i = 0; i < a->nkids; i++)
		if (a->kids[i].name != b->kids[i].name || a->kids[i].file != b->kids[i].file ||
		    !node_same(a->kids[i].node, b->kids[i].node, depth + 1))
			return 0;
	return 1;
}

int sbom_scan_commit_next(struct sbom_result *out, struct sbom_scanner *s, const git_oid *tree_id,
			  int final, int *same)
{
	struct sbom_node *root = NULL;
	const struct sbom_node *last = s->last_node;
	struct rtree *tree = NULL, *own = NULL;
	git_oid gm;
	int rc, have_gm = 0;
	if (same)
		*same = 0;
	/* consecutive calls (the history walk) diff each tree against the previous commit's */
	if ((rc = scan_tree(&root, s, tree_id, "", 0, 0, s->have_last_root ? &s->last_root : NULL)) < 0)
		return rc;
	git_oid_cpy(&s->last_root, tree_id);
	s->have_last_root = 1;
	s->last_node = root;
	if (!(tree = tm_peek(&s->trees, tree_id))) {
		if ((rc = rtree_read(&own, s->ctx.odb, tree_id)) < 0)
			return rc;
		if (rc > 0)
			return flatten_root(out, root); /* the missing tree is noted by scan_tree */
		tree = own;
	}
	{
		/* .gitmodules enriches the gitlinks found in the tree */
		const struct rent *e = rtree_byname(tree, ".gitmodules");
		if (e) {
			git_oid_cpy(&gm, &e->id);
			have_gm = 1;
		}
	}
	if (same && !final && last && node_same(root, last, 0) && have_gm == s->have_last_gm &&
	    (!have_gm || git_oid_equal(&gm, &s->last_gm))) {
		*same = 1;
		rtree_free(own);
		return 0;
	}
	s->have_last_gm = have_gm;
	if (have_gm)
		git_oid_cpy(&s->last_gm, &gm);
	if ((rc = flatten_root(out, root)) >= 0 && has_gitlinks(out)) {
		const git_tree *gt = rtree_git(tree, s->ctx.repo);
		rc = gt ? sbom_submodules_resolve(out, &s->ctx, gt, final) : 0;
	}
	rtree_free(own);
	return rc;
}

int sbom_scan_commit(struct sbom_result *out, struct sbom_scanner *s, const git_commit *commit,
		     int final)
{
	return sbom_scan_commit_next(out, s, git_commit_tree_id(commit), final, NULL);
}
