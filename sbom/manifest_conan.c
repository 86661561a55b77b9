/*
 * Conan: conanfile.txt "[requires]" lines ("name/version[@user/channel][#rev]")
 * and, read as text only (never executed), the "name/version" strings of
 * requires declarations in a conanfile.py.
 */
#include "detect.h"

#include <ctype.h>
#include <string.h>

#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/banned.h"

/* "zlib/1.2.13@user/ch#rev" -> name, version; 0 if not a reference. */
static int split_ref(char *ref, char **name, char **version)
{
	char *slash = strchr(ref, '/'), *p;
	if (!slash || slash == ref || !slash[1])
		return 0;
	*slash = '\0';
	for (p = ref; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.+-", *p))
			return 0;
	*name = ref;
	*version = slash + 1;
	if ((p = strpbrk(*version, "@#")))
		*p = '\0';
	return **version != '\0';
}

static int add_ref(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *file,
		   const char *start, size_t len, size_t *count)
{
	char *copy = sdl_strndup(start, len), *n, *v;
	int rc = 0;
	if (!copy)
		return SDL_ENOMEM;
	if (split_ref(copy, &n, &v)) {
		if (++*count > SBOM_MAX_MANIFEST_ENTRIES)
			rc = sdl_error_set(SDL_ELIMIT, "%s: more than %d requirements", file,
					   SBOM_MAX_MANIFEST_ENTRIES);
		else
			rc = sbom_manifest_add(f, sigs, file, "conan", n, v, NULL);
	} else {
		rc = 1;
	}
	sdl_free(copy);
	return rc;
}

static int parse_txt(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
		     const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int in_requires = 0, rc;
	unsigned long line = 0;
	size_t count = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p, *e;
		e = nl ? nl : end;
		p = nl ? nl + 1 : end;
		line++;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (*s == '[') {
			if (e[-1] != ']')
				return sdl_error_set(SDL_EINVAL, "%s:%lu: unterminated section header",
						     name, line);
			in_requires = (size_t)(e - s) == 10 && !memcmp(s, "[requires]", 10);
			continue;
		}
		if (!in_requires)
			continue;
		rc = add_ref(f, sigs, name, s, (size_t)(e - s), &count);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return sdl_error_set(SDL_EINVAL,
					     "%s:%lu: requirement is not a name/version reference",
					     name, line);
	}
	return 0;
}

/* conanfile.py: quoted references on lines that mention "requires". */
static int parse_py(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
		    const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int in_list = 0, rc;
	size_t count = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *q;
		int mention = memmem(p, (size_t)(e - p), "requires", 8) != NULL;
		if (mention || in_list) {
			for (q = p; q < e; q++) {
				const char *close;
				if (*q == '#')
					break;
				if (*q != '"' && *q != '\'')
					continue;
				close = memchr(q + 1, *q, (size_t)(e - q - 1));
				if (!close)
					break;
				rc = add_ref(f, sigs, name, q + 1, (size_t)(close - q - 1), &count);
				if (rc < 0)
					return rc;
				q = close;
			}
			/* a requires = ( ... ) tuple spanning lines */
			if (mention && memchr(p, '(', (size_t)(e - p)) && !memchr(p, ')', (size_t)(e - p)))
				in_list = 1;
			else if (in_list && memchr(p, ')', (size_t)(e - p)))
				in_list = 0;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

int sbom_manifest_conan(struct sbom_found *f, const struct sbom_sigpack *sigs, const char *name,
			const char *data, size_t len)
{
	size_t l = strlen(name);
	if (l >= 3 && !strcmp(name + l - 3, ".py"))
		return parse_py(f, sigs, name, data, len);
	return parse_txt(f, sigs, name, data, len);
}
