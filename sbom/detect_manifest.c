/*
 * Build manifests: which file names are manifests, and the dispatch to the
 * parser of each (manifest_*.c). A manifest that cannot be parsed is listed
 * as not examined, naming the file and the problem; it never stops the scan.
 */
#include "detect.h"

#include <string.h>
#include <strings.h>

#include "lib/error.h"
#include "lib/banned.h"

enum manifest_kind {
	MK_NONE,
	MK_VCPKG,
	MK_CONAN_TXT,
	MK_CONAN_PY,
	MK_CMAKE,
	MK_MESON_WRAP,
	MK_YAML,
	MK_PLATFORMIO,
};

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

int sbom_manifest_kind(const char *name, int in_subprojects)
{
	if (!strcmp(name, "vcpkg.json"))
		return MK_VCPKG;
	if (!strcmp(name, "conanfile.txt"))
		return MK_CONAN_TXT;
	if (!strcmp(name, "conanfile.py"))
		return MK_CONAN_PY;
	if (!strcmp(name, "CMakeLists.txt") || ends_with(name, ".cmake"))
		return MK_CMAKE;
	if (in_subprojects && ends_with(name, ".wrap"))
		return MK_MESON_WRAP;
	if (!strcmp(name, "west.yml") || !strcmp(name, "idf_component.yml") ||
	    !strcmp(name, "project.yml"))
		return MK_YAML;
	if (!strcmp(name, "platformio.ini"))
		return MK_PLATFORMIO;
	return MK_NONE;
}

/* Cheap pre-check so that most CMake files are never parsed. */
static int cmake_interesting(const char *data, size_t len)
{
	static const char *const words[] = { "FetchContent_Declare", "ExternalProject_Add",
					      "CPMAddPackage", "CPMFindPackage", "CPMDeclarePackage",
					      "fetchcontent_declare", "externalproject_add",
					      "cpmaddpackage", NULL };
	for (size_t i = 0; words[i]; i++)
		if (memmem(data, len, words[i], strlen(words[i])))
			return 1;
	return 0;
}

int sbom_detect_manifest(struct sbom_found *f, struct sbom_ctx *ctx, const char *name, int kind,
			 const git_oid *blob_id)
{
	git_blob *blob = NULL;
	const char *data;
	size_t len;
	int rc;

	rc = sbom_blob_load(&blob, ctx, blob_id, SBOM_MAX_BLOB, f, name);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	data = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (memchr(data, '\0', len)) {
		rc = sbom_found_note(f, name, "not examined: binary content where a manifest was expected");
		goto done;
	}
	switch (kind) {
	case MK_VCPKG:
		rc = sbom_manifest_vcpkg(f, ctx->sigs, name, data, len);
		break;
	case MK_CONAN_TXT:
	case MK_CONAN_PY:
		rc = sbom_manifest_conan(f, ctx->sigs, name, data, len);
		break;
	case MK_CMAKE:
		rc = cmake_interesting(data, len) ? sbom_manifest_cmake(f, ctx->sigs, name, data, len) : 0;
		break;
	case MK_MESON_WRAP:
		rc = sbom_manifest_meson_wrap(f, ctx->sigs, name, data, len);
		break;
	case MK_YAML:
		rc = sbom_manifest_yaml(f, ctx->sigs, name, data, len);
		break;
	case MK_PLATFORMIO:
		rc = sbom_manifest_platformio(f, ctx->sigs, name, data, len);
		break;
	default:
		rc = 0;
	}
	if (rc == SDL_EINVAL || rc == SDL_ELIMIT)
		rc = sbom_found_note(f, name, "malformed manifest, not examined: %s", sdl_error_last());
done:
	git_blob_free(blob);
	return rc;
}
