/*
 * Fuzz target: sbom/detect_submodule.c, the .gitmodules reader
 * (gitmodules(5), git-config syntax) behind sbom_submodules_resolve(): the
 * input becomes the .gitmodules blob of a tree in an in-memory object
 * database (libgit2 mempack; nothing is written to disk), and three gitlinks
 * (third_party/zlib, lib/mbedtls, ext/cjson) are resolved against it.
 * Properties: a failure carries one line; every resolved submodule has a
 * non-empty name, a version and a description; one failing allocation fails
 * cleanly.
 */
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "fuzz_sbom.h"
#include "scan.h"

#include "lib/banned.h"

static const char *const gitmodules_paths[] = { "third_party/zlib", "lib/mbedtls", "ext/cjson" };

struct gitmodules_repo {
	git_repository *repo;
	git_odb *odb;
	git_odb_backend *mempack;
	char dir[128];
};

static void gitmodules_repo_cleanup(void);

/* One bare repository per process whose objects live in memory. */
static struct gitmodules_repo *gitmodules_repo(void)
{
	static struct gitmodules_repo g;
	if (!g.repo) {
		git_libgit2_init();
		/* the bare repository's skeleton goes with the scratch directory */
		snprintf(g.dir, sizeof(g.dir), "%s/git", fuzz_scratch_dir());
		if (git_repository_init(&g.repo, g.dir, 1) < 0 ||
		    git_repository_odb(&g.odb, g.repo) < 0 || git_mempack_new(&g.mempack) < 0 ||
		    git_odb_add_backend(g.odb, g.mempack, 999) < 0)
			abort();
		atexit(gitmodules_repo_cleanup);
	}
	return &g;
}

static void gitmodules_repo_cleanup(void)
{
	struct gitmodules_repo *g = gitmodules_repo();
	git_odb_free(g->odb);
	git_repository_free(g->repo);
	git_libgit2_shutdown();
}

static int gitmodules_once(const git_tree *tree, unsigned long fail, unsigned long *nalloc)
{
	struct gitmodules_repo *g = gitmodules_repo();
	struct sbom_ctx ctx = { g->repo, g->odb, sbom_fuzz_sigs() };
	struct sbom_result r;
	git_oid commit;
	int ret = 0;

	sbom_result_init(&r);
	git_oid_fromstr(&commit, "0123456789abcdef0123456789abcdef01234567");
	for (size_t i = 0; i < 3; i++) {
		struct sbom_component *c = sbom_component_new(SBOM_SUBMODULE, gitmodules_paths[i]);
		if (!c || sbom_result_add_instance(&r, gitmodules_paths[i], c) < 0)
			abort();
		git_oid_cpy(&c->oid, &commit);
		c->has_oid = 1;
		sbom_component_unref(c);
	}
	sdl_alloc_fail_at(fail);
	ret = sbom_submodules_resolve(&r, &ctx, tree, 1);
	if (nalloc)
		*nalloc = sdl_alloc_count();
	sdl_alloc_fail_at(0);
	fuzz_check_error(ret);
	if (ret == 0) {
		for (size_t i = 0; i < r.ninst; i++) {
			const struct sbom_component *c = r.inst[i].comp;
			FUZZ_CHECK(c && c->name && c->name[0]);
			FUZZ_CHECK(c->version && c->detail);
		}
	}
	sbom_result_release(&r);
	return ret;
}

SDL_FUZZ_TARGET(sbom_gitmodules)
{
	struct gitmodules_repo *g = gitmodules_repo();
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_oid blob, tid;
	unsigned long nalloc = 0;

	(void)sbom_fuzz_sigs();
	if (git_blob_create_from_buffer(&blob, g->repo, data, size) < 0 ||
	    git_treebuilder_new(&tb, g->repo, NULL) < 0 ||
	    git_treebuilder_insert(NULL, tb, ".gitmodules", &blob, GIT_FILEMODE_BLOB) < 0 ||
	    git_treebuilder_write(&tid, tb) < 0 || git_tree_lookup(&tree, g->repo, &tid) < 0)
		abort();
	gitmodules_once(tree, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gitmodules_once(tree, k, NULL));
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_mempack_reset(g->mempack);
	return 0;
}
