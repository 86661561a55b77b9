/*
 * weak-crypto: MD5, SHA-1, DES/3DES, RC4 and ECB mode through the OpenSSL,
 * mbedTLS and wolfSSL APIs, by function and enum-constant name patterns from
 * the rule pack (CWE-327, CWE-328). Reported once per algorithm per function.
 * weak-prng: rand, random, the drand48 family, and srand(time(...)) seeding
 * (CWE-338; CERT C MSC30-C, MSC32-C). Reported once per function.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define MAX_ALGS 16

struct state {
	pcre2_code *fn[MAX_ALGS], *konst[MAX_ALGS];
	const char *alg[MAX_ALGS];
	size_t nalgs;
	pcre2_match_data *md;
	unsigned reported;  /* algorithms reported in the current function */
	int prng_reported;
	pcre2_code *security_context;
};

static void tu_end(struct az_ctx *ctx, void *state)
{
	struct state *st = state;
	(void)ctx;
	for (size_t i = 0; i < st->nalgs; i++) {
		pcre2_code_free(st->fn[i]);
		pcre2_code_free(st->konst[i]);
	}
	pcre2_code_free(st->security_context);
	pcre2_match_data_free(st->md);
	sdl_free(st);
}

static pcre2_code *compile(const cJSON *pat, int *err)
{
	int ec;
	PCRE2_SIZE off;
	if (!cJSON_IsString(pat))
		return NULL;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat->valuestring, PCRE2_ZERO_TERMINATED, 0,
				       &ec, &off, NULL);
	if (!re)
		*err = sdl_error_set(SDL_EINVAL, "rule pack: weak-crypto: bad pattern for %s at offset %zu",
				     pat->string ? pat->string : "?", (size_t)off);
	return re;
}

static int tu_begin(struct az_ctx *ctx, void **state)
{
	struct state *st = sdl_calloc(1, sizeof *st);
	int err = 0;
	if (!st)
		return SDL_ENOMEM;
	const struct az_rule *r = az_rule(ctx, "weak-crypto");
	const cJSON *fns = az_rule_param(r, "functions"), *konst = az_rule_param(r, "constants");
	const cJSON *it;
	cJSON_ArrayForEach(it, fns) {
		if (st->nalgs >= MAX_ALGS)
			break;
		st->alg[st->nalgs] = it->string;
		st->fn[st->nalgs] = compile(it, &err);
		st->konst[st->nalgs] = compile(konst ? cJSON_GetObjectItemCaseSensitive(konst, it->string) : NULL, &err);
		st->nalgs++;
	}
	st->security_context = compile(az_rule_param(az_rule(ctx, "weak-prng"), "security_context"), &err);
	st->md = pcre2_match_data_create(2, NULL);
	if (!st->md && !err)
		err = SDL_ENOMEM;
	*state = st;
	if (err) {
		tu_end(ctx, st);
		*state = NULL;
	}
	return err;
}

static int match(struct state *st, pcre2_code *re, const char *s)
{
	return re && pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, st->md, NULL) >= 0;
}

static void weak(struct az_ctx *ctx, struct state *st, CXCursor c, const char *name, int konst)
{
	for (size_t i = 0; i < st->nalgs; i++) {
		if (!match(st, konst ? st->konst[i] : st->fn[i], name))
			continue;
		if (st->reported & (1u << i))
			return;
		st->reported |= 1u << i;
		az_report(ctx, "weak-crypto", SDL_LEVEL_NONE, c,
			  "weak cryptography: %s (through '%s'); use SHA-256 or better, AES-GCM or "
			  "ChaCha20-Poly1305", st->alg[i], name);
		return;
	}
}

static int calls_time(struct az_ctx *ctx, CXCursor arg)
{
	char name[64];
	CXCursor e = az_strip_casts(arg);
	if (clang_getCursorKind(e) == CXCursor_BinaryOperator) /* time(NULL) ^ getpid() */
		return calls_time(ctx, az_child(e, 0)) || calls_time(ctx, az_child(e, 1));
	if (clang_getCursorKind(e) != CXCursor_CallExpr)
		return 0;
	az_callee(e, name, sizeof name);
	return !strcmp(name, "time") || !strcmp(name, "getpid") || !strcmp(name, "clock") ||
	       !strcmp(name, "gettimeofday");
}

static void prng(struct az_ctx *ctx, struct state *st, CXCursor c)
{
	const struct az_rule *r = az_rule(ctx, "weak-prng");
	if (az_json_strlist_has(az_rule_param(r, "seeders"), ctx->callee)) {
		if (az_nargs(c) > 0 && calls_time(ctx, az_arg(c, 0)))
			az_report(ctx, "weak-prng", SDL_LEVEL_NONE, c,
				  "'%s' seeded from the clock: the sequence is predictable", ctx->callee);
		return;
	}
	if (!az_json_strlist_has(az_rule_param(r, "functions"), ctx->callee) || st->prng_reported)
		return;
	/*
	 * Where the value goes decides: in a function or into a variable whose
	 * name says key, token, nonce, session... it must not be guessable.
	 * Elsewhere (jitter, sampling, test data) only --audit reports it.
	 */
	char target[256] = "";
	for (unsigned up = 1; up < ctx->depth && up < 16; up++) {
		enum CXCursorKind k = az_parent_kind(ctx, up);
		CXCursor p = az_parent(ctx, up);
		char op[4];
		if (k == CXCursor_VarDecl) {
			az_str(clang_getCursorSpelling(p), target, sizeof target);
			break;
		}
		if ((k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) &&
		    (k == CXCursor_CompoundAssignOperator || !strcmp(az_binop(ctx->tu, p, op, sizeof op), "="))) {
			az_expr_text(ctx->tu, az_child(p, 0), target, sizeof target);
			break;
		}
		if (clang_isStatement(k))
			break;
	}
	int security = match(st, st->security_context, ctx->func_name) ||
		       (target[0] && match(st, st->security_context, target));
	if (!security && !ctx->opts->audit)
		return;
	st->prng_reported = 1;
	az_report(ctx, "weak-prng", security ? SDL_LEVEL_NONE : SDL_LEVEL_NOTE, c,
		  "'%s' is not a cryptographic random generator; use getrandom() or a CSPRNG "
		  "where the value must not be guessed%s", ctx->callee,
		  security ? "" : " (audit: no security use recognised)");
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	if (ev != AZ_ENTER)
		return;
	if (k == CXCursor_FunctionDecl) {
		st->reported = 0;
		st->prng_reported = 0;
	} else if (k == CXCursor_CallExpr && ctx->callee[0]) {
		if (az_enabled(ctx, "weak-crypto"))
			weak(ctx, st, c, ctx->callee, 0);
		prng(ctx, st, c);
	} else if (k == CXCursor_DeclRefExpr && az_enabled(ctx, "weak-crypto")) {
		CXCursor d = clang_getCursorReferenced(c);
		char name[128];
		if (clang_getCursorKind(d) != CXCursor_EnumConstantDecl)
			return;
		az_str(clang_getCursorSpelling(d), name, sizeof name);
		weak(ctx, st, c, name, 1);
	}
}

const struct az_checker az_check_crypto = { "crypto", tu_begin, visit, tu_end };
