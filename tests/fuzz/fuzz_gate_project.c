/*
 * Fuzz target: sdl-gate/project.c, gate_project_load() (.sdl-gate.json, read
 * from the repository under inspection: untrusted) and gate_project_defaults().
 * Properties: a failure carries one line; no path taken from the file is
 * absolute or climbs out of the repository; one failing allocation fails
 * cleanly.
 */
#include "fuzz_gate.h"

#include "lib/fs.h"

#include "lib/banned.h"

static void gate_project_check_rel(const char *p)
{
	struct sdl_buf norm = SDL_BUF_INIT;
	if (!p)
		return;
	FUZZ_CHECK(sdl_path_normalize(&norm, p) == 0);
	sdl_buf_release(&norm);
}

/* Load, then fill in the defaults, as gate_evaluate() does. */
static int gate_project_load_all(struct gate_project *prj, const char *path)
{
	int ret = gate_project_load(prj, path);
	return ret < 0 ? ret : gate_project_defaults(prj);
}

static int gate_project_once(const uint8_t *data, size_t size, unsigned long fail,
			     unsigned long *nalloc)
{
	struct gate_project prj;
	char path[64];
	int fd, ret;

	gate_project_init(&prj);
	fuzz_memfile(&fd, path, data, size);
	GATE_FUZZ_CALL(ret, fail, nalloc, gate_project_load_all(&prj, path));
	close(fd);
	fuzz_check_error(ret);
	if (ret == 0) {
		const struct gate_strv *lists[] = { &prj.catalogs, &prj.sarif, &prj.junit, &prj.fuzz };
		for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
			for (size_t i = 0; i < lists[l]->n; i++)
				gate_project_check_rel(lists[l]->v[i]);
		gate_project_check_rel(prj.policy);
		gate_project_check_rel(prj.compile_db);
		gate_project_check_rel(prj.sbom);
		gate_project_check_rel(prj.requirements);
		gate_project_check_rel(prj.threat_model);
		gate_project_check_rel(prj.attestations);
		gate_project_check_rel(prj.waivers);
		for (size_t i = 0; i < prj.ndocs; i++)
			gate_project_check_rel(prj.docs[i].path);
	}
	gate_project_release(&prj);
	return ret;
}

SDL_FUZZ_TARGET(gate_project)
{
	unsigned long nalloc = 0;

	gate_project_once(data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(gate_project_once(data, size, k, NULL));
	return 0;
}
