/*
 * hardcoded-credential: string literals flowing into variables, fields or
 * parameters whose names match the rule pack's PCRE2 patterns (password,
 * secret, token, api_key...), PEM private key blocks and well-known token
 * shapes in any literal (CWE-798, CWE-321; CERT C MSC41-C).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/banned.h"

#define MAX_SHAPES 32

struct state {
	pcre2_code *name, *name_exclude, *value_exclude;
	pcre2_code *shape[MAX_SHAPES];
	const char *shape_name[MAX_SHAPES];
	size_t nshapes;
	pcre2_match_data *md;
	size_t min_length;
};

static pcre2_code *compile(const char *pat, const char *what, int *err)
{
	int ec;
	PCRE2_SIZE off;
	if (!pat)
		return NULL;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec,
				       &off, NULL);
	if (!re)
		*err = sdl_error_set(SDL_EINVAL, "rule pack: hardcoded-credential: bad pattern %s at offset %zu",
				     what, (size_t)off);
	return re;
}

static void tu_end(struct az_ctx *ctx, void *state)
{
	struct state *st = state;
	(void)ctx;
	if (!st)
		return;
	pcre2_code_free(st->name);
	pcre2_code_free(st->name_exclude);
	pcre2_code_free(st->value_exclude);
	for (size_t i = 0; i < st->nshapes; i++)
		pcre2_code_free(st->shape[i]);
	pcre2_match_data_free(st->md);
	sdl_free(st);
}

static int tu_begin(struct az_ctx *ctx, void **state)
{
	const struct az_rule *r = az_rule(ctx, "hardcoded-credential");
	struct state *st;
	int err = 0;
	*state = NULL;
	if (!r || !r->enabled)
		return 0;
	st = sdl_calloc(1, sizeof *st);
	if (!st)
		return SDL_ENOMEM;
	const cJSON *p = r->params;
	st->name = compile(sdl_json_str(p, "name_pattern"), "name_pattern", &err);
	st->name_exclude = compile(sdl_json_str(p, "name_exclude"), "name_exclude", &err);
	st->value_exclude = compile(sdl_json_str(p, "value_exclude"), "value_exclude", &err);
	st->min_length = (size_t)sdl_json_num(p, "min_length", 4);
	const cJSON *shapes = az_rule_param(r, "value_shapes"), *it;
	cJSON_ArrayForEach(it, shapes) {
		if (st->nshapes >= MAX_SHAPES || !it->string || !cJSON_IsString(it))
			continue;
		st->shape[st->nshapes] = compile(it->valuestring, it->string, &err);
		st->shape_name[st->nshapes] = it->string;
		if (st->shape[st->nshapes])
			st->nshapes++;
	}
	st->md = pcre2_match_data_create(4, NULL);
	if (!st->md && !err)
		err = SDL_ENOMEM;
	if (err) {
		tu_end(ctx, st);
		return err;
	}
	*state = st;
	return 0;
}

static int match(const struct state *st, pcre2_code *re, const char *s)
{
	if (!re)
		return 0;
	return pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, st->md, NULL) >= 0;
}

static int credential_name(const struct state *st, const char *name)
{
	return match(st, st->name, name) && !match(st, st->name_exclude, name);
}

/* The shape a literal's value has, or NULL. */
static const char *shape_of(const struct state *st, const char *v)
{
	for (size_t i = 0; i < st->nshapes; i++)
		if (match(st, st->shape[i], v))
			return st->shape_name[i];
	return NULL;
}

static int credential_value(const struct state *st, const char *v)
{
	return strlen(v) >= st->min_length && !match(st, st->value_exclude, v);
}

/* A name receives a literal: report it if both look like a credential. */
static void check_flow(struct az_ctx *ctx, struct state *st, CXCursor at, const char *name,
		       CXCursor value, const char *what)
{
	char v[4096];
	if (!name[0] || !credential_name(st, name))
		return;
	if (!az_literal_value(value, v, sizeof v) || !credential_value(st, v) || shape_of(st, v))
		return;
	az_report(ctx, "hardcoded-credential", SDL_LEVEL_NONE, at,
		  "hard-coded credential: string literal assigned to %s '%s'", what, name);
}

struct fields { CXCursor *f; unsigned n, cap; };

static enum CXVisitorResult field_cb(CXCursor c, CXClientData data)
{
	struct fields *fs = data;
	if (fs->n < fs->cap)
		fs->f[fs->n++] = c;
	return CXVisit_Continue;
}

static void check_init_list(struct az_ctx *ctx, struct state *st, CXCursor c)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(c));
	if (t.kind != CXType_Record)
		return;
	CXCursor f[64];
	struct fields fs = { f, 0, 64 };
	clang_Type_visitFields(t, field_cb, &fs);
	unsigned n = az_nchildren(c);
	for (unsigned i = 0; i < n && i < fs.n; i++) {
		char name[128];
		CXCursor v = az_child(c, i);
		if (clang_getCursorKind(az_strip_casts(v)) != CXCursor_StringLiteral)
			continue;
		az_str(clang_getCursorSpelling(fs.f[i]), name, sizeof name);
		check_flow(ctx, st, v, name, v, "field");
	}
}

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	struct state *st = state;
	char name[256], v[4096];
	if (!st || ev != AZ_ENTER)
		return;
	switch (k) {
	case CXCursor_StringLiteral: {
		const char *shape;
		if (az_literal_value(c, v, sizeof v) && (shape = shape_of(st, v)))
			az_report(ctx, "hardcoded-credential", SDL_LEVEL_NONE, c,
				  "hard-coded credential: string literal looks like %s", shape);
		break;
	}
	case CXCursor_VarDecl: {
		CXCursor init = clang_Cursor_getVarDeclInitializer(c);
		if (az_null(init))
			break;
		az_str(clang_getCursorSpelling(c), name, sizeof name);
		check_flow(ctx, st, c, name, init, "variable");
		break;
	}
	case CXCursor_BinaryOperator: {
		char op[8];
		if (strcmp(az_binop(ctx->tu, c, op, sizeof op), "="))
			break;
		CXCursor lhs = az_strip(az_child(c, 0));
		enum CXCursorKind lk = clang_getCursorKind(lhs);
		if (lk != CXCursor_DeclRefExpr && lk != CXCursor_MemberRefExpr)
			break;
		az_str(clang_getCursorSpelling(lhs), name, sizeof name);
		check_flow(ctx, st, c, name, az_child(c, 1), lk == CXCursor_MemberRefExpr ? "field" : "variable");
		break;
	}
	case CXCursor_CallExpr: {
		CXCursor d = az_callee_decl(c);
		if (az_null(d))
			break;
		int n = az_nargs(c), np = clang_Cursor_getNumArguments(d);
		for (int i = 0; i < n && i < np; i++) {
			CXCursor a = az_arg(c, (unsigned)i);
			if (clang_getCursorKind(az_strip_casts(a)) != CXCursor_StringLiteral)
				continue;
			az_str(clang_getCursorSpelling(clang_Cursor_getArgument(d, (unsigned)i)), name,
			       sizeof name);
			check_flow(ctx, st, a, name, a, "parameter");
		}
		break;
	}
	case CXCursor_InitListExpr:
		check_init_list(ctx, st, c);
		break;
	default:
		break;
	}
}

const struct az_checker az_check_credentials = { "credentials", tu_begin, visit, tu_end };
