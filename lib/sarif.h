/*
 * SARIF 2.1.0 (OASIS) writer and reader.
 *
 * The writer emits one run per tool with rules, results (ruleIndex,
 * partialFingerprints, suppressions, baselineState), the list of analysed
 * artifacts and toolExecutionNotifications; paths are relative with
 * uriBaseId %SRCROOT%. Output is deterministic.
 *
 * The reader accepts SARIF from other tools (clang -fdiagnostics-format=sarif,
 * gcc, cppcheck, CodeQL / GitHub samples): it takes ruleId from the result or,
 * failing that, from the rule at ruleIndex; level from the result, else the
 * rule's defaultConfiguration, else "warning"; the first physical location.
 */
#ifndef SDL_SARIF_H
#define SDL_SARIF_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/finding.h"

struct sdl_rule {
	char *id;
	char *name;        /* PascalCase name, may be NULL */
	char *short_desc;
	char *full_desc;   /* may be NULL */
	char *help_uri;    /* may be NULL */
	enum sdl_level level; /* defaultConfiguration.level */
	char **tags;       /* e.g. "security", "external/cwe/cwe-120", "iec62443-4-1/SI-2" */
	size_t ntags;
	char *security_severity; /* "0.0".."10.0" as a string, may be NULL */
	char *precision;   /* very-high, high, medium, low; may be NULL */
};

struct sdl_notification {
	enum sdl_level level;
	char *message;
	char *path; /* may be NULL */
};

/* All members owned by the run and freed by sdl_sarif_run_release(). */
struct sdl_sarif_run {
	char *tool_name;
	char *tool_version;    /* may be NULL */
	char *info_uri;        /* may be NULL */
	char *automation_id;   /* runAutomationDetails.id, may be NULL */
	char *srcroot_uri;     /* originalUriBaseIds.%SRCROOT%.uri (file:///...), may be NULL */
	struct sdl_rule *rules;
	size_t nrules;
	struct sdl_findings results;
	char **artifacts;      /* analysed files, relative to the source root */
	size_t nartifacts;
	struct sdl_notification *notifications;
	size_t nnotifications;
	int execution_successful;
};

struct sdl_sarif_log {
	struct sdl_sarif_run *runs;
	size_t nruns;
};

void sdl_sarif_run_init(struct sdl_sarif_run *run);
void sdl_sarif_run_release(struct sdl_sarif_run *run);
void sdl_sarif_log_init(struct sdl_sarif_log *log);
void sdl_sarif_log_release(struct sdl_sarif_log *log);

/* Add a rule (strings copied; tags copied). */
int sdl_sarif_run_add_rule(struct sdl_sarif_run *run, const struct sdl_rule *rule);
/* Add an analysed file (copied; duplicates ignored). */
int sdl_sarif_run_add_artifact(struct sdl_sarif_run *run, const char *path);
int sdl_sarif_run_add_notification(struct sdl_sarif_run *run, enum sdl_level level,
				   const char *path, const char *message);

/* Render a log as SARIF 2.1.0 JSON (appended to out). */
int sdl_sarif_render(struct sdl_buf *out, const struct sdl_sarif_log *log);
/* Render and write atomically to path ("-" = stdout). */
int sdl_sarif_write_file(const char *path, const struct sdl_sarif_log *log);

/*
 * Parse a SARIF document. SDL_EINVAL (naming `name`, and line:col for JSON
 * syntax errors) if it is not SARIF 2.1.0: no "runs" array, a run without
 * tool.driver.name, a result without a message.
 */
int sdl_sarif_parse(struct sdl_sarif_log *out, const char *data, size_t len,
		    const char *name);
int sdl_sarif_read_file(struct sdl_sarif_log *out, const char *path);

/* Merge: append (moving) every run of src into dst, merging runs of the same tool. */
int sdl_sarif_merge(struct sdl_sarif_log *dst, struct sdl_sarif_log *src);

#endif
