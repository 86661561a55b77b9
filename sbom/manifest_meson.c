/*
 * Meson wrap files (subprojects/NAME.wrap, INI syntax): [wrap-file] gives
 * directory / source_url / source_hash, [wrap-git] gives url / revision.
 * The version is read from the directory or archive name ("zlib-1.2.13").
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

#define WRAP_VALUE_MAX 1024

static char *version_after_dash(const char *s)
{
	const char *p;
	if (!s)
		return NULL;
	for (p = s; *p; p++)
		if ((*p == '-' || *p == '_') && isdigit((unsigned char)p[1])) {
			const char *v = p + 1, *e = v;
			while (*e && (isdigit((unsigned char)*e) || *e == '.'))
				e++;
			while (e > v && e[-1] == '.')
				e--;
			return sdl_strndup(v, (size_t)(e - v));
		}
	return NULL;
}

int sbom_manifest_meson_wrap(struct sbom_found *f, const struct sbom_sigpack *sigs,
			     const char *name, const char *data, size_t len)
{
	char section[64] = "", dir[WRAP_VALUE_MAX] = "", url[WRAP_VALUE_MAX] = "",
	     fname[WRAP_VALUE_MAX] = "", hash[WRAP_VALUE_MAX] = "", rev[WRAP_VALUE_MAX] = "";
	char pkg[256];
	const char *p = data, *end = data + len, *base;
	unsigned long line = 0;
	int git = 0, seen = 0, rc;
	char *version = NULL;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p, *e, *eq;
		e = nl ? nl : end;
		p = nl ? nl + 1 : end;
		line++;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			size_t l = (size_t)(e - s);
			if (e[-1] != ']' || l - 2 >= sizeof(section))
				return sdl_error_set(SDL_EINVAL, "%s:%lu: bad section header", name, line);
			memcpy(section, s + 1, l - 2);
			section[l - 2] = '\0';
			if (!strcmp(section, "wrap-git"))
				git = seen = 1;
			else if (!strcmp(section, "wrap-file"))
				seen = 1;
			continue;
		}
		if (!(eq = memchr(s, '=', (size_t)(e - s))))
			return sdl_error_set(SDL_EINVAL, "%s:%lu: expected key = value", name, line);
		if (strcmp(section, "wrap-git") && strcmp(section, "wrap-file"))
			continue;
		{
			const char *ke = eq, *vs = eq + 1;
			char key[64];
			char *dst = NULL;
			size_t kl, vl;
			while (ke > s && isspace((unsigned char)ke[-1]))
				ke--;
			while (vs < e && isspace((unsigned char)*vs))
				vs++;
			kl = (size_t)(ke - s);
			vl = (size_t)(e - vs);
			if (kl >= sizeof(key) || vl >= WRAP_VALUE_MAX)
				return sdl_error_set(SDL_ELIMIT, "%s:%lu: key or value too long", name, line);
			memcpy(key, s, kl);
			key[kl] = '\0';
			if (!strcmp(key, "directory"))
				dst = dir;
			else if (!strcmp(key, "source_url") || !strcmp(key, "url"))
				dst = url;
			else if (!strcmp(key, "source_filename"))
				dst = fname;
			else if (!strcmp(key, "source_hash"))
				dst = hash;
			else if (!strcmp(key, "revision"))
				dst = rev;
			if (dst) {
				memcpy(dst, vs, vl);
				dst[vl] = '\0';
			}
		}
	}
	if (!seen)
		return sdl_error_set(SDL_EINVAL, "%s: no [wrap-file] or [wrap-git] section", name);
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	snprintf(pkg, sizeof(pkg), "%.*s", (int)(strlen(base) - 5), base);
	if (git && *rev)
		version = sdl_strdup(rev);
	else if (!(version = version_after_dash(*dir ? dir : NULL)))
		version = version_after_dash(*fname ? fname : NULL);
	rc = sbom_manifest_add(f, sigs, name, "meson-wrap", pkg, version, *url ? url : NULL);
	if (rc >= 0 && *hash && f->n) {
		struct sbom_component *c = f->items[f->n - 1].comp;
		if ((rc = sbom_set(&c->hash_alg, "SHA-256")) >= 0)
			rc = sbom_set(&c->hash_value, hash);
	}
	sdl_free(version);
	return rc;
}
