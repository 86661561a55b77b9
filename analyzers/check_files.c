/*
 * toctou: access/stat/lstat on a path, then open/fopen/chmod/chown... of the
 * same path in the same function: the file can be swapped in between
 * (CWE-367; CERT C FIO45-C).
 * insecure-tempfile: tmpnam, tempnam, mktemp, and fixed names in shared
 * temporary directories opened without O_EXCL / "x" (CWE-377; CERT C FIO21-C).
 * world-writable: constant modes with S_IWOTH in chmod, open, mkdir...,
 * and umask values that do not mask it (CWE-732; CERT C FIO06-C).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define MAX_CHECKED 64

struct state {
	char checked[MAX_CHECKED][128];
	char checker[MAX_CHECKED][128];
	size_t n;
};

static int tu_begin(struct az_ctx *ctx, void **state)
{
	(void)ctx;
	*state = sdl_calloc(1, sizeof(struct state));
	return *state ? 0 : SDL_ENOMEM;
}

static void tu_end(struct az_ctx *ctx, void *state)
{
	(void)ctx;
	sdl_free(state);
}

static int param_index(struct az_ctx *ctx, const char *rule, const char *key)
{
	const cJSON *fns = az_rule_param(az_rule(ctx, rule), key);
	const cJSON *i = fns ? cJSON_GetObjectItemCaseSensitive(fns, ctx->callee) : NULL;
	return cJSON_IsNumber(i) ? i->valueint : -1;
}

static void toctou(struct az_ctx *ctx, struct state *st, CXCursor c)
{
	int ci = param_index(ctx, "toctou", "checks");
	int ui = param_index(ctx, "toctou", "uses");
	char key[128];
	if (ci >= 0 && ci < az_nargs(c) && st->n < MAX_CHECKED) {
		az_expr_text(ctx->tu, az_arg(c, (unsigned)ci), key, sizeof key);
		if (key[0]) {
			snprintf(st->checked[st->n], sizeof st->checked[0], "%s", key);
			snprintf(st->checker[st->n], sizeof st->checker[0], "%s", ctx->callee);
			st->n++;
		}
		return;
	}
	if (ui < 0 || ui >= az_nargs(c))
		return;
	long long flags;
	/* open(path, O_NOFOLLOW...) after the check: the recommended mitigation, not reported */
	if ((!strcmp(ctx->callee, "open") || !strcmp(ctx->callee, "openat")) &&
	    az_nargs(c) > ui + 1 && az_int_const(az_arg(c, (unsigned)ui + 1), &flags) &&
	    (flags & O_NOFOLLOW))
		return;
	az_expr_text(ctx->tu, az_arg(c, (unsigned)ui), key, sizeof key);
	for (size_t i = 0; i < st->n; i++) {
		if (strcmp(st->checked[i], key))
			continue;
		az_report(ctx, "toctou", SDL_LEVEL_NONE, c,
			  "'%s' of '%s' after '%s' checked it: the file can change in between; "
			  "open first, then check the descriptor (fstat, openat with O_NOFOLLOW)",
			  ctx->callee, key, st->checker[i]);
		/* one report per check */
		st->n--;
		memmove(&st->checked[i], &st->checked[i + 1], (st->n - i) * sizeof st->checked[0]);
		memmove(&st->checker[i], &st->checker[i + 1], (st->n - i) * sizeof st->checker[0]);
		return;
	}
}

static int in_shared_tmp(struct az_ctx *ctx, const char *path)
{
	const cJSON *dirs = az_rule_param(az_rule(ctx, "insecure-tempfile"), "shared_dirs"), *d;
	cJSON_ArrayForEach(d, dirs)
		if (cJSON_IsString(d) && !strncmp(path, d->valuestring, strlen(d->valuestring)))
			return 1;
	return 0;
}

static void tempfile(struct az_ctx *ctx, CXCursor c)
{
	const struct az_rule *r = az_rule(ctx, "insecure-tempfile");
	const cJSON *names = az_rule_param(r, "functions");
	const cJSON *repl = names ? cJSON_GetObjectItemCaseSensitive(names, ctx->callee) : NULL;
	if (cJSON_IsString(repl)) {
		az_report(ctx, "insecure-tempfile", SDL_LEVEL_NONE, c,
			  "'%s' creates a predictable temporary name (race); use %s", ctx->callee,
			  repl->valuestring);
		return;
	}
	int opener = !strcmp(ctx->callee, "open") || !strcmp(ctx->callee, "creat") ||
		     !strcmp(ctx->callee, "fopen") || !strcmp(ctx->callee, "freopen");
	char path[1024];
	if (!opener || !az_literal_value(az_arg(c, 0), path, sizeof path) ||
	    !in_shared_tmp(ctx, path))
		return;
	if (!strcmp(ctx->callee, "open")) {
		long long flags;
		if (az_nargs(c) < 2 || !az_int_const(az_arg(c, 1), &flags))
			return;
		if (!(flags & O_CREAT) || (flags & O_EXCL))
			return;
	} else if (ctx->callee[0] == 'f') {
		char mode[16];
		if (!az_literal_value(az_arg(c, 1), mode, sizeof mode) || strchr(mode, 'x') ||
		    mode[0] == 'r')
			return;
	}
	az_report(ctx, "insecure-tempfile", SDL_LEVEL_NONE, c,
		  "'%s' of the fixed name \"%s\" in a shared directory can be hijacked; use mkstemp "
		  "or O_CREAT|O_EXCL", ctx->callee, path);
}

static void world_writable(struct az_ctx *ctx, CXCursor c)
{
	long long mode;
	if (!strcmp(ctx->callee, "umask")) {
		if (az_nargs(c) == 1 && az_int_const(az_arg(c, 0), &mode) && !(mode & 02))
			az_report(ctx, "world-writable", SDL_LEVEL_NONE, c,
				  "umask(0%llo) lets new files be world-writable; mask S_IWOTH (e.g. 022)",
				  mode);
		return;
	}
	int mi = param_index(ctx, "world-writable", "functions");
	int creating = 0;
	if (mi < 0) {
		/* creation modes pass through the umask (022 by default): audit only */
		mi = param_index(ctx, "world-writable", "creating");
		creating = 1;
	}
	if (mi < 0 || mi >= az_nargs(c) || (creating && !ctx->opts->audit))
		return;
	if (!az_int_const(az_arg(c, (unsigned)mi), &mode) || !(mode & 02))
		return;
	if (creating)
		az_report(ctx, "world-writable", SDL_LEVEL_NOTE, c,
			  "'%s' with mode 0%llo creates a world-writable file unless the umask masks "
			  "S_IWOTH (audit)", ctx->callee, mode);
	else
		az_report(ctx, "world-writable", SDL_LEVEL_NONE, c,
			  "'%s' with mode 0%llo makes the file world-writable", ctx->callee, mode);
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (ev != AZ_ENTER)
		return;
	if (k == CXCursor_FunctionDecl) {
		st->n = 0;
		return;
	}
	if (k != CXCursor_CallExpr || !ctx->callee[0])
		return;
	toctou(ctx, st, c);
	tempfile(ctx, c);
	world_writable(ctx, c);
}

const struct az_checker az_check_files = { "files", tu_begin, visit, tu_end };
