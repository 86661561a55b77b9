/* Helpers shared by the sdl-gate unit tests: scratch directories and files. */
#ifndef GATE_TEST_H
#define GATE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"

/* A fresh scratch directory (leaked on purpose: the test process is short). */
static inline char *gt_tmpdir(void)
{
	static char buf[16][64];
	static int n;
	char *d = buf[n++ % 16];
	snprintf(d, 64, "/tmp/sdl-gate-unit.XXXXXX");
	if (!mkdtemp(d))
		abort();
	return d;
}

/* Write text to dir/rel, creating parent directories. */
static inline void gt_write(const char *dir, const char *rel, const char *text)
{
	char path[1024], *slash;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	slash = strrchr(path, '/');
	*slash = 0;
	if (sdl_fs_mkdirs(path) < 0)
		abort();
	*slash = '/';
	if (sdl_fs_write_atomic(path, text, strlen(text)) < 0)
		abort();
}

static inline void gt_rm_rf(const char *dir)
{
	char cmd[1100];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		abort();
}

/* Path of a file under the source tree ($SDL_SOURCE_DIR). */
static inline const char *gt_src(const char *rel)
{
	static char path[8][1024];
	static int n;
	const char *root = getenv("SDL_SOURCE_DIR");
	char *p = path[n++ % 8];
	snprintf(p, 1024, "%s/%s", root ? root : "../..", rel);
	return p;
}

/* An evaluation over repo dir with the default catalogue and policy loaded. */
static inline void gt_eval(struct gate_eval *ev, const char *dir, long long now)
{
	gate_eval_init(ev);
	ev->repo = sdl_strdup(dir);
	ev->now = now;
	if (gate_catalog_load(&ev->catalog, gt_src("rules/catalog/iec62443-4-1.json")) < 0 ||
	    gate_policy_load(&ev->policy, gt_src("rules/policy/ml3-default.json"), &ev->catalog) < 0)
		abort();
}

static inline const struct gate_check *gt_check(const struct gate_eval *ev, const char *id)
{
	const struct gate_check *c = gate_check_find(ev, id);
	if (!c) {
		fprintf(stderr, "check %s not found\n", id);
		abort();
	}
	return c;
}

#endif
