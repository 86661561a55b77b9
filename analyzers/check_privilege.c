/*
 * chroot-no-chdir: chroot() without a later chdir() in the same function
 * leaves the working directory outside the jail (CWE-243; CERT C POS05-C).
 * privilege-drop-order: setgid/setgroups/initgroups after setuid: once the
 * user id is dropped the group cannot be changed any more (CWE-696;
 * CERT C POS36-C).
 */
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

struct state {
	int chroot_seen, chdir_after;
	CXCursor chroot_call;
	char uid_fn[128];
	CXCursor uid_call;
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

static int in_param(struct az_ctx *ctx, const char *rule, const char *key, const char *fn)
{
	return az_json_strlist_has(az_rule_param(az_rule(ctx, rule), key), fn);
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (k == CXCursor_FunctionDecl && ctx->in_func) {
		if (ev == AZ_ENTER) {
			memset(st, 0, sizeof *st);
		} else if (st->chroot_seen && !st->chdir_after) {
			az_report(ctx, "chroot-no-chdir", SDL_LEVEL_NONE, st->chroot_call,
				  "chroot() is not followed by chdir(\"/\"): the working directory "
				  "stays outside the jail");
		}
		return;
	}
	if (ev != AZ_ENTER || k != CXCursor_CallExpr || !ctx->callee[0] || !ctx->in_func)
		return;
	const char *fn = ctx->callee;
	if (!strcmp(fn, "chroot")) {
		st->chroot_seen = 1;
		st->chdir_after = 0;
		st->chroot_call = c;
	} else if (!strcmp(fn, "chdir") || !strcmp(fn, "fchdir")) {
		st->chdir_after = 1;
	}
	if (in_param(ctx, "privilege-drop-order", "user_functions", fn)) {
		long long v;
		if (az_nargs(c) > 0 && az_int_const(az_arg(c, 0), &v) && v == 0) {
			st->uid_fn[0] = '\0'; /* becoming root again: groups may change after it */
			return;
		}
		snprintf(st->uid_fn, sizeof st->uid_fn, "%s", fn);
		st->uid_call = c;
	} else if (st->uid_fn[0] && in_param(ctx, "privilege-drop-order", "group_functions", fn)) {
		az_report(ctx, "privilege-drop-order", SDL_LEVEL_NONE, c,
			  "'%s' after '%s': drop group privileges before the user id, or the "
			  "process cannot drop them any more", fn, st->uid_fn);
	}
}

const struct az_checker az_check_privilege = { "privilege", tu_begin, visit, tu_end };
