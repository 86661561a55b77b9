/*
 * git helpers on libgit2: open the repository around any path (subdirectory
 * or linked worktree) and read blobs from HEAD, any commit, or the index.
 * Call sdl_git_init() once in main() before any other function here and
 * sdl_git_shutdown() before exiting.
 */
#ifndef SDL_GIT_H
#define SDL_GIT_H

#include <git2.h>
#include <stddef.h>

#include "lib/buf.h"

int sdl_git_init(void);
void sdl_git_shutdown(void);

/*
 * Open the repository containing path (searching upwards, across no
 * filesystem boundary, never above $HOME's parent ceiling). Works from a
 * subdirectory and from a linked worktree. SDL_ENOTFOUND when path is in no
 * repository; SDL_EINVAL for a corrupt one. Free with git_repository_free().
 */
int sdl_git_open(git_repository **out, const char *path);

/*
 * The root of the work tree ('/'-terminated, as libgit2 returns it), or NULL
 * for a bare repository. Owned by the repository.
 */
const char *sdl_git_workdir(git_repository *repo);

/* Special revision meaning "the staged content" for sdl_git_read_blob(). */
#define SDL_GIT_INDEX ":index"

/*
 * Read the blob at `path` ('/'-separated, relative to the repository root) as
 * of `rev`: "HEAD", a branch, tag or commit id (any rev-parse spec naming a
 * commit), or SDL_GIT_INDEX for the index. Appends to out; fails with
 * SDL_ELIMIT past max bytes, SDL_ENOTFOUND if the revision or path does not
 * exist, SDL_EINVAL if the path names a tree or submodule.
 */
int sdl_git_read_blob(struct sdl_buf *out, git_repository *repo, const char *rev,
		      const char *path, size_t max);

/* Resolve rev to a commit; SDL_ENOTFOUND if it names none. Free with git_commit_free(). */
int sdl_git_resolve_commit(git_commit **out, git_repository *repo, const char *rev);

/* Turn the last libgit2 error into our error model, prefixed with `what`. */
int sdl_git_error(int git_rc, const char *what);

#endif
