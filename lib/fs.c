/*
 * Files: bounded reads, atomic writes, lexical path joins, a walk that stays
 * in its tree.
 *
 * Path traversal (CWE-22) and link following (CWE-59) are the failures this
 * file exists to prevent; symlink loops (CWE-835) and unbounded trees
 * (CWE-400) are bounded by the walk's limits.
 */
#include "lib/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs_testhooks.h"
#include "lib/banned.h"

void (*sdl_fs_test_after_fstat)(const char *path, int fd);

/* Read size of sdl_fs_read_file(). */
#define FS_CHUNK ((size_t)64 << 10)
/* Attempts at a fresh temporary name before giving up (O_EXCL collisions). */
#define FS_TMP_TRIES 64

/* errno of a failed open/stat of `path` as one of our codes and a message. */
static int errno_error(int e, const char *path, const char *what)
{
	if (e == ENOENT || e == ENOTDIR)
		return sdl_error_set_errno(SDL_ENOTFOUND, e, "%s%s", path, what);
	if (e == EISDIR || e == ELOOP || e == ENAMETOOLONG)
		return sdl_error_set_errno(SDL_EINVAL, e, "%s%s", path, what);
	if (e == ENOMEM)
		return sdl_error_set_errno(SDL_ENOMEM, e, "%s%s", path, what);
	return sdl_error_set_errno(SDL_EIO, e, "%s%s", path, what);
}

/* ---- reading --------------------------------------------------------- */

int sdl_fs_open_regular(int *out_fd, struct stat *st, const char *path)
{
	int fd, e;

	*out_fd = -1;
	/* O_NONBLOCK: opening a FIFO must not hang; O_NOCTTY: nor grab a tty. */
	do
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return errno_error(errno, path, "");
	if (fstat(fd, st) < 0) {
		e = errno;
		close(fd);
		return sdl_error_set_errno(SDL_EIO, e, "%s", path);
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return sdl_error_set(SDL_EINVAL, "%s: not a regular file", path);
	}
	*out_fd = fd;
	return 0;
}

int sdl_fs_read_file(struct sdl_buf *out, const char *path, size_t max)
{
	unsigned char chunk[FS_CHUNK];
	size_t start = out->len, total = 0, want;
	struct stat st;
	int fd, ret = 0;
	ssize_t n;

	ret = sdl_fs_open_regular(&fd, &st, path);
	if (ret < 0)
		return ret;
	if (sdl_fs_test_after_fstat)
		sdl_fs_test_after_fstat(path, fd);
	if ((uintmax_t)st.st_size > (uintmax_t)max) {
		ret = sdl_error_set(SDL_ELIMIT, "%s: larger than the limit of %zu bytes",
				    path, max);
		goto done;
	}
	/* One allocation for the expected size; the loop below still bounds. */
	ret = sdl_buf_grow(out, (size_t)st.st_size);
	if (ret < 0)
		goto wrap;
	for (;;) {
		/* Ask for one byte past the limit so "exactly max" is told apart. */
		want = max - total < FS_CHUNK ? max - total + 1 : FS_CHUNK;
		n = read(fd, chunk, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = sdl_error_set_errno(SDL_EIO, errno, "%s: read failed", path);
			goto done;
		}
		if (n == 0)
			break;
		if ((size_t)n > max - total) {
			ret = sdl_error_set(SDL_ELIMIT, "%s: larger than the limit of %zu bytes",
					    path, max);
			goto done;
		}
		total += (size_t)n;
		ret = sdl_buf_put(out, chunk, (size_t)n);
		if (ret < 0)
			goto wrap;
	}
	goto done;
wrap:
	sdl_error_wrap(ret, "%s", path);
done:
	if (ret < 0)
		sdl_buf_truncate(out, start);
	close(fd);
	return ret;
}

/* ---- atomic write ---------------------------------------------------- */

static int write_stdout(const void *data, size_t len)
{
	if (len && fwrite(data, 1, len, stdout) != len)
		return sdl_error_set_errno(SDL_EIO, errno, "<stdout>: write failed");
	if (fflush(stdout) != 0 || ferror(stdout))
		return sdl_error_set_errno(SDL_EIO, errno, "<stdout>: write failed");
	return 0;
}

static int write_all(int fd, const char *path, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len) {
		/* Cap each call: Linux writes at most 0x7ffff000 bytes at once. */
		n = write(fd, p, len > ((size_t)1 << 30) ? ((size_t)1 << 30) : len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* ENOSPC, EDQUOT, EFBIG, EIO: all "could not write" for the user. */
			return sdl_error_set_errno(SDL_EIO, errno, "%s: write failed", path);
		}
		if (n == 0)
			return sdl_error_set(SDL_EIO, "%s: write made no progress", path);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Appends 6 random characters of [A-Za-z0-9] (mkstemp's alphabet). */
static int put_random_suffix(struct sdl_buf *b)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[6];
	char s[6];
	size_t i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		/* No entropy yet: O_EXCL still makes a collision safe, just a retry. */
		uintptr_t x = (uintptr_t)b ^ (uintptr_t)getpid() ^ (uintptr_t)rand();
		for (i = 0; i < sizeof(r); i++, x >>= 5)
			r[i] = (unsigned char)x;
	}
	for (i = 0; i < sizeof(s); i++)
		s[i] = alphabet[r[i] % (sizeof(alphabet) - 1)];
	return sdl_buf_put(b, s, sizeof(s));
}

/* fsync the directory holding a renamed entry so the rename is durable. */
static int sync_dir(const char *dir, const char *path)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;
	if (fd < 0)
		return sdl_error_set_errno(SDL_EIO, errno, "%s: cannot open its directory to sync",
					   path);
	/* Some filesystems cannot fsync a directory (EINVAL): nothing to do there. */
	if (fsync(fd) < 0 && errno != EINVAL && errno != ENOTSUP)
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: directory sync failed", path);
	close(fd);
	return ret;
}

int sdl_fs_write_atomic(const char *path, const void *data, size_t len)
{
	struct sdl_buf tmp = SDL_BUF_INIT, dir = SDL_BUF_INIT;
	const char *slash, *base;
	struct stat st;
	int fd = -1, ret, tries, created = 0;

	if (strcmp(path, "-") == 0)
		return write_stdout(data, len);
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return sdl_error_set(SDL_EINVAL, "%s: not a file name", path);
	/*
	 * Renaming over a device, FIFO or socket would replace the node itself
	 * (as root, /dev/null): refuse. A symlink is replaced by the new file,
	 * not written through, which is what an atomic replace means.
	 */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
		return sdl_error_set(SDL_EINVAL, "%s: exists and is not a regular file", path);

	if (slash == path)
		ret = sdl_buf_put(&dir, "/", 1);
	else if (slash)
		ret = sdl_buf_put(&dir, path, (size_t)(slash - path));
	else
		ret = sdl_buf_put(&dir, ".", 1);
	if (ret < 0)
		goto done;

	for (tries = 0; tries < FS_TMP_TRIES; tries++) {
		sdl_buf_clear(&tmp);
		ret = sdl_buf_put(&tmp, path, (size_t)(base - path));
		if (ret >= 0)
			ret = sdl_buf_printf(&tmp, ".%s.tmp.", base);
		if (ret >= 0)
			ret = put_random_suffix(&tmp);
		if (ret < 0)
			goto done;
		/* O_EXCL|O_NOFOLLOW: never open a file or link planted under our name. */
		fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0 || (errno != EEXIST && errno != EINTR))
			break;
	}
	if (fd < 0) {
		ret = errno_error(errno, path, ": cannot create a temporary file");
		goto done;
	}
	created = 1;
	ret = write_all(fd, path, data, len);
	if (ret < 0)
		goto done;
	if (fsync(fd) < 0) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: fsync failed", path);
		goto done;
	}
	/* close() can report a deferred write error (NFS): it counts. */
	ret = close(fd);
	fd = -1;
	if (ret < 0) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s: close failed", path);
		goto done;
	}
	if (rename(tmp.ptr, path) < 0) {
		ret = errno_error(errno, path, ": cannot replace");
		goto done;
	}
	created = 0;
	ret = sync_dir(dir.ptr, path);
done:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp.ptr);
	sdl_buf_release(&tmp);
	sdl_buf_release(&dir);
	return ret;
}

/* ---- simple queries -------------------------------------------------- */

/* Both follow symlinks: they answer "can I read a file / list a directory here". */
int sdl_fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int sdl_fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int sdl_fs_mkdirs(const char *path)
{
	struct sdl_buf b = SDL_BUF_INIT;
	size_t i;
	int ret;

	if (!*path)
		return sdl_error_set(SDL_EINVAL, "cannot create a directory with an empty name");
	ret = sdl_buf_puts(&b, path);
	if (ret < 0)
		return ret;
	/* Visit each prefix ending before a '/', then the whole path. */
	for (i = 1; i <= b.len; i++) {
		char saved;
		struct stat st;
		if (i < b.len && b.ptr[i] != '/')
			continue;
		if (b.ptr[i - 1] == '/')
			continue;
		saved = b.ptr[i];
		b.ptr[i] = '\0';
		if (mkdir(b.ptr, 0777) < 0) {
			int e = errno;
			if (e != EEXIST || stat(b.ptr, &st) < 0 || !S_ISDIR(st.st_mode)) {
				if (e == EEXIST)
					ret = sdl_error_set(SDL_EINVAL, "%s: %s exists and is not a directory",
							    path, b.ptr);
				else
					ret = errno_error(e, path, ": cannot create directory");
				b.ptr[i] = saved;
				goto done;
			}
		}
		b.ptr[i] = saved;
	}
done:
	sdl_buf_release(&b);
	return ret;
}

/* ---- lexical paths --------------------------------------------------- */

/*
 * Append the components of rel to out, each preceded by '/' unless out is
 * at `floor` (the start). ".." removes the last component and may never go
 * below `floor` (CWE-22).
 */
static int append_normalized(struct sdl_buf *out, size_t floor, const char *rel,
			     const char *what)
{
	const char *p = rel, *end;
	size_t n;
	int ret;

	if (rel[0] == '/')
		return sdl_error_set(SDL_EINVAL, "%s: absolute path where a relative one is needed",
				     what);
	while (*p) {
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* empty (a//b) or ".": nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			size_t cut;
			if (out->len <= floor)
				return sdl_error_set(SDL_EINVAL, "%s: path climbs out of its root",
						     what);
			cut = out->len;
			while (cut > floor && out->ptr[cut - 1] != '/')
				cut--;
			/* Drop the separator too, unless it is the floor's own. */
			if (cut > floor)
				cut--;
			sdl_buf_truncate(out, cut);
		} else {
			if (out->len > floor || (floor > 0 && out->ptr[floor - 1] != '/')) {
				ret = sdl_buf_putc(out, '/');
				if (ret < 0)
					return ret;
			}
			ret = sdl_buf_put(out, p, n);
			if (ret < 0)
				return ret;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int sdl_path_normalize(struct sdl_buf *out, const char *rel)
{
	int ret;

	sdl_buf_clear(out);
	ret = append_normalized(out, 0, rel, rel);
	if (ret < 0)
		sdl_buf_clear(out);
	return ret;
}

int sdl_path_join(struct sdl_buf *out, const char *root, const char *rel)
{
	size_t rlen = strlen(root);
	int ret;

	sdl_buf_clear(out);
	/* Trailing slashes of root go, but "/" stays "/". */
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	ret = sdl_buf_put(out, root, rlen);
	if (ret >= 0)
		ret = append_normalized(out, out->len, rel, rel);
	if (ret < 0)
		sdl_buf_clear(out);
	return ret;
}

static int resolve(char real[PATH_MAX], const char *path)
{
	if (!realpath(path, real))
		return errno_error(errno, path, ": cannot resolve");
	return 0;
}

int sdl_path_resolve_within(struct sdl_buf *out, const char *root, const char *path)
{
	char rroot[PATH_MAX], rpath[PATH_MAX];
	size_t n;
	int ret;

	sdl_buf_clear(out);
	ret = resolve(rroot, root);
	if (ret < 0)
		return ret;
	ret = resolve(rpath, path);
	if (ret < 0)
		return ret;
	n = strlen(rroot);
	/* Inside means equal, or a prefix ending at a '/' ("/r2" is not in "/r"). */
	if (strcmp(rroot, "/") != 0 &&
	    (strncmp(rpath, rroot, n) != 0 || (rpath[n] != '\0' && rpath[n] != '/')))
		return sdl_error_set(SDL_EINVAL, "%s: resolves to %s, outside %s", path, rpath,
				     rroot);
	return sdl_buf_puts(out, rpath);
}

/* ---- walk ------------------------------------------------------------ */

struct walk_id {
	dev_t dev;
	ino_t ino;
};

struct walk {
	unsigned flags;
	sdl_walk_cb cb;
	void *payload;
	char rroot[PATH_MAX];       /* realpath of the root, for FOLLOW */
	struct walk_id stack[SDL_WALK_MAX_DEPTH + 1]; /* directories on the current path */
	int nstack;
	size_t entries;
	const char *root;
	struct sdl_buf path;        /* relative path of the current entry */
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		sdl_free(names[i]);
	sdl_free(names);
}

/*
 * Read the names of the directory open at dfd (not "." or ".."), sorted
 * byte-wise. dfd stays open and positioned for nothing: we use it only with
 * the *at() calls.
 */
static int read_names(struct walk *w, int dfd, char ***out, size_t *count)
{
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd2, ret = 0;

	*out = NULL;
	*count = 0;
	fd2 = dup(dfd);
	if (fd2 < 0)
		return sdl_error_set_errno(SDL_EIO, errno, "%s/%s: cannot read directory",
					   w->root, w->path.ptr);
	d = fdopendir(fd2);
	if (!d) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s/%s: cannot read directory",
					  w->root, w->path.ptr);
		close(fd2);
		return ret;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				ret = sdl_error_set_errno(SDL_EIO, errno, "%s/%s: cannot read directory",
							  w->root, w->path.ptr);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((w->flags & SDL_WALK_SKIP_HIDDEN) && de->d_name[0] == '.')
			continue;
		if (w->entries + n >= SDL_WALK_MAX_ENTRIES) {
			ret = sdl_error_set(SDL_ELIMIT, "%s/%s: more than %d entries under the walk root",
					    w->root, w->path.ptr, SDL_WALK_MAX_ENTRIES);
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			grown = sdl_reallocarray(names, ncap, sizeof(*names));
			if (!grown) {
				ret = SDL_ENOMEM;
				break;
			}
			names = grown;
			cap = ncap;
		}
		names[n] = sdl_strdup(de->d_name);
		if (!names[n]) {
			ret = SDL_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (ret < 0) {
		free_names(names, n);
		return ret;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	*count = n;
	return 0;
}

static int on_stack(const struct walk *w, const struct stat *st)
{
	int i;
	for (i = 0; i < w->nstack; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return 1;
	return 0;
}

static int walk_dir(struct walk *w, int dfd, int depth);

/*
 * A symlink with FOLLOW set: open its target through the link, then check
 * with realpath() that the link resolves inside the root and that it is
 * still the object we opened (dev, ino). Returns 1 with *fd_out (or -1 for a
 * non-directory) and *st filled when the link may be followed, 0 when it
 * must be reported as a symlink, <0 on error.
 */
static int follow_link(struct walk *w, int dfd, const char *name, int *fd_out,
		       struct stat *st)
{
	struct sdl_buf full = SDL_BUF_INIT;
	char real[PATH_MAX];
	struct stat rst;
	size_t n = strlen(w->rroot);
	int fd, ret = 0;

	*fd_out = -1;
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return 0; /* dangling, a loop (ELOOP), unreadable: report as a link */
	if (fstat(fd, st) < 0)
		goto no;
	ret = sdl_buf_printf(&full, "%s/%s", w->rroot, w->path.ptr);
	if (ret < 0)
		goto done;
	if (!realpath(full.ptr, real) || stat(real, &rst) < 0)
		goto no;
	if (strcmp(w->rroot, "/") != 0 &&
	    (strncmp(real, w->rroot, n) != 0 || (real[n] != '\0' && real[n] != '/')))
		goto no;
	if (rst.st_dev != st->st_dev || rst.st_ino != st->st_ino)
		goto no;
	if (S_ISDIR(st->st_mode)) {
		if (on_stack(w, st))
			goto no;
		*fd_out = fd;
		fd = -1;
		ret = 1;
	} else if (S_ISREG(st->st_mode)) {
		ret = 1;
	}
	goto done;
no:
	ret = 0;
done:
	if (fd >= 0)
		close(fd);
	sdl_buf_release(&full);
	return ret;
}

static int walk_entry(struct walk *w, int dfd, const char *name, int depth)
{
	struct sdl_walk_entry e;
	struct stat st, st2;
	int cfd = -1, ret, r;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0; /* vanished since readdir */
		return sdl_error_set_errno(SDL_EIO, errno, "%s/%s", w->root, w->path.ptr);
	}
	memset(&e, 0, sizeof(e));
	e.path = w->path.ptr;
	e.name = name;
	e.depth = depth;
	if (S_ISLNK(st.st_mode)) {
		e.type = SDL_WALK_SYMLINK;
		if (w->flags & SDL_WALK_FOLLOW_SYMLINKS) {
			r = follow_link(w, dfd, name, &cfd, &st2);
			if (r < 0)
				return r;
			if (r == 1) {
				st = st2;
				e.type = S_ISDIR(st.st_mode) ? SDL_WALK_DIR : SDL_WALK_FILE;
			}
		}
	} else if (S_ISDIR(st.st_mode)) {
		e.type = SDL_WALK_DIR;
		/*
		 * O_NOFOLLOW, and the same (dev, ino) as the fstatat() above: a
		 * directory swapped for a link since then is not entered (CWE-367).
		 */
		cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0) {
			if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)
				return 0;
			return sdl_error_set_errno(SDL_EIO, errno, "%s/%s", w->root, w->path.ptr);
		}
		if (fstat(cfd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
			close(cfd);
			return 0;
		}
	} else if (S_ISREG(st.st_mode)) {
		e.type = SDL_WALK_FILE;
	} else {
		return 0; /* devices, FIFOs, sockets: not source files */
	}
	if (e.type == SDL_WALK_FILE)
		e.size = (size_t)st.st_size;

	w->entries++;
	ret = 0;
	if (e.type != SDL_WALK_DIR || (w->flags & SDL_WALK_INCLUDE_DIRS)) {
		ret = w->cb(&e, w->payload);
		if (ret < 0)
			goto done;
	}
	if (e.type == SDL_WALK_DIR && ret != SDL_WALK_PRUNE) {
		w->stack[w->nstack].dev = st.st_dev;
		w->stack[w->nstack].ino = st.st_ino;
		w->nstack++;
		ret = walk_dir(w, cfd, depth + 1);
		w->nstack--;
	} else {
		ret = 0;
	}
done:
	if (cfd >= 0)
		close(cfd);
	return ret;
}

static int walk_dir(struct walk *w, int dfd, int depth)
{
	char **names;
	size_t n, i, base = w->path.len;
	int ret;

	ret = read_names(w, dfd, &names, &n);
	if (ret < 0)
		return ret;
	if (n && depth >= SDL_WALK_MAX_DEPTH) {
		ret = sdl_error_set(SDL_ELIMIT, "%s/%s: deeper than %d directories", w->root, w->path.ptr,
				    SDL_WALK_MAX_DEPTH);
		goto done;
	}
	for (i = 0; i < n; i++) {
		sdl_buf_truncate(&w->path, base);
		if (base)
			ret = sdl_buf_putc(&w->path, '/');
		if (ret >= 0)
			ret = sdl_buf_puts(&w->path, names[i]);
		if (ret >= 0)
			ret = walk_entry(w, dfd, names[i], depth);
		if (ret < 0)
			goto done;
	}
done:
	sdl_buf_truncate(&w->path, base);
	free_names(names, n);
	return ret;
}

int sdl_fs_walk(const char *root, unsigned flags, sdl_walk_cb cb, void *payload)
{
	struct walk *w;
	struct stat st;
	int fd, ret;

	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		/* ENOTDIR for the root itself (not a component): it exists, wrong type. */
		if (errno == ENOTDIR && stat(root, &st) == 0)
			return sdl_error_set(SDL_EINVAL, "%s: not a directory", root);
		return errno_error(errno, root, "");
	}
	if (fstat(fd, &st) < 0) {
		ret = sdl_error_set_errno(SDL_EIO, errno, "%s", root);
		close(fd);
		return ret;
	}
	w = sdl_calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return SDL_ENOMEM;
	}
	w->flags = flags;
	w->cb = cb;
	w->payload = payload;
	w->root = root;
	sdl_buf_init(&w->path, SDL_BUF_DEFAULT_MAX);
	w->stack[0].dev = st.st_dev;
	w->stack[0].ino = st.st_ino;
	w->nstack = 1;
	if ((flags & SDL_WALK_FOLLOW_SYMLINKS) && !realpath(root, w->rroot)) {
		ret = errno_error(errno, root, ": cannot resolve");
		goto done;
	}
	ret = walk_dir(w, fd, 0);
	if (ret > 0)
		ret = 0;
done:
	sdl_buf_release(&w->path);
	sdl_free(w);
	close(fd);
	return ret;
}
