/*
 * Fuzz target: sbom/manifest_platformio.c, sbom_manifest_platformio():
 * PlatformIO lib_deps (platformio.ini).
 * The input is given as manifest text to the parser under each file name it
 * answers to. Properties (fuzz_sbom.h): no over-read of the unterminated
 * buffer, a failure carries one line, every component has a name and a
 * path, one failing allocation fails cleanly.
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

SDL_FUZZ_TARGET(sbom_platformio)
{
	sbom_fuzz_manifest(sbom_manifest_platformio, "platformio.ini", data, size);
	return 0;
}
