/*
 * Fuzz target: sbom/manifest_conan.c, sbom_manifest_conan():
 * Conan recipes (conanfile.txt, conanfile.py read as text, never run).
 * The input is given as manifest text to the parser under each file name it
 * answers to. Properties (fuzz_sbom.h): no over-read of the unterminated
 * buffer, a failure carries one line, every component has a name and a
 * path, one failing allocation fails cleanly.
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

SDL_FUZZ_TARGET(sbom_conan)
{
	sbom_fuzz_manifest(sbom_manifest_conan, "conanfile.txt", data, size);
	sbom_fuzz_manifest(sbom_manifest_conan, "conanfile.py", data, size);
	return 0;
}
