/*
 * sdl-gate: one evaluation: find the repository, load catalogue, policy and
 * project file, apply command-line overrides, run every collector, decide.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/cli.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/git.h"
#include "lib/banned.h"

#ifndef SDL_RULES_DIR
#define SDL_RULES_DIR "rules"
#endif

static const char *rules_dir(void)
{
	const char *env = getenv("SDL_RULES_DIR");
	return env && *env ? env : SDL_RULES_DIR;
}

/*
 * A path given on the command line (relative to the current directory):
 * repo-relative if it lies inside the repository, else absolute. It must exist.
 */
static int flag_path(char **out, const struct gate_eval *ev, const char *arg, const char *what)
{
	char *real = realpath(arg, NULL);
	size_t n = strlen(ev->repo);
	if (!real)
		return sdl_error_set(SDL_ENOTFOUND, "%s: %s does not exist", arg, what);
	sdl_free(*out);
	if (strncmp(real, ev->repo, n) == 0 && real[n] == '/')
		*out = sdl_strdup(real + n + 1);
	else
		*out = sdl_strdup(real);
	free(real);
	return *out ? 0 : SDL_ENOMEM;
}

static int flag_list(struct gate_strv *list, const struct gate_eval *ev, const char *arg,
		     const char *what)
{
	char *p = NULL;
	int ret = flag_path(&p, ev, arg, what);
	if (ret < 0)
		return ret;
	gate_strv_release(list);
	ret = gate_strv_push(list, p);
	sdl_free(p);
	return ret;
}

static int real_arg(struct sdl_buf *out, const char *arg, const char *what)
{
	char *real = realpath(arg, NULL);
	int ret;
	if (!real)
		return sdl_error_set(SDL_ENOTFOUND, "%s: %s file does not exist", arg, what);
	sdl_buf_clear(out);
	ret = sdl_buf_puts(out, real);
	free(real);
	return ret;
}

static int find_repo(struct gate_eval *ev, const char *dir)
{
	char *real;
	int ret;
	if (!sdl_fs_is_dir(dir))
		return sdl_error_set(SDL_ENOTFOUND, "%s: no such directory (--repo)", dir);
	ret = sdl_git_open(&ev->git, dir);
	if (ret == 0 && sdl_git_workdir(ev->git)) {
		real = realpath(sdl_git_workdir(ev->git), NULL);
	} else {
		if (ret == 0) {
			git_repository_free(ev->git);
			ev->git = NULL;
			return sdl_error_set(SDL_EINVAL, "%s: a bare repository has no work tree to evaluate", dir);
		}
		if (ret != SDL_ENOTFOUND)
			return ret;
		sdl_error_clear();
		ev->git = NULL;
		real = realpath(dir, NULL);
	}
	if (!real)
		return sdl_error_set_errno(SDL_EIO, 0, "%s: cannot resolve", dir);
	ev->repo = sdl_strdup(real);
	free(real);
	if (!ev->repo)
		return SDL_ENOMEM;
	/* no trailing slash, so "repo/rel" joins read well */
	for (size_t n = strlen(ev->repo); n > 1 && ev->repo[n - 1] == '/'; n--)
		ev->repo[n - 1] = 0;
	return 0;
}

static int load_extra_catalogs(struct gate_eval *ev)
{
	struct gate_strv paths = { 0 };
	struct sdl_buf p = SDL_BUF_INIT;
	int ret = 0;
	if (ev->project.catalogs.n) {
		for (size_t i = 0; ret == 0 && i < ev->project.catalogs.n; i++) {
			ret = gate_repo_path(&p, ev, ev->project.catalogs.v[i]);
			if (ret == 0)
				ret = gate_strv_push(&paths, p.ptr);
		}
	} else {
		ret = sdl_buf_printf(&p, "%s/catalog/cra-annex-i.json", rules_dir());
		if (ret == 0 && sdl_fs_is_file(p.ptr))
			ret = gate_strv_push(&paths, p.ptr);
	}
	if (ret < 0 || !paths.n)
		goto done;
	ev->extra = sdl_calloc(paths.n, sizeof(*ev->extra));
	if (!ev->extra) {
		ret = SDL_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < paths.n; i++) {
		if ((ret = gate_catalog_load(&ev->extra[ev->nextra], paths.v[i])) < 0)
			goto done;
		ev->nextra++;
		if ((ret = gate_input_add(ev, paths.v[i], NULL)) < 0)
			goto done;
	}
done:
	gate_strv_release(&paths);
	sdl_buf_release(&p);
	return ret;
}

int gate_evaluate(struct gate_eval *ev, const struct gate_options *opt)
{
	struct sdl_buf p = SDL_BUF_INIT;
	char *policy = NULL;
	long long sde;
	int ret;

	if ((ret = find_repo(ev, opt->repo ? opt->repo : ".")) < 0)
		goto done;
	sde = sdl_cli_source_date_epoch();
	ev->now = opt->now >= 0 ? opt->now : sde >= 0 ? sde : (long long)time(NULL);

	/* project file */
	if (opt->project) {
		if ((ret = real_arg(&p, opt->project, "project")) < 0 ||
		    (ret = gate_project_load(&ev->project, p.ptr)) < 0)
			goto done;
	} else {
		if ((ret = gate_repo_path(&p, ev, ".sdl-gate.json")) < 0)
			goto done;
		if (sdl_fs_is_file(p.ptr) && (ret = gate_project_load(&ev->project, p.ptr)) < 0)
			goto done;
	}
	/* command-line overrides */
	if ((opt->sarif && (ret = flag_list(&ev->project.sarif, ev, opt->sarif, "SARIF file")) < 0) ||
	    (opt->junit && (ret = flag_list(&ev->project.junit, ev, opt->junit, "JUnit file")) < 0) ||
	    (opt->sbom && (ret = flag_path(&ev->project.sbom, ev, opt->sbom, "SBOM")) < 0) ||
	    (opt->compile_db &&
	     (ret = flag_path(&ev->project.compile_db, ev, opt->compile_db, "compile database")) < 0) ||
	    (opt->waivers && (ret = flag_path(&ev->project.waivers, ev, opt->waivers, "waiver file")) < 0) ||
	    (opt->attestations &&
	     (ret = flag_path(&ev->project.attestations, ev, opt->attestations,
			      "attestation directory")) < 0) ||
	    (opt->allowed_signers &&
	     (ret = flag_path(&ev->project.allowed_signers, ev, opt->allowed_signers,
			      "allowed-signers file")) < 0) ||
	    (opt->tracker && (ret = flag_path(&ev->project.tracker, ev, opt->tracker,
					      "tracker export")) < 0) ||
	    (opt->scoping && (ret = flag_path(&ev->project.scoping, ev, opt->scoping,
					      "scoping file")) < 0))
		goto done;
	if (opt->release) {
		sdl_free(ev->project.release);
		if (!(ev->project.release = sdl_strdup(opt->release))) {
			ret = SDL_ENOMEM;
			goto done;
		}
	}
	if (opt->previous) {
		sdl_free(ev->project.previous);
		if (!(ev->project.previous = sdl_strdup(opt->previous))) {
			ret = SDL_ENOMEM;
			goto done;
		}
	}
	if ((ret = gate_project_defaults(&ev->project)) < 0)
		goto done;
	if (ev->project.path && (ret = gate_input_add(ev, ev->project.path, NULL)) < 0)
		goto done;

	/* catalogue and policy */
	sdl_buf_clear(&p);
	if (opt->catalog)
		ret = real_arg(&p, opt->catalog, "catalogue");
	else
		ret = sdl_buf_printf(&p, "%s/catalog/iec62443-4-1.json", rules_dir());
	if (ret < 0 || (ret = gate_catalog_load(&ev->catalog, p.ptr)) < 0)
		goto done;
	if ((ret = gate_input_add(ev, ev->catalog.path, NULL)) < 0)
		goto done;
	sdl_buf_clear(&p);
	if (opt->policy)
		ret = real_arg(&p, opt->policy, "policy");
	else if (ev->project.policy && (ret = gate_repo_path(&p, ev, ev->project.policy)) == 0 &&
		 sdl_fs_is_file(p.ptr))
		ret = gate_repo_confined(ev, ev->project.policy, p.ptr);
	else
		ret = sdl_buf_printf(&p, "%s/policy/ml3-default.json", rules_dir());
	if (ret < 0)
		goto done;
	if (!(policy = sdl_strdup(p.ptr))) {
		ret = SDL_ENOMEM;
		goto done;
	}
	if ((ret = gate_policy_load(&ev->policy, policy, &ev->catalog)) < 0)
		goto done;
	if ((ret = gate_input_add(ev, policy, NULL)) < 0)
		goto done;
	if ((ret = load_extra_catalogs(ev)) < 0)
		goto done;
	if (!ev->git && (ret = gate_warn(ev, "%s is not a git repository: git checks cannot run",
					 ev->repo)) < 0)
		goto done;

	/* collectors: each reads files and git only */
	if ((ret = gate_collect_signers(ev)) < 0 ||
	    (ret = gate_collect_git(ev)) < 0 || (ret = gate_collect_waivers(ev)) < 0 ||
	    (ret = gate_collect_records(ev)) < 0 || (ret = gate_collect_training(ev)) < 0 ||
	    (ret = gate_collect_roles(ev)) < 0 ||
	    (ret = gate_collect_sarif(ev)) < 0 ||
	    (ret = gate_collect_sbom(ev)) < 0 || (ret = gate_collect_junit(ev)) < 0 ||
	    (ret = gate_collect_docs(ev)) < 0 || (ret = gate_collect_fuzz(ev)) < 0 ||
	    (ret = gate_collect_tracker(ev)) < 0 || (ret = gate_collect_scoping(ev)) < 0)
		goto done;
	ret = gate_decide(ev);
done:
	sdl_free(policy);
	sdl_buf_release(&p);
	return ret;
}
