/*
 * PlatformIO platformio.ini: "lib_deps" in any [env] section, one
 * declaration per line (continuation lines are indented):
 * "owner/Name @ ^1.2.3", "Name@1.0.0", "https://github.com/o/r.git#v1.2".
 * Local paths (file://, symlink://) are the project's own code.
 */
#include "detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

/*
 * An entry whose package name cannot be told ("@1.0", "owner/ @ 1.0", a URL
 * without a path, NUL bytes) is noted with its line, never made into a
 * nameless component (docs/fuzzing.md, finding 6).
 */
static int no_name(struct sbom_found *f, const char *file, unsigned long line)
{
	return sbom_found_note(f, file, "not examined: lib_deps entry on line %lu has no package name",
			       line);
}

static int add_dep(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *file,
		   unsigned long line, const char *s, size_t l)
{
	char buf[1024], *at, *name, *ver = NULL;
	size_t i, o = 0;
	if (l >= sizeof(buf))
		return sdl_error_set(SDL_ELIMIT, "%s: lib_deps entry longer than %zu bytes", file,
				     sizeof(buf));
	if (memchr(s, '\0', l))
		return no_name(f, file, line); /* the name would end at the NUL */
	for (i = 0; i < l; i++) /* drop blanks around '@' */
		if (!isspace((unsigned char)s[i]))
			buf[o++] = s[i];
	buf[o] = '\0';
	if (!o || !strncmp(buf, "file://", 7) || !strncmp(buf, "symlink://", 10))
		return 0;
	if (strstr(buf, "://")) {
		char *hash = strchr(buf, '#'), *slash, *path = strstr(buf, "://") + 3;
		char url[1024], pkg[1024];
		size_t n;
		if (hash)
			*hash++ = '\0';
		snprintf(url, sizeof(url), "%s", buf);
		n = strlen(buf); /* "https://host/o/r.git/": the name is still "r" */
		while (n > (size_t)(path - buf) && buf[n - 1] == '/')
			buf[--n] = '\0';
		slash = strrchr(path, '/');
		if (!slash) /* "https://host/" names no repository */
			return no_name(f, file, line);
		snprintf(pkg, sizeof(pkg), "%s", slash + 1);
		if (strlen(pkg) >= 4 && !strcmp(pkg + strlen(pkg) - 4, ".git"))
			pkg[strlen(pkg) - 4] = '\0';
		if (!*pkg)
			return no_name(f, file, line);
		return sbom_manifest_add(f, sigs, file, "platformio", pkg, hash, url);
	}
	if ((at = strchr(buf, '@'))) {
		*at = '\0';
		ver = at + 1;
	}
	name = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
	if (!*name)
		return no_name(f, file, line);
	return sbom_manifest_add(f, sigs, file, "platformio", name, ver, NULL);
}

int sbom_manifest_platformio(struct sbom_found *f, const struct sbom_sigpack *sigs,
			     const char *name, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	unsigned long line = 0;
	int in_deps = 0, rc;
	size_t count = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p, *e, *eq;
		int indented;
		e = nl ? nl : end;
		p = nl ? nl + 1 : end;
		line++;
		indented = s < e && (*s == ' ' || *s == '\t');
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s == e || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			if (e[-1] != ']')
				return sdl_error_set(SDL_EINVAL, "%s:%lu: bad section header", name, line);
			in_deps = 0;
			continue;
		}
		if (indented && in_deps) {
			const char *c = memchr(s, ';', (size_t)(e - s));
			if (c)
				e = c;
			if (++count > SBOM_MAX_MANIFEST_ENTRIES)
				return sdl_error_set(SDL_ELIMIT, "%s: too many lib_deps", name);
			if ((rc = add_dep(f, sigs, name, line, s, (size_t)(e - s))) < 0)
				return rc;
			continue;
		}
		if (!(eq = memchr(s, '=', (size_t)(e - s))))
			return sdl_error_set(SDL_EINVAL, "%s:%lu: expected key = value", name, line);
		in_deps = (size_t)(eq - s) >= 8 && !strncmp(s, "lib_deps", 8) &&
			  (eq - s == 8 || isspace((unsigned char)s[8]));
		if (in_deps) {
			const char *v = eq + 1;
			while (v < e && isspace((unsigned char)*v))
				v++;
			/* "lib_deps = a, b" on one line */
			while (v < e) {
				const char *comma = memchr(v, ',', (size_t)(e - v)), *ve = comma ? comma : e;
				if ((rc = add_dep(f, sigs, name, line, v, (size_t)(ve - v))) < 0)
					return rc;
				v = comma ? comma + 1 : e;
			}
		}
	}
	return 0;
}
