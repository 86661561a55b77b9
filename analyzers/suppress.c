/*
 * Inline suppressions: a comment `sdl-allow(rule-id[, rule-id]): reason` on
 * the line of a finding or the line before suppresses it. The finding stays
 * in the output, marked suppressed with the reason as its justification. A
 * suppression without a reason, or one that matches no finding, is itself a
 * finding (suppression-unjustified, suppression-unused).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "az.h"
#include "sources.h"
#include "suppress.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define MAX_IDS 8

struct supp {
	const char *path;
	unsigned line, col;
	char ids[MAX_IDS][65];
	int used[MAX_IDS];
	size_t nids;
	char reason[512];
};

/*
 * Is position `at` of the line inside a comment? Comments are found by
 * scanning the line with string and character literals skipped; a line that
 * starts with '*' continues a block comment. `in_block` carries a block
 * comment across lines.
 */
static int in_comment(const char *line, size_t at, int *in_block)
{
	int block = *in_block, quote = 0, hit = 0;
	size_t i = 0;
	if (!block) {
		while (line[i] == ' ' || line[i] == '\t')
			i++;
		if (line[i] == '*' && i < at)
			block = 1; /* a continuation line of a block comment */
	}
	for (i = 0; line[i]; i++) {
		if (i == at)
			hit = block;
		if (block) {
			if (line[i] == '*' && line[i + 1] == '/') {
				block = 0;
				i++;
			}
			continue;
		}
		if (quote) {
			if (line[i] == '\\' && line[i + 1])
				i++;
			else if (line[i] == quote)
				quote = 0;
			continue;
		}
		if (line[i] == '"' || line[i] == '\'') {
			quote = line[i];
		} else if (line[i] == '/' && line[i + 1] == '/') {
			if (i <= at)
				hit = 1;
			break;
		} else if (line[i] == '/' && line[i + 1] == '*') {
			block = 1;
			i++;
		}
	}
	*in_block = block;
	return hit;
}

static int parse_one(struct supp *s, const char *p)
{
	/* p points just past "sdl-allow(" */
	s->nids = 0;
	while (*p && *p != ')') {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = 0;
		while ((isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_') && n < 64)
			n++;
		if (!n)
			return 0;
		if (s->nids < MAX_IDS) {
			memcpy(s->ids[s->nids], p, n);
			s->ids[s->nids][n] = '\0';
			s->nids++;
		}
		p += n;
		while (*p == ' ')
			p++;
		if (*p != ',' && *p != ')')
			return 0;
	}
	if (*p != ')' || !s->nids)
		return 0;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	s->reason[0] = '\0';
	if (*p != ':')
		return 1;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = 0;
	while (p[n] && p[n] != '\n' && p[n] != '\r' && !(p[n] == '*' && p[n + 1] == '/') &&
	       n < sizeof s->reason - 1)
		n++;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	memcpy(s->reason, p, n);
	s->reason[n] = '\0';
	return 1;
}

static int collect(struct supp **v, size_t *n, size_t *cap, const struct az_source *src)
{
	static const char tag[] = "sdl-allow(";
	int in_block = 0;
	for (size_t l = 0; l < src->nlines; l++) {
		size_t a = src->lines[l];
		size_t b = l + 1 < src->nlines ? src->lines[l + 1] : src->len;
		char line[2048];
		size_t len = b - a < sizeof line - 1 ? b - a : sizeof line - 1;
		memcpy(line, src->data + a, len);
		line[len] = '\0';
		const char *hit = strstr(line, tag);
		if (!hit) {
			in_comment(line, len, &in_block); /* track block comments across lines */
			continue;
		}
		/* in a comment, and not quoted as an example (`sdl-allow(id): ...`) */
		if (!in_comment(line, (size_t)(hit - line), &in_block) ||
		    (hit > line && (hit[-1] == '`' || hit[-1] == '"' || hit[-1] == '\'')))
			continue;
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			struct supp *nv = sdl_reallocarray(*v, nc, sizeof *nv);
			if (!nv)
				return SDL_ENOMEM;
			*v = nv;
			*cap = nc;
		}
		struct supp *s = &(*v)[*n];
		memset(s, 0, sizeof *s);
		if (!parse_one(s, hit + sizeof tag - 1))
			continue;
		s->path = src->rel;
		s->line = (unsigned)l + 1;
		s->col = (unsigned)(hit - line) + 1;
		(*n)++;
	}
	return 0;
}

int az_suppress_apply(struct sdl_findings *list, struct az_sources *sources,
		      char *const *files, size_t nfiles, const struct az_pack *pack)
{
	struct supp *v = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	for (size_t i = 0; i < nfiles && !ret; i++) {
		const struct az_source *src = az_sources_get(sources, files[i]);
		if (src && memmem(src->data, src->len, "sdl-allow(", 10))
			ret = collect(&v, &n, &cap, src);
		else if (!src && sources->err)
			ret = sources->err;
	}
	if (ret)
		goto done;
	size_t orig = list->count;
	for (size_t i = 0; i < orig && !ret; i++) {
		struct sdl_finding *f = &list->items[i];
		if (f->suppressed || !f->path)
			continue;
		for (size_t s = 0; s < n && !f->suppressed; s++) {
			if (strcmp(v[s].path, f->path) || (v[s].line != f->line && v[s].line + 1 != f->line))
				continue;
			for (size_t k = 0; k < v[s].nids; k++) {
				if (strcmp(v[s].ids[k], f->rule_id))
					continue;
				v[s].used[k] = 1;
				f->suppressed = 1;
				f->supp.kind = SDL_SUPP_IN_SOURCE;
				f->supp.status = SDL_SUPP_ACCEPTED;
				f->supp.justification = v[s].reason[0] ? sdl_strdup(v[s].reason) : NULL;
				if (v[s].reason[0] && !f->supp.justification)
					ret = SDL_ENOMEM;
				break;
			}
		}
	}
	for (size_t s = 0; s < n && !ret; s++) {
		char msg[256];
		const struct az_rule *r = az_pack_find(pack, "suppression-unjustified");
		if (!v[s].reason[0] && r && r->enabled) {
			snprintf(msg, sizeof msg, "suppression of '%s' gives no reason; write "
				 "sdl-allow(%s): why this is safe", v[s].ids[0], v[s].ids[0]);
			ret = sdl_findings_add(list, r->id, r->level, v[s].path, v[s].line, v[s].col,
					       msg, NULL);
		}
		r = az_pack_find(pack, "suppression-unused");
		for (size_t k = 0; k < v[s].nids && !ret && r && r->enabled; k++) {
			const struct az_rule *target = az_pack_find(pack, v[s].ids[k]);
			if (v[s].used[k] || (target && !target->enabled))
				continue;
			snprintf(msg, sizeof msg, target ? "suppression of '%s' matches no finding"
						      : "suppression names unknown rule '%s'",
				 v[s].ids[k]);
			ret = sdl_findings_add(list, r->id, r->level, v[s].path, v[s].line, v[s].col,
					       msg, NULL);
		}
	}
done:
	sdl_free(v);
	return ret;
}
