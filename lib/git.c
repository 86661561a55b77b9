/*
 * git helpers on libgit2 (contract: lib/git.h).
 *
 * Error mapping (sdl_git_error): libgit2 reports a code and a thread-local
 * error with a class. We turn them into our model as follows:
 *
 *   GIT_ENOTFOUND, GIT_EUNBORNBRANCH          -> SDL_ENOTFOUND
 *   GIT_EINVALIDSPEC, GIT_EAMBIGUOUS, GIT_EPEEL,
 *   GIT_EBAREREPO, GIT_EUNMERGED, GIT_EINVALID,
 *   GIT_EOWNER, GIT_EEXISTS, GIT_EDIRECTORY,
 *   GIT_EMISMATCH                              -> SDL_EINVAL  (bad input or
 *                                                 a repository we refuse)
 *   GIT_EBUFS, GIT_PASSTHROUGH, GIT_ITEROVER,
 *   GIT_EUSER                                  -> SDL_EINTERNAL (our misuse)
 *   GIT_ERROR (generic), by error class:
 *     GIT_ERROR_NOMEMORY                       -> SDL_ENOMEM
 *     GIT_ERROR_OS                             -> SDL_EIO
 *     GIT_ERROR_INTERNAL, _THREAD, _CALLBACK   -> SDL_EINTERNAL
 *     anything else (ODB, ZLIB, OBJECT, REFERENCE, INDEX, REPOSITORY,
 *     CONFIG, INVALID ...): the repository's data is damaged or the input
 *     is malformed                             -> SDL_EINVAL
 *   anything else                              -> SDL_EINTERNAL
 *
 * Blobs are returned raw, as stored: no CRLF, ident or filter conversion
 * (the analyzer must see what is committed, byte for byte).
 */
#include "lib/git.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

int sdl_git_init(void)
{
	int rc = git_libgit2_init();
	if (rc < 0)
		return sdl_git_error(rc, "libgit2 initialisation");
	return 0;
}

void sdl_git_shutdown(void)
{
	git_libgit2_shutdown();
}

static int map_class(int klass)
{
	switch (klass) {
	case GIT_ERROR_NOMEMORY:
		return SDL_ENOMEM;
	case GIT_ERROR_OS:
		return SDL_EIO;
	case GIT_ERROR_INTERNAL:
	case GIT_ERROR_THREAD:
	case GIT_ERROR_CALLBACK:
		return SDL_EINTERNAL;
	default:
		return SDL_EINVAL;
	}
}

static int map_code(int git_rc, int klass)
{
	switch (git_rc) {
	case GIT_ENOTFOUND:
	case GIT_EUNBORNBRANCH:
		return SDL_ENOTFOUND;
	case GIT_EINVALIDSPEC:
	case GIT_EAMBIGUOUS:
	case GIT_EPEEL:
	case GIT_EBAREREPO:
	case GIT_EUNMERGED:
	case GIT_EINVALID:
	case GIT_EOWNER:
	case GIT_EEXISTS:
	case GIT_EDIRECTORY:
	case GIT_EMISMATCH:
		return SDL_EINVAL;
	case GIT_ERROR:
		return map_class(klass);
	default:
		return SDL_EINTERNAL;
	}
}

int sdl_git_error(int git_rc, const char *what)
{
	const git_error *e = git_error_last();
	int klass = e ? e->klass : GIT_ERROR_NONE;
	int code = map_code(git_rc, klass);
	const char *msg = (e && e->message && e->message[0]) ? e->message : NULL;

	if (!what)
		what = "git";
	if (msg)
		return sdl_error_set(code, "%s: %s", what, msg);
	return sdl_error_set(code, "%s: libgit2 error %d", what, git_rc);
}

/*
 * Ceiling directories for the upward search: $GIT_CEILING_DIRECTORIES (as
 * git reads it) plus the parent of $HOME, so that a stray repository in /
 * or /home is never taken for the user's.
 */
static int build_ceilings(struct sdl_buf *out)
{
	const char *env = getenv("GIT_CEILING_DIRECTORIES");
	const char *home = getenv("HOME");
	int err;

	if (env && *env) {
		err = sdl_buf_puts(out, env);
		if (err < 0)
			return err;
	}
	if (home && home[0] == '/') {
		size_t len = strlen(home);
		while (len > 1 && home[len - 1] == '/')
			len--;
		while (len > 0 && home[len - 1] != '/')
			len--; /* strip the last component */
		while (len > 1 && home[len - 1] == '/')
			len--;
		if (len > 0) {
			if (out->len && (err = sdl_buf_putc(out, GIT_PATH_LIST_SEPARATOR)) < 0)
				return err;
			if ((err = sdl_buf_put(out, home, len)) < 0)
				return err;
		}
	}
	return 0;
}

/* Is dir (absolute, no trailing '/') equal to or above one of the ceilings? */
static int at_or_above_ceiling(const char *dir, const char *ceilings)
{
	size_t dlen = strlen(dir);
	const char *p = ceilings;

	while (*p) {
		const char *end = strchr(p, GIT_PATH_LIST_SEPARATOR);
		size_t clen = end ? (size_t)(end - p) : strlen(p);
		size_t n = clen;
		while (n > 1 && p[n - 1] == '/')
			n--;
		if (n > 0 && p[0] == '/') {
			/* dir is at or above the ceiling if the ceiling starts with dir. */
			if (dlen <= 1)
				return 1;
			if (n >= dlen && memcmp(p, dir, dlen) == 0 && (n == dlen || p[dlen] == '/'))
				return 1;
		}
		p += clen;
		if (*p)
			p++;
	}
	return 0;
}

/*
 * libgit2 skips a .git it does not consider a repository and keeps going up.
 * When it found nothing, look for such a .git ourselves (within the same
 * ceilings) so that a damaged repository is reported as one (SDL_EINVAL),
 * not as "not a repository".
 */
static int find_broken_dotgit(char *found, size_t found_size, const char *path,
			      const char *ceilings)
{
	char dir[PATH_MAX];
	char probe[PATH_MAX + 8];
	struct stat st;
	size_t len;

	if (!realpath(path, dir))
		return 0;
	for (;;) {
		int n = snprintf(probe, sizeof(probe), "%s%s.git", dir,
				 strcmp(dir, "/") == 0 ? "" : "/");
		if (n > 0 && (size_t)n < sizeof(probe) && lstat(probe, &st) == 0) {
			snprintf(found, found_size, "%s", probe);
			return 1;
		}
		len = strlen(dir);
		if (len <= 1)
			return 0;
		while (len > 1 && dir[len - 1] != '/')
			len--;
		if (len > 1)
			len--;
		dir[len] = '\0';
		if (at_or_above_ceiling(dir, ceilings))
			return 0;
	}
}

static int check_head(git_repository *repo, const char *path)
{
	git_reference *head = NULL;
	int rc = git_reference_lookup(&head, repo, "HEAD");
	if (rc < 0) {
		int code = sdl_git_error(rc, "corrupt git repository (unreadable HEAD)");
		return sdl_error_wrap(code == SDL_ENOMEM ? code : SDL_EINVAL, "%s", path);
	}
	git_reference_free(head);
	return 0;
}

int sdl_git_open(git_repository **out, const char *path)
{
	struct sdl_buf ceilings = SDL_BUF_INIT;
	git_repository *repo = NULL;
	char broken[PATH_MAX + 8];
	int rc, ret;

	if (!out || !path || !*path)
		return sdl_error_set(SDL_EINVAL, "sdl_git_open: no path given");
	*out = NULL;

	ret = build_ceilings(&ceilings);
	if (ret < 0)
		goto done;

	/* flags 0: search upwards, stay on this filesystem (no CROSS_FS). */
	rc = git_repository_open_ext(&repo, path, 0, ceilings.len ? ceilings.ptr : NULL);
	if (rc == GIT_ENOTFOUND) {
		if (find_broken_dotgit(broken, sizeof(broken), path, ceilings.ptr))
			ret = sdl_error_set(SDL_EINVAL, "%s: corrupt git repository", broken);
		else
			ret = sdl_error_set(SDL_ENOTFOUND, "%s: not in a git repository", path);
		goto done;
	}
	if (rc < 0) {
		ret = sdl_git_error(rc, "corrupt git repository");
		if (ret != SDL_ENOMEM && ret != SDL_EIO)
			ret = SDL_EINVAL;
		ret = sdl_error_wrap(ret, "%s", path);
		goto done;
	}
	ret = check_head(repo, path);
	if (ret < 0)
		goto done;
	*out = repo;
	repo = NULL;
done:
	git_repository_free(repo);
	sdl_buf_release(&ceilings);
	return ret;
}

const char *sdl_git_workdir(git_repository *repo)
{
	return repo ? git_repository_workdir(repo) : NULL;
}

/* Relative, '/'-separated, normalised: no "", ".", ".." segment, no leading '/'. */
static int check_path(const char *path)
{
	const char *seg = path;

	if (!path || !*path)
		return sdl_error_set(SDL_EINVAL, "empty path");
	if (path[0] == '/')
		return sdl_error_set(
			SDL_EINVAL,
			"%s: absolute path, expected one relative to the repository root", path);
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0)
			return sdl_error_set(SDL_EINVAL, "%s: empty path segment", path);
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return sdl_error_set(SDL_EINVAL,
					     "%s: path is not normalised ('.' or '..' segment)",
					     path);
		if (!end)
			return 0;
		seg = end + 1;
	}
}

int sdl_git_resolve_commit(git_commit **out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	git_object *peeled = NULL;
	int rc, ret = 0;

	if (!out || !repo || !rev || !*rev)
		return sdl_error_set(SDL_EINVAL, "sdl_git_resolve_commit: no revision given");
	*out = NULL;

	rc = git_revparse_single(&obj, repo, rev);
	if (rc < 0) {
		if ((rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) && strcmp(rev, "HEAD") == 0 &&
		    git_repository_head_unborn(repo) == 1)
			return sdl_error_set(
				SDL_ENOTFOUND,
				"HEAD: the repository has no commits yet (unborn branch)");
		ret = sdl_git_error(rc, rc == GIT_ENOTFOUND ? "no such revision" : "bad revision");
		ret = sdl_error_wrap(ret, "%s", rev);
		goto done;
	}
	switch (git_object_type(obj)) {
	case GIT_OBJECT_COMMIT:
		*out = (git_commit *)obj;
		obj = NULL;
		break;
	case GIT_OBJECT_TAG:
		rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
		if (rc < 0) {
			ret = sdl_git_error(rc, "tag does not point to a commit");
			ret = sdl_error_wrap(ret == SDL_ENOMEM ? ret : SDL_EINVAL, "%s", rev);
			goto done;
		}
		*out = (git_commit *)peeled;
		peeled = NULL;
		break;
	default:
		ret = sdl_error_set(SDL_EINVAL, "%s: names a %s, not a commit", rev,
				    git_object_type2string(git_object_type(obj)));
		break;
	}
done:
	git_object_free(peeled);
	git_object_free(obj);
	return ret;
}

/*
 * Read blob `id` for `path` into out, refusing sizes past max before libgit2
 * inflates the object (git_odb_read_header reads only the object header).
 */
static int read_blob_id(struct sdl_buf *out, git_repository *repo, const git_oid *id,
			const char *path, const char *rev, size_t max)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_odb *odb = NULL;
	git_blob *blob = NULL;
	git_object_t type;
	size_t len = 0;
	git_object_size_t size;
	int rc, ret = 0;

	git_oid_tostr(hex, sizeof(hex), id);
	rc = git_repository_odb(&odb, repo);
	if (rc < 0) {
		ret = sdl_git_error(rc, path);
		goto done;
	}
	rc = git_odb_read_header(&len, &type, odb, id);
	if (rc == GIT_ENOTFOUND) {
		ret = sdl_error_set(
			SDL_EINVAL,
			"%s: blob %s (%s) is missing from the object database: damaged repository",
			path, hex, rev);
		goto done;
	}
	if (rc < 0) {
		ret = sdl_git_error(rc, path);
		goto done;
	}
	if (type != GIT_OBJECT_BLOB) {
		ret = sdl_error_set(SDL_EINVAL, "%s: object %s (%s) is a %s, not a blob", path, hex,
				    rev, git_object_type2string(type));
		goto done;
	}
	if (len > max) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: %zu bytes (%s) exceeds the limit of %zu bytes",
				    path, len, rev, max);
		goto done;
	}
	rc = git_blob_lookup(&blob, repo, id);
	if (rc < 0) {
		ret = sdl_git_error(rc, path);
		if (rc == GIT_ENOTFOUND)
			ret = sdl_error_set(SDL_EINVAL,
					    "%s: blob %s (%s) is missing from the object database: "
					    "damaged repository",
					    path, hex, rev);
		goto done;
	}
	size = git_blob_rawsize(blob);
	if (size > (git_object_size_t)max) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: blob (%s) exceeds the limit of %zu bytes",
				    path, rev, max);
		goto done;
	}
	ret = sdl_buf_put(out, git_blob_rawcontent(blob), (size_t)size);
	if (ret < 0)
		ret = sdl_error_wrap(ret, "%s (%s)", path, rev);
done:
	git_blob_free(blob);
	git_odb_free(odb);
	return ret;
}

static int read_from_index(struct sdl_buf *out, git_repository *repo, const char *path, size_t max)
{
	git_index *index = NULL;
	const git_index_entry *entry;
	const git_index_entry *anc = NULL, *ours = NULL, *theirs = NULL;
	git_oid id;
	size_t pos;
	int rc, ret = 0;

	if (git_repository_is_bare(repo))
		return sdl_error_set(SDL_EINVAL, "%s: a bare repository has no index to read",
				     path);
	rc = git_repository_index(&index, repo);
	if (rc < 0) {
		ret = sdl_error_wrap(sdl_git_error(rc, "cannot read the index"), "%s", path);
		goto done;
	}
	/* Another process (git add) may have rewritten it since we loaded it. */
	rc = git_index_read(index, 0);
	if (rc < 0) {
		ret = sdl_error_wrap(sdl_git_error(rc, "cannot read the index"), "%s", path);
		goto done;
	}
	entry = git_index_get_bypath(index, path, 0);
	if (!entry) {
		if (git_index_conflict_get(&anc, &ours, &theirs, index, path) == 0) {
			ret = sdl_error_set(SDL_EINVAL, "%s: unresolved conflict in the index",
					    path);
			goto done;
		}
		git_error_clear();
		{
			/* A directory in the index is a prefix of its entries. */
			struct sdl_buf prefix = SDL_BUF_INIT;
			ret = sdl_buf_printf(&prefix, "%s/", path);
			if (ret == 0 && git_index_find_prefix(&pos, index, prefix.ptr) == 0)
				ret = sdl_error_set(SDL_EINVAL,
						    "%s: is a directory in the index, not a file",
						    path);
			else if (ret == 0)
				ret = sdl_error_set(SDL_ENOTFOUND, "%s: not in the index", path);
			sdl_buf_release(&prefix);
			git_error_clear();
		}
		goto done;
	}
	if (entry->mode == GIT_FILEMODE_COMMIT) {
		ret = sdl_error_set(SDL_EINVAL,
				    "%s: is a submodule (gitlink) in the index, not a file", path);
		goto done;
	}
	if (entry->mode == GIT_FILEMODE_TREE) {
		ret = sdl_error_set(SDL_EINVAL, "%s: is a directory in the index, not a file",
				    path);
		goto done;
	}
	git_oid_cpy(&id, &entry->id); /* the entry may move if the index is reloaded */
	ret = read_blob_id(out, repo, &id, path, "index", max);
done:
	git_index_free(index);
	return ret;
}

static int read_from_commit(struct sdl_buf *out, git_repository *repo, const char *rev,
			    const char *path, size_t max)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_oid id;
	int rc, ret;

	ret = sdl_git_resolve_commit(&commit, repo, rev);
	if (ret < 0)
		goto done;
	rc = git_commit_tree(&tree, commit);
	if (rc < 0) {
		ret = sdl_git_error(rc, rev);
		if (rc == GIT_ENOTFOUND)
			ret = sdl_error_wrap(
				SDL_EINVAL, "%s: tree of the commit is missing: damaged repository",
				rev);
		goto done;
	}
	rc = git_tree_entry_bypath(&te, tree, path);
	if (rc == GIT_ENOTFOUND) {
		ret = sdl_error_set(SDL_ENOTFOUND, "%s: does not exist in %s", path, rev);
		goto done;
	}
	if (rc < 0) {
		ret = sdl_git_error(rc, path);
		goto done;
	}
	switch (git_tree_entry_type(te)) {
	case GIT_OBJECT_BLOB:
		break;
	case GIT_OBJECT_TREE:
		ret = sdl_error_set(SDL_EINVAL, "%s: is a directory in %s, not a file", path, rev);
		goto done;
	case GIT_OBJECT_COMMIT:
		ret = sdl_error_set(SDL_EINVAL, "%s: is a submodule (gitlink) in %s, not a file",
				    path, rev);
		goto done;
	default:
		ret = sdl_error_set(SDL_EINVAL, "%s: unexpected tree entry type in %s", path, rev);
		goto done;
	}
	git_oid_cpy(&id, git_tree_entry_id(te));
	ret = read_blob_id(out, repo, &id, path, rev, max);
done:
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(commit);
	return ret;
}

int sdl_git_read_blob(struct sdl_buf *out, git_repository *repo, const char *rev, const char *path,
		      size_t max)
{
	int ret;

	if (!out || !repo || !rev || !*rev)
		return sdl_error_set(SDL_EINVAL, "sdl_git_read_blob: missing argument");
	ret = check_path(path);
	if (ret < 0)
		return ret;
	if (strcmp(rev, SDL_GIT_INDEX) == 0)
		return read_from_index(out, repo, path, max);
	return read_from_commit(out, repo, rev, path, max);
}
