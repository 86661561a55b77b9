#include "lib/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/banned.h"

static const char *const level_names[] = { "none", "note", "warning", "error" };

const char *sdl_level_name(enum sdl_level level)
{
	if ((unsigned)level < sizeof(level_names) / sizeof(level_names[0]))
		return level_names[level];
	return "warning";
}

int sdl_level_parse(enum sdl_level *out, const char *name)
{
	for (unsigned i = 0; name && i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum sdl_level)i;
			return 0;
		}
	}
	return sdl_error_set(SDL_EINVAL, "unknown level '%s' (want none, note, warning or error)",
			     name ? name : "(null)");
}

void sdl_finding_release(struct sdl_finding *f)
{
	if (!f)
		return;
	sdl_free(f->rule_id);
	sdl_free(f->path);
	sdl_free(f->message);
	sdl_free(f->function);
	sdl_free(f->fingerprint);
	sdl_free(f->supp.justification);
	memset(f, 0, sizeof(*f));
}

void sdl_findings_init(struct sdl_findings *list)
{
	list->items = NULL;
	list->count = list->cap = 0;
}

void sdl_findings_release(struct sdl_findings *list)
{
	for (size_t i = 0; i < list->count; i++)
		sdl_finding_release(&list->items[i]);
	sdl_free(list->items);
	sdl_findings_init(list);
}

int sdl_findings_take(struct sdl_findings *list, struct sdl_finding *f)
{
	if (list->count >= SDL_FINDINGS_MAX) {
		sdl_finding_release(f);
		return sdl_error_set(SDL_ELIMIT, "more than %d findings (SDL_FINDINGS_MAX)",
				     SDL_FINDINGS_MAX);
	}
	if (list->count == list->cap) {
		size_t ncap = list->cap ? list->cap * 2 : 16;
		struct sdl_finding *items;
		if (ncap > SDL_FINDINGS_MAX)
			ncap = SDL_FINDINGS_MAX;
		items = sdl_reallocarray(list->items, ncap, sizeof(*items));
		if (!items) {
			sdl_finding_release(f);
			return SDL_ENOMEM;
		}
		list->items = items;
		list->cap = ncap;
	}
	list->items[list->count++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

static int dup_opt(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = sdl_strdup(s);
	return *out ? 0 : SDL_ENOMEM;
}

int sdl_findings_add(struct sdl_findings *list, const char *rule_id, enum sdl_level level,
		     const char *path, unsigned line, unsigned column, const char *message,
		     const char *function)
{
	struct sdl_finding f;

	memset(&f, 0, sizeof(f));
	f.level = level;
	f.line = line;
	f.column = column;
	if (dup_opt(&f.rule_id, rule_id ? rule_id : "") < 0 || dup_opt(&f.path, path) < 0 ||
	    dup_opt(&f.message, message ? message : "") < 0 || dup_opt(&f.function, function) < 0) {
		sdl_finding_release(&f);
		return SDL_ENOMEM;
	}
	return sdl_findings_take(list, &f);
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int ucmp(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

int sdl_finding_cmp(const struct sdl_finding *a, const struct sdl_finding *b)
{
	int c;
	if ((c = strcmp_null(a->path, b->path)) != 0) return c;
	if ((c = ucmp(a->line, b->line)) != 0) return c;
	if ((c = ucmp(a->column, b->column)) != 0) return c;
	if ((c = strcmp_null(a->rule_id, b->rule_id)) != 0) return c;
	if ((c = strcmp_null(a->message, b->message)) != 0) return c;
	if ((c = ucmp(a->end_line, b->end_line)) != 0) return c;
	if ((c = ucmp(a->end_column, b->end_column)) != 0) return c;
	if ((c = ucmp(a->level, b->level)) != 0) return c;
	if ((c = strcmp_null(a->function, b->function)) != 0) return c;
	if ((c = strcmp_null(a->fingerprint, b->fingerprint)) != 0) return c;
	if ((c = ucmp((unsigned)a->suppressed, (unsigned)b->suppressed)) != 0) return c;
	if ((c = ucmp(a->baseline, b->baseline)) != 0) return c;
	if (a->suppressed && b->suppressed) {
		if ((c = ucmp(a->supp.kind, b->supp.kind)) != 0) return c;
		if ((c = ucmp(a->supp.status, b->supp.status)) != 0) return c;
		return strcmp_null(a->supp.justification, b->supp.justification);
	}
	return 0;
}

static int cmp_void(const void *a, const void *b)
{
	return sdl_finding_cmp(a, b);
}

void sdl_findings_sort(struct sdl_findings *list)
{
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(list->items[0]), cmp_void);
}

static int same_hit(const struct sdl_finding *a, const struct sdl_finding *b)
{
	return strcmp_null(a->rule_id, b->rule_id) == 0 && strcmp_null(a->path, b->path) == 0 &&
	       a->line == b->line && a->column == b->column &&
	       strcmp_null(a->message, b->message) == 0;
}

void sdl_findings_dedup(struct sdl_findings *list)
{
	size_t w = 0;
	for (size_t r = 0; r < list->count; r++) {
		if (w > 0 && same_hit(&list->items[w - 1], &list->items[r])) {
			sdl_finding_release(&list->items[r]);
			continue;
		}
		if (w != r)
			list->items[w] = list->items[r];
		w++;
	}
	list->count = w;
}

/* Collapse runs of whitespace to one space and trim both ends. */
static int normalise(struct sdl_buf *out, const char *s)
{
	int pending = 0, ret = 0;
	sdl_buf_clear(out);
	for (; *s && ret == 0; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f') {
			pending = out->len > 0;
			continue;
		}
		if (pending)
			ret = sdl_buf_putc(out, ' ');
		pending = 0;
		if (ret == 0)
			ret = sdl_buf_putc(out, *s);
	}
	return ret;
}

struct fp_slot {
	char key[SDL_HASH_HEX_MAX]; /* hash of the position-independent inputs */
	size_t index;               /* into list->items */
};

static int slot_cmp(const void *pa, const void *pb)
{
	const struct fp_slot *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int order_cmp(const void *pa, const void *pb, void *payload)
{
	const struct sdl_findings *list = payload;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = sdl_finding_cmp(&list->items[a], &list->items[b]);
	return c ? c : (a > b) - (a < b);
}

/* Components are separated by NUL bytes so "ab"+"c" and "a"+"bc" differ. */
static int hash_part(struct sdl_hash_ctx *ctx, const char *s)
{
	int ret = sdl_hash_update(ctx, s ? s : "", s ? strlen(s) + 1 : 1);
	return ret;
}

int sdl_findings_fingerprint(struct sdl_findings *list, sdl_line_text_cb line_text, void *payload)
{
	struct fp_slot *slots = NULL;
	struct sdl_buf norm = SDL_BUF_INIT;
	size_t *order = NULL, n = 0;
	int ret = 0;

	if (list->count == 0)
		return 0;
	slots = sdl_calloc(list->count, sizeof(*slots));
	order = sdl_calloc(list->count, sizeof(*order));
	if (!slots || !order) {
		ret = SDL_ENOMEM;
		goto done;
	}
	/* Position order decides which of several identical findings is #0, #1... */
	for (size_t i = 0; i < list->count; i++)
		order[i] = i;
	qsort_r(order, list->count, sizeof(*order), order_cmp, list);
	for (size_t k = 0; k < list->count; k++) {
		struct sdl_finding *f = &list->items[order[k]];
		struct sdl_hash_ctx *ctx = NULL;
		const char *text = NULL;
		if (f->fingerprint)
			continue;
		if (line_text && f->path && f->line)
			text = line_text(f->path, f->line, payload);
		if (!text)
			text = f->message ? f->message : "";
		if ((ret = normalise(&norm, text)) < 0)
			goto done;
		if ((ret = sdl_hash_begin(&ctx, SDL_SHA256)) < 0)
			goto done;
		if ((ret = hash_part(ctx, "sdlFingerprint/v1")) < 0 ||
		    (ret = hash_part(ctx, f->rule_id)) < 0 || (ret = hash_part(ctx, f->path)) < 0 ||
		    (ret = hash_part(ctx, f->function)) < 0 || (ret = hash_part(ctx, norm.ptr)) < 0) {
			sdl_hash_abort(ctx);
			goto done;
		}
		if ((ret = sdl_hash_end(ctx, slots[n].key)) < 0)
			goto done;
		slots[n].index = k; /* rank in position order */
		n++;
	}
	qsort(slots, n, sizeof(*slots), slot_cmp);
	for (size_t i = 0, occ = 0; i < n; i++) {
		char in[SDL_HASH_HEX_MAX + 32], hex[SDL_HASH_HEX_MAX];
		struct sdl_finding *f = &list->items[order[slots[i].index]];
		occ = (i > 0 && strcmp(slots[i].key, slots[i - 1].key) == 0) ? occ + 1 : 0;
		snprintf(in, sizeof(in), "%s:%zu", slots[i].key, occ);
		if ((ret = sdl_hash_buf(hex, SDL_SHA256, in, strlen(in))) < 0)
			goto done;
		if (!(f->fingerprint = sdl_strdup(hex))) {
			ret = SDL_ENOMEM;
			goto done;
		}
	}
done:
	if (ret < 0) {
		/* All or nothing: no finding keeps a fingerprint from this call. */
		for (size_t i = 0; i < n; i++) {
			struct sdl_finding *f = &list->items[order[slots[i].index]];
			SDL_FREE_AND_NULL(f->fingerprint);
		}
	}
	sdl_buf_release(&norm);
	sdl_free(slots);
	sdl_free(order);
	return ret;
}
