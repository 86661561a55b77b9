/* Renderers: clang-style text, SARIF 2.1.0, JSON summary. */
#ifndef SDL_AZ_REPORT_H
#define SDL_AZ_REPORT_H

#include "az.h"
#include "lib/buf.h"
#include "run.h"

struct az_report_cfg {
	const struct az_pack *pack;
	const char *root;
	int colour;          /* ANSI colours in text */
	int baseline;        /* a baseline was applied: text shows only new results */
	int audit;
	enum sdl_level fail_on;
};

/* 1 if the finding counts (not suppressed, not unchanged from the baseline). */
int az_counts(const struct sdl_finding *f, const struct az_report_cfg *cfg);

int az_render_text(struct sdl_buf *out, const struct az_run_out *run,
		   const struct az_report_cfg *cfg);
int az_render_json(struct sdl_buf *out, const struct az_run_out *run,
		   const struct az_report_cfg *cfg);
/* Build the SARIF log (moves the findings out of run). */
int az_build_sarif(struct sdl_sarif_log *log, struct az_run_out *run,
		   const struct az_report_cfg *cfg);

#endif
