/* File contents of analysed files, read once. */
#include <stdio.h>
#include <string.h>

#include "sources.h"
#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/banned.h"

void az_sources_init(struct az_sources *s, const char *root, const struct az_unsaved *unsaved,
		     size_t nunsaved)
{
	memset(s, 0, sizeof *s);
	s->root = root;
	s->unsaved = unsaved;
	s->nunsaved = nunsaved;
}

void az_sources_release(struct az_sources *s)
{
	for (size_t i = 0; i < s->n; i++) {
		sdl_free(s->v[i].rel);
		sdl_free(s->v[i].data);
		sdl_free(s->v[i].lines);
	}
	sdl_free(s->v);
	memset(s, 0, sizeof *s);
}

static int index_lines(struct az_source *src)
{
	size_t n = 1;
	for (size_t i = 0; i < src->len; i++)
		n += src->data[i] == '\n';
	src->lines = sdl_calloc(n, sizeof *src->lines);
	if (!src->lines)
		return SDL_ENOMEM;
	src->nlines = 1;
	for (size_t i = 0; i < src->len; i++)
		if (src->data[i] == '\n')
			src->lines[src->nlines++] = i + 1;
	return 0;
}

const struct az_source *az_sources_get(struct az_sources *s, const char *rel)
{
	struct sdl_buf buf = SDL_BUF_INIT, path = SDL_BUF_INIT;
	struct az_source src = { 0 };
	int ret;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].rel, rel))
			return &s->v[i];
	if ((ret = sdl_path_join(&path, s->root, rel)) < 0)
		goto fail;
	int got = 0;
	for (size_t i = 0; i < s->nunsaved; i++)
		if (!strcmp(s->unsaved[i].path, path.ptr)) {
			if ((ret = sdl_buf_put(&buf, s->unsaved[i].data, s->unsaved[i].len)) < 0)
				goto fail;
			got = 1;
		}
	if (!got && (ret = sdl_fs_read_file(&buf, path.ptr, AZ_MAX_SOURCE_BYTES)) < 0)
		goto fail;
	ret = SDL_ENOMEM;
	if (s->n == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 32;
		struct az_source *v = sdl_reallocarray(s->v, n, sizeof *v);
		if (!v)
			goto fail;
		s->v = v;
		s->cap = n;
	}
	src.rel = sdl_strdup(rel);
	src.data = sdl_buf_detach(&buf, &src.len);
	if (!src.rel || !src.data || index_lines(&src) < 0) {
		sdl_free(src.rel);
		sdl_free(src.data);
		goto fail;
	}
	s->v[s->n] = src;
	sdl_buf_release(&path);
	return &s->v[s->n++];
fail:
	sdl_buf_release(&buf);
	sdl_buf_release(&path);
	/* an unreadable file is no error (it has no suppressions); running out
	 * of memory is, and must not quietly turn suppressions off */
	if (ret == SDL_ENOMEM) {
		if (!s->err)
			s->err = SDL_ENOMEM;
	} else {
		sdl_error_clear();
	}
	return NULL;
}

const char *az_sources_line(const char *path, unsigned line, void *payload)
{
	struct az_sources *s = payload;
	const struct az_source *src = path ? az_sources_get(s, path) : NULL;
	if (!src || line == 0 || line > src->nlines)
		return NULL;
	size_t a = src->lines[line - 1];
	size_t b = line < src->nlines ? src->lines[line] : src->len;
	while (b > a && (src->data[b - 1] == '\n' || src->data[b - 1] == '\r'))
		b--;
	size_t n = b - a < sizeof s->line_buf - 1 ? b - a : sizeof s->line_buf - 1;
	memcpy(s->line_buf, src->data + a, n);
	s->line_buf[n] = '\0';
	return s->line_buf;
}
