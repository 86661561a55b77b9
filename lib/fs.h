/*
 * Files: bounded reads, atomic writes, path joins that cannot leave their
 * root, and a directory walk that never follows a symlink out of the tree
 * and survives symlink loops.
 */
#ifndef SDL_FS_H
#define SDL_FS_H

#include <stddef.h>

#include "lib/buf.h"

/*
 * Read the whole regular file at path into out (appended), failing with
 * SDL_ELIMIT past `max` bytes, SDL_ENOTFOUND if missing, SDL_EINVAL if it is
 * a directory or device, SDL_EIO on a read error. Messages name the path.
 */
int sdl_fs_read_file(struct sdl_buf *out, const char *path, size_t max);

/*
 * Write data to path atomically: a temporary file in the same directory,
 * fsync, rename over path, fsync of the directory. A failure at any step
 * removes the temporary file and leaves any previous file untouched.
 * path "-" writes to stdout instead.
 */
int sdl_fs_write_atomic(const char *path, const void *data, size_t len);

/*
 * Open path read-only (close-on-exec; a FIFO does not block the open) and
 * check with fstat() that it is a regular file; st receives its status.
 * SDL_ENOTFOUND if missing, SDL_EINVAL if not a regular file, SDL_EIO else.
 * The caller closes *out_fd.
 */
struct stat;
int sdl_fs_open_regular(int *out_fd, struct stat *st, const char *path);

/* 1 if path names an existing regular file, 0 otherwise. */
int sdl_fs_is_file(const char *path);
/* 1 if path names an existing directory, 0 otherwise. */
int sdl_fs_is_dir(const char *path);

/* mkdir -p; existing directories are fine. */
int sdl_fs_mkdirs(const char *path);

/*
 * Join a relative path onto root into out (replacing its contents), lexically
 * resolving "." and "..". Fails with SDL_EINVAL if rel is absolute, contains
 * a NUL, or would leave root. Does not touch the filesystem.
 */
int sdl_path_join(struct sdl_buf *out, const char *root, const char *rel);

/*
 * Normalise a relative path lexically ("a/./b/../c" -> "a/c"); fails with
 * SDL_EINVAL if it is absolute or climbs above its start.
 */
int sdl_path_normalize(struct sdl_buf *out, const char *rel);

/*
 * Resolve path (which must exist) with realpath() and check that it lies
 * inside root (also resolved); fails with SDL_EINVAL when it escapes.
 * out receives the resolved path.
 */
int sdl_path_resolve_within(struct sdl_buf *out, const char *root, const char *path);

enum sdl_walk_flags {
	SDL_WALK_FOLLOW_SYMLINKS = 1 << 0, /* follow links whose target stays in the tree */
	SDL_WALK_INCLUDE_DIRS = 1 << 1,    /* report directories too */
	SDL_WALK_SKIP_HIDDEN = 1 << 2,     /* skip names starting with '.' */
};

enum sdl_walk_type { SDL_WALK_FILE, SDL_WALK_DIR, SDL_WALK_SYMLINK };

struct sdl_walk_entry {
	const char *path; /* relative to the root, '/'-separated */
	const char *name; /* last component */
	enum sdl_walk_type type;
	size_t size;      /* regular files */
	int depth;        /* 0 for entries directly under the root */
};

/*
 * Return 0 to go on, SDL_WALK_PRUNE to skip a directory's contents, or a
 * negative error to stop the walk with it.
 */
#define SDL_WALK_PRUNE 1
typedef int (*sdl_walk_cb)(const struct sdl_walk_entry *entry, void *payload);

/*
 * Walk the tree under root in sorted (byte-wise) order. Symlinks are reported
 * as SDL_WALK_SYMLINK and not followed unless SDL_WALK_FOLLOW_SYMLINKS is set;
 * even then a link whose target lies outside root, or a directory already on
 * the current path (a loop), is reported as a symlink and not entered.
 * Depth is bounded by SDL_WALK_MAX_DEPTH and entries by SDL_WALK_MAX_ENTRIES
 * (SDL_ELIMIT past them). Entries that vanish during the walk are skipped.
 */
#define SDL_WALK_MAX_DEPTH 64
#define SDL_WALK_MAX_ENTRIES 1000000
int sdl_fs_walk(const char *root, unsigned flags, sdl_walk_cb cb, void *payload);

#endif
