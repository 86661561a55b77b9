/* Renderers: clang-style text, SARIF 2.1.0, JSON summary. */
#ifndef SDL_AZ_REPORT_H
#define SDL_AZ_REPORT_H

#include "az.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "run.h"

struct az_report_cfg {
	const struct az_pack *pack;
	const char *root;
	int colour;          /* ANSI colours in text */
	int baseline;        /* a baseline was applied: text shows only new results */
	int audit;
	enum sdl_level fail_on;
	const char *help_uri_base; /* --help-uri-base: helpUri = BASE "/<rule-id>.md"; NULL: none */
	size_t max_results;        /* SARIF results per run kept (0: AZ_SARIF_MAX_RESULTS) */
	const char *start_time;    /* gitlab-sast scan times, "YYYY-MM-DDTHH:MM:SS" (UTC) */
	const char *end_time;
};

/*
 * GitHub code scanning accepts at most 25,000 results per run (and keeps the
 * most severe 5,000 for display): beyond it the upload is rejected.
 */
#define AZ_SARIF_MAX_RESULTS 25000
/* GitLab security-report-schemas release the gitlab-sast output follows. */
#define AZ_GITLAB_SCHEMA_VERSION "15.0.7"

/*
 * Keep the `max` most severe findings (unsuppressed first, then by the rule's
 * security-severity, the level, new before unchanged, then the output order),
 * in output order. Returns how many were dropped.
 */
size_t az_truncate_results(struct sdl_findings *list, const struct az_pack *pack, size_t max);
/* GitLab SAST severity of a finding: "Critical", "High", "Medium", "Low", "Info". */
const char *az_gitlab_severity(const struct sdl_finding *f, const struct az_rule *rule);
/* GitLab SAST report (security-report-schemas 15.x) of the unsuppressed findings. */
int az_render_gitlab(struct sdl_buf *out, const struct az_run_out *run,
		     const struct az_report_cfg *cfg);

/* 1 if the finding counts (not suppressed, not unchanged from the baseline). */
int az_counts(const struct sdl_finding *f, const struct az_report_cfg *cfg);

/* Append `s` with control characters escaped (\\n, \\x1b; CWE-117, CWE-150). */
int az_text_escape(struct sdl_buf *out, const char *s);
int az_render_text(struct sdl_buf *out, const struct az_run_out *run,
		   const struct az_report_cfg *cfg);
/*
 * Append f to a JSON array as {rule, level, path, line, column, message}
 * (plus function when with_function): the JSON summary's and the cache's
 * shape. 0 or SDL_ENOMEM.
 */
int az_finding_to_json(cJSON *array, const struct sdl_finding *f, int with_function);
int az_render_json(struct sdl_buf *out, const struct az_run_out *run,
		   const struct az_report_cfg *cfg);
/* Build the SARIF log (moves the findings out of run); *dropped = results left
 * out to stay within AZ_SARIF_MAX_RESULTS (also said in a notification). */
int az_build_sarif(struct sdl_sarif_log *log, struct az_run_out *run,
		   const struct az_report_cfg *cfg, size_t *dropped);

#endif
