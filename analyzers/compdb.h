/*
 * Translation units to analyse: from a compile database (libclang's
 * compilation-database API), or from files given on the command line with
 * flags after "--". Compiler flags clang does not understand (gcc-only and
 * cross-compiler options) are dropped and listed once.
 */
#ifndef SDL_AZ_COMPDB_H
#define SDL_AZ_COMPDB_H

#include <stddef.h>

struct az_job {
	char *file;   /* absolute, resolved */
	char *dir;    /* working directory of the compile command */
	char **args;  /* clang arguments, without the file */
	int nargs;
};

struct az_jobs {
	struct az_job *v;
	size_t n;
	char **dropped; /* distinct flags dropped before parsing */
	size_t ndropped;
	char **unsafe;  /* distinct flags dropped because they load code (plugins, @file) */
	size_t nunsafe;
	size_t nvia_header; /* jobs added for a header FILE: the first TU including it */
};

void az_jobs_release(struct az_jobs *jobs);

/*
 * Load BUILD_DIR/compile_commands.json. When `files` is non-empty only those
 * entries are kept (each file must be in the database, except headers: they
 * are analysed through the first translation unit that includes one, and
 * nvia_header counts those). SDL_ENOTFOUND /
 * SDL_EINVAL with a message naming the file.
 */
int az_compdb_load(struct az_jobs *out, const char *build_dir, char *const *files,
		   size_t nfiles);

/* One job per file, all with the same flags; the working directory is the current one. */
int az_jobs_from_files(struct az_jobs *out, char *const *files, size_t nfiles,
		       char *const *flags, size_t nflags);

/* Check that a path names a readable, non-binary source file with a UTF-8 name. */
int az_check_source(const char *path);

/* Keep the K-th (1-based) of N deterministic shards (by sorted file path). */
int az_jobs_shard(struct az_jobs *jobs, unsigned k, unsigned n);

#endif
