/*
 * Fuzz target: sbom/manifest_yaml.c, sbom_manifest_yaml():
 * Zephyr west.yml, ESP-IDF idf_component.yml, Mynewt project.yml.
 * The input is given as manifest text to the parser under each file name it
 * answers to. Properties (fuzz_sbom.h): no over-read of the unterminated
 * buffer, a failure carries one line, every component has a name and a
 * path, one failing allocation fails cleanly.
 */
#include "fuzz_sbom.h"

#include "lib/banned.h"

SDL_FUZZ_TARGET(sbom_yaml)
{
	sbom_fuzz_manifest(sbom_manifest_yaml, "west.yml", data, size);
	sbom_fuzz_manifest(sbom_manifest_yaml, "idf_component.yml", data, size);
	sbom_fuzz_manifest(sbom_manifest_yaml, "project.yml", data, size);
	return 0;
}
