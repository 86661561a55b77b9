/*
 * The text of analysed files, read once: from the work tree, or from the
 * unsaved (staged) contents when --staged supplies them. Used for inline
 * suppressions, fingerprints (line text) and --diff-base.
 */
#ifndef SDL_AZ_SOURCES_H
#define SDL_AZ_SOURCES_H

#include <stddef.h>

#include "az.h"

struct az_source {
	char *rel;
	char *data;
	size_t len;
	size_t *lines; /* offset of each line start; lines[0] = 0 */
	size_t nlines;
};

struct az_sources {
	const char *root;
	const struct az_unsaved *unsaved;
	size_t nunsaved;
	struct az_source *v;
	size_t n, cap;
	char line_buf[4096];
	int err;       /* SDL_ENOMEM once a read ran out of memory (sticky) */
};

void az_sources_init(struct az_sources *s, const char *root, const struct az_unsaved *unsaved,
		     size_t nunsaved);
void az_sources_release(struct az_sources *s);
/*
 * The file (relative to the root); NULL if it cannot be read (not an error),
 * or when memory ran out: then s->err is SDL_ENOMEM and the error is kept.
 */
const struct az_source *az_sources_get(struct az_sources *s, const char *rel);
/* sdl_line_text_cb: line `line` (1-based) of `path`, without its newline. */
const char *az_sources_line(const char *path, unsigned line, void *payload);

#endif
