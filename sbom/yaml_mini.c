/* The YAML subset reader (yaml_mini.h). */
#include "yaml_mini.h"

#include <ctype.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/error.h"
#include "lib/banned.h"

struct yline {
	char *text;  /* content after the indentation, comment and trailing blanks removed */
	int indent;
	unsigned long no;
};

struct yparser {
	struct yline *lines;
	size_t n, i;
	const char *name;
};

/* Remove a " #" comment outside quotes and trailing blanks. */
static void strip_comment(char *s)
{
	char q = 0;
	size_t l;
	for (char *p = s; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			if (p == s || p[-1] == ' ' || p[-1] == ':' || p[-1] == '[' || p[-1] == ',' ||
			    p[-1] == '-')
				q = *p;
		} else if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	l = strlen(s);
	while (l && isspace((unsigned char)s[l - 1]))
		s[--l] = '\0';
}

static cJSON *scalar(const char *s)
{
	size_t l = strlen(s);
	if (l >= 2 && (s[0] == '"' || s[0] == '\'') && s[l - 1] == s[0]) {
		char *c = sdl_strndup(s + 1, l - 2);
		cJSON *j;
		if (!c)
			return NULL;
		j = cJSON_CreateString(c);
		sdl_free(c);
		return j;
	}
	return cJSON_CreateString(s);
}

static cJSON *flow_seq(const char *s)
{
	cJSON *arr = cJSON_CreateArray();
	char buf[512];
	const char *p = s + 1;
	if (!arr)
		return NULL;
	while (*p && *p != ']') {
		const char *e = p;
		size_t l;
		while (*e && *e != ',' && *e != ']')
			e++;
		while (p < e && isspace((unsigned char)*p))
			p++;
		l = (size_t)(e - p);
		while (l && isspace((unsigned char)p[l - 1]))
			l--;
		if (l && l < sizeof(buf)) {
			cJSON *v;
			memcpy(buf, p, l);
			buf[l] = '\0';
			if (!(v = scalar(buf))) {
				cJSON_Delete(arr);
				return NULL;
			}
			cJSON_AddItemToArray(arr, v);
		}
		p = *e == ',' ? e + 1 : e;
	}
	return arr;
}

static int parse_block(cJSON **out, struct yparser *y, int indent, int depth);

/*
 * Value text after "key:" or "- ": scalar, flow sequence, or a nested block.
 * in_seq: the value of a sequence item, where a "- " at the same indent is the
 * next item, not a nested sequence (that form is only a mapping value's).
 */
static int parse_value(cJSON **out, struct yparser *y, const char *v, int indent, int depth,
		       unsigned long no, int in_seq)
{
	*out = NULL;
	if (!*v) {
		if (y->i < y->n && (y->lines[y->i].indent > indent ||
				    (!in_seq && y->lines[y->i].indent == indent && y->lines[y->i].text[0] == '-' &&
				     (y->lines[y->i].text[1] == ' ' || !y->lines[y->i].text[1]))))
			return parse_block(out, y, y->lines[y->i].indent, depth + 1);
		*out = cJSON_CreateNull();
	} else if (*v == '|' || *v == '>') {
		struct sdl_buf b = SDL_BUF_INIT;
		while (y->i < y->n && y->lines[y->i].indent > indent) {
			if (sdl_buf_puts(&b, y->lines[y->i].text) < 0 || sdl_buf_putc(&b, '\n') < 0) {
				sdl_buf_release(&b);
				return SDL_ENOMEM;
			}
			y->i++;
		}
		*out = cJSON_CreateString(b.ptr);
		sdl_buf_release(&b);
	} else if (*v == '[') {
		*out = flow_seq(v);
	} else if (*v == '&' || *v == '*' || *v == '!') {
		return sdl_error_set(SDL_EINVAL, "%s:%lu: YAML anchors, aliases and tags are not supported",
				     y->name, no);
	} else {
		*out = scalar(v);
	}
	return *out ? 0 : SDL_ENOMEM;
}

/* Position of the ':' that ends a mapping key, or NULL. */
static char *key_colon(char *s)
{
	char q = 0;
	for (char *p = s; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
			continue;
		}
		if ((*p == '"' || *p == '\'') && p == s)
			q = *p;
		else if (*p == ':' && (p[1] == ' ' || p[1] == '\0'))
			return p;
	}
	return NULL;
}

static int parse_block(cJSON **out, struct yparser *y, int indent, int depth)
{
	cJSON *node = NULL, *v;
	int rc, seq;

	*out = NULL;
	if (depth > SBOM_YAML_MAX_DEPTH)
		return sdl_error_set(SDL_ELIMIT, "%s:%lu: nesting deeper than %d", y->name,
				     y->lines[y->i < y->n ? y->i : y->n - 1].no, SBOM_YAML_MAX_DEPTH);
	seq = y->lines[y->i].text[0] == '-' && (y->lines[y->i].text[1] == ' ' || !y->lines[y->i].text[1]);
	node = seq ? cJSON_CreateArray() : cJSON_CreateObject();
	if (!node)
		return SDL_ENOMEM;
	while (y->i < y->n) {
		struct yline *l = &y->lines[y->i];
		int is_item = l->text[0] == '-' && (l->text[1] == ' ' || !l->text[1]);
		if (l->indent < indent)
			break;
		if (l->indent > indent) {
			rc = sdl_error_set(SDL_EINVAL, "%s:%lu: unexpected indentation", y->name, l->no);
			goto fail;
		}
		if (seq != is_item) {
			/* a sequence written at its key's indent ends at the next key */
			break;
		}
		if (seq) {
			char *rest = l->text + 1;
			int off = 1;
			while (*rest == ' ')
				rest++, off++;
			if (*rest && key_colon(rest)) {
				/* "- key: value": a mapping whose first key sits on the item line */
				l->text = rest;
				l->indent += off;
				rc = parse_block(&v, y, l->indent, depth + 1);
			} else {
				y->i++;
				rc = parse_value(&v, y, rest, indent, depth, l->no, 1);
			}
			if (rc < 0)
				goto fail;
			cJSON_AddItemToArray(node, v);
		} else {
			char *colon = key_colon(l->text), *val;
			unsigned long no = l->no;
			cJSON *k;
			if (!colon) {
				rc = sdl_error_set(SDL_EINVAL, "%s:%lu: expected 'key: value'", y->name, l->no);
				goto fail;
			}
			*colon = '\0';
			val = colon + 1;
			while (*val == ' ')
				val++;
			y->i++;
			if ((rc = parse_value(&v, y, val, indent, depth, no, 0)) < 0)
				goto fail;
			if (!(k = scalar(l->text))) {
				cJSON_Delete(v);
				rc = SDL_ENOMEM;
				goto fail;
			}
			/* copies the key: an allocation that can fail */
			if (!cJSON_AddItemToObject(node, k->valuestring, v)) {
				cJSON_Delete(v);
				cJSON_Delete(k);
				rc = SDL_ENOMEM;
				goto fail;
			}
			cJSON_Delete(k);
		}
	}
	*out = node;
	return 0;
fail:
	cJSON_Delete(node);
	return rc;
}

int sbom_yaml_parse(cJSON **out, const char *data, size_t len, const char *name)
{
	struct yparser y = { NULL, 0, 0, name };
	char *copy = NULL, *p, *end;
	unsigned long no = 0;
	int rc = 0;

	*out = NULL;
	if (memchr(data, '\0', len))
		return sdl_error_set(SDL_EINVAL, "%s: NUL byte in YAML", name);
	if (!(copy = sdl_strndup(data, len)))
		return SDL_ENOMEM;
	for (p = copy, end = copy + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p;
		int ind = 0;
		if (nl) {
			*nl = '\0';
			if (nl > p && nl[-1] == '\r') /* CRLF line ends */
				nl[-1] = '\0';
		}
		no++;
		while (*s == ' ')
			s++, ind++;
		if (*s == '\t') {
			rc = sdl_error_set(SDL_EINVAL, "%s:%lu: tab in indentation", name, no);
			goto done;
		}
		if (*s == '\r')
			*s = '\0';
		strip_comment(s);
		if (!strcmp(s, "---") && y.n > 0) { /* a document marker after content starts a second one */
			rc = sdl_error_set(SDL_EINVAL, "%s:%lu: multiple YAML documents", name, no);
			goto done;
		}
		if (*s && strcmp(s, "---")) {
			if (!strcmp(s, "...") || !strncmp(s, "--- ", 4)) {
				rc = sdl_error_set(SDL_EINVAL, "%s:%lu: multiple YAML documents", name, no);
				goto done;
			}
			if (y.n == SBOM_YAML_MAX_LINES) {
				rc = sdl_error_set(SDL_ELIMIT, "%s: more than %d lines", name,
						   SBOM_YAML_MAX_LINES);
				goto done;
			}
			if (!(y.n % 256)) {
				struct yline *nlns = sdl_reallocarray(y.lines, y.n + 256, sizeof(*nlns));
				if (!nlns) {
					rc = SDL_ENOMEM;
					goto done;
				}
				y.lines = nlns;
			}
			y.lines[y.n].text = s;
			y.lines[y.n].indent = ind;
			y.lines[y.n].no = no;
			y.n++;
		}
		p = nl ? nl + 1 : end;
	}
	if (y.n == 0) {
		*out = cJSON_CreateObject();
		rc = *out ? 0 : SDL_ENOMEM;
		goto done;
	}
	rc = parse_block(out, &y, y.lines[0].indent, 0);
	if (rc >= 0 && y.i < y.n) {
		cJSON_Delete(*out);
		*out = NULL;
		rc = sdl_error_set(SDL_EINVAL, "%s:%lu: unexpected indentation", name, y.lines[y.i].no);
	}
done:
	sdl_free(y.lines);
	sdl_free(copy);
	return rc;
}
