/*
 * The findings model shared by every tool: one finding is a rule hit at a
 * location, with a message, a fingerprint that survives lines moving, and an
 * optional suppression with its justification.
 */
#ifndef SDL_FINDING_H
#define SDL_FINDING_H

#include <stddef.h>

enum sdl_level { SDL_LEVEL_NONE, SDL_LEVEL_NOTE, SDL_LEVEL_WARNING, SDL_LEVEL_ERROR };

/* "none", "note", "warning", "error" (SARIF's names). */
const char *sdl_level_name(enum sdl_level level);
/* Parse a SARIF level name; SDL_EINVAL if unknown. */
int sdl_level_parse(enum sdl_level *out, const char *name);

enum sdl_supp_kind { SDL_SUPP_IN_SOURCE, SDL_SUPP_EXTERNAL };
enum sdl_supp_status { SDL_SUPP_ACCEPTED, SDL_SUPP_UNDER_REVIEW, SDL_SUPP_REJECTED };

struct sdl_suppression {
	enum sdl_supp_kind kind;
	enum sdl_supp_status status;
	char *justification; /* owned; may be NULL (an unjustified suppression) */
};

enum sdl_baseline { SDL_BASELINE_NONE, SDL_BASELINE_NEW, SDL_BASELINE_UNCHANGED,
		    SDL_BASELINE_UPDATED, SDL_BASELINE_ABSENT };

/* Every string is owned by the finding and freed by sdl_finding_release(). */
struct sdl_finding {
	char *rule_id;
	enum sdl_level level;
	char *path;          /* relative to the source root, '/'-separated; may be NULL */
	unsigned line, column;         /* 1-based; 0 = unknown */
	unsigned end_line, end_column; /* 0 = unknown */
	char *message;
	char *function;      /* enclosing function, may be NULL */
	char *fingerprint;   /* hex; partialFingerprints["sdlFingerprint/v1"]; may be NULL */
	int suppressed;      /* supp is meaningful only when set */
	struct sdl_suppression supp;
	enum sdl_baseline baseline;
};

void sdl_finding_release(struct sdl_finding *f);

struct sdl_findings {
	struct sdl_finding *items;
	size_t count, cap;
};

void sdl_findings_init(struct sdl_findings *list);
void sdl_findings_release(struct sdl_findings *list);

/*
 * Append a finding, taking ownership of the strings inside *f (f is zeroed
 * afterwards). On failure the strings are freed. Bounded by SDL_FINDINGS_MAX.
 */
#define SDL_FINDINGS_MAX 10000000
int sdl_findings_take(struct sdl_findings *list, struct sdl_finding *f);

/*
 * Append a copy of a finding described by plain values (the strings are
 * copied; path, function and fingerprint may be NULL).
 */
int sdl_findings_add(struct sdl_findings *list, const char *rule_id,
		     enum sdl_level level, const char *path, unsigned line,
		     unsigned column, const char *message, const char *function);

/* Sort by path, line, column, rule id, message: the deterministic output order. */
void sdl_findings_sort(struct sdl_findings *list);

/*
 * The order sdl_findings_sort() uses (<0, 0, >0); ties on the keys above are
 * broken by the remaining fields so the order is total. NULL strings sort first.
 */
int sdl_finding_cmp(const struct sdl_finding *a, const struct sdl_finding *b);

/* Drop exact duplicates (same rule, path, line, column, message); call after sort. */
void sdl_findings_dedup(struct sdl_findings *list);

/*
 * The text of source line `line` of `path`, for fingerprinting; NULL if not
 * available. The returned pointer must stay valid until the next call.
 */
typedef const char *(*sdl_line_text_cb)(const char *path, unsigned line, void *payload);

/*
 * Give every finding without one a fingerprint: SHA-256 over the rule id,
 * the path, the enclosing function and the whitespace-normalised text of the
 * finding's line (not its number), so it survives lines moving above it.
 * Findings whose inputs coincide are numbered in order of position so each
 * fingerprint is unique within the list. line_text may be NULL (then the
 * message stands in for the line text).
 */
int sdl_findings_fingerprint(struct sdl_findings *list, sdl_line_text_cb line_text,
			     void *payload);

#endif
