/*
 * Fuzz target: sdl-gate/sshsig.c, gate_signers_parse(), the allowed-signers
 * file (git's gpg.ssh.allowedSignersFile format: principals, options,
 * key type, base64 key) that decides whose commit and record signatures
 * count. Properties: a failure carries one line and leaves nothing behind;
 * every entry has a key blob, at least one principal and a fingerprint;
 * one failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/banned.h"

static int signers_once(const uint8_t *data, size_t size, unsigned long fail,
			unsigned long *nalloc)
{
	struct gate_signers s;
	char fp[64];
	int ret;

	memset(&s, 0, sizeof(s));
	GATE_FUZZ_CALL(ret, fail, nalloc,
		       gate_signers_parse(&s, (const char *)data, size, "allowed_signers"));
	fuzz_check_error(ret);
	if (ret < 0)
		FUZZ_CHECK(s.n == 0);
	for (size_t i = 0; ret == 0 && i < s.n; i++) {
		const struct gate_signer *g = &s.v[i];
		FUZZ_CHECK(g->key && g->keylen > 0 && g->principals.n > 0);
		gate_ssh_fingerprint(fp, sizeof(fp), g->key, g->keylen);
		FUZZ_CHECK(strncmp(fp, "SHA256:", 7) == 0);
	}
	gate_signers_release(&s);
	return ret;
}

SDL_FUZZ_TARGET(gate_signers)
{
	unsigned long nalloc = 0;

	signers_once(data, size, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(signers_once(data, size, k, NULL));
	return 0;
}
