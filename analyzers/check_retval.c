/*
 * ignored-return: calls whose failure matters (setuid, setgid, chdir... and
 * the rule pack's list) with the result thrown away (CWE-252; CERT C ERR33-C,
 * POS37-C). A (void) cast counts as handling, except for the pack's
 * "critical" functions, where ignoring failure keeps privileges.
 */
#include <string.h>

#include "az.h"
#include "lib/banned.h"

static void visit(struct az_ctx *ctx, void *state, CXCursor c, enum CXCursorKind k,
		  enum az_event ev)
{
	(void)state;
	if (k != CXCursor_CallExpr || ev != AZ_ENTER || !ctx->callee[0])
		return;
	const struct az_rule *r = az_rule(ctx, "ignored-return");
	int critical = az_json_strlist_has(az_rule_param(r, "critical"), ctx->callee);
	if (!critical && !az_json_strlist_has(az_rule_param(r, "functions"), ctx->callee))
		return;
	unsigned p = az_real_parent(ctx, 0);
	enum CXCursorKind pk = az_parent_kind(ctx, p);
	CXCursor pc = az_parent(ctx, p), me = az_parent(ctx, p - 1);
	int ignored = 0, voided = 0;
	switch (pk) {
	case CXCursor_CompoundStmt:
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt:
	case CXCursor_LabelStmt:
		ignored = 1;
		break;
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
		ignored = !clang_equalCursors(az_child(pc, 0), me);
		break;
	case CXCursor_CStyleCastExpr:
		voided = clang_getCursorType(pc).kind == CXType_Void;
		break;
	default:
		break;
	}
	if (ignored)
		az_report(ctx, "ignored-return", SDL_LEVEL_NONE, c,
			  "return value of '%s' is ignored; its failure must be handled", ctx->callee);
	else if (voided && critical)
		az_report(ctx, "ignored-return", SDL_LEVEL_NONE, c,
			  "return value of '%s' is discarded with a (void) cast; if it fails the "
			  "process keeps its privileges", ctx->callee);
}

const struct az_checker az_check_retval = { "retval", NULL, visit, NULL };
