/*
 * Fuzz target: sdl-gate/sshsig.c, gate_sshsig_check(): an armoured SSH
 * signature (OpenSSH PROTOCOL.sshsig: base64, then length-prefixed wire
 * fields, the public key blob and the signature blob) over a fixed commit,
 * checked against a fixed allowed-signers file (tests/fuzz/data/sshsig/,
 * the seeds are real ssh-keygen signatures of it). An input that is not
 * armoured is taken as the binary signature and armoured here, so the
 * mutations reach the wire format behind the base64. Properties: a malformed
 * signature is a verdict, not a failure (0 with a reason); "verified"
 * implies the signature verified cryptographically; the strings of the
 * verdict are terminated; gate_sig_kind() classifies any input; one
 * failing allocation fails cleanly.
 */
#include "fuzz_gate.h"

#include "lib/fs.h"

#include "lib/banned.h"

struct sshsig_fixture {
	struct sdl_buf message;
	struct gate_signers signers;
};

static const struct sshsig_fixture *sshsig_fixture(void)
{
	static struct sshsig_fixture fx;
	static int loaded;
	if (!loaded) {
		char path[4096];
		struct sdl_buf allowed = SDL_BUF_INIT;
		sdl_buf_init(&fx.message, SDL_BUF_DEFAULT_MAX);
		snprintf(path, sizeof(path), "%s/tests/fuzz/data/sshsig/message",
			 gate_fuzz_source_dir());
		if (sdl_fs_read_file(&fx.message, path, 1 << 20) < 0)
			abort();
		snprintf(path, sizeof(path), "%s/tests/fuzz/data/sshsig/allowed_signers",
			 gate_fuzz_source_dir());
		if (sdl_fs_read_file(&allowed, path, 1 << 20) < 0 ||
		    gate_signers_parse(&fx.signers, allowed.ptr, allowed.len, "allowed_signers") < 0)
			abort();
		sdl_buf_release(&allowed);
		loaded = 1;
	}
	return &fx;
}

/* Armour a binary signature as ssh-keygen does (base64, 70 columns). */
static char *sshsig_armour(const uint8_t *bin, size_t n, size_t *len_out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char head[] = "-----BEGIN SSH SIGNATURE-----\n";
	static const char tail[] = "\n-----END SSH SIGNATURE-----\n";
	char *out = malloc(sizeof(head) + sizeof(tail) + (n + 2) / 3 * 4 + n / 50 + 8), *o;
	size_t col = 0;

	if (!out)
		abort();
	memcpy(out, head, sizeof(head) - 1);
	o = out + sizeof(head) - 1;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)bin[i] << 16 | (i + 1 < n ? (unsigned)bin[i + 1] << 8 : 0) |
			     (i + 2 < n ? bin[i + 2] : 0);
		char q[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63],
			      i + 1 < n ? b64[v >> 6 & 63] : '=', i + 2 < n ? b64[v & 63] : '=' };
		for (int j = 0; j < 4; j++) {
			if (col == 70) {
				*o++ = '\n';
				col = 0;
			}
			*o++ = q[j];
			col++;
		}
	}
	memcpy(o, tail, sizeof(tail) - 1);
	o += sizeof(tail) - 1;
	*len_out = (size_t)(o - out);
	return out;
}

static int sshsig_once(const uint8_t *data, size_t size, unsigned long fail,
		       unsigned long *nalloc)
{
	const struct sshsig_fixture *fx = sshsig_fixture();
	struct gate_sig_result res;
	int ret;

	memset(&res, 0x5a, sizeof(res)); /* whatever was there must not leak out */
	GATE_FUZZ_CALL(ret, fail, nalloc,
		       gate_sshsig_check(&res, &fx->signers, (const char *)data, size,
					 fx->message.ptr, fx->message.len, "git",
					 "signer@example.com", GATE_FUZZ_NOW));
	fuzz_check_error(ret);
	if (ret == 0) {
		FUZZ_CHECK(memchr(res.keytype, '\0', sizeof(res.keytype)) != NULL);
		FUZZ_CHECK(memchr(res.fingerprint, '\0', sizeof(res.fingerprint)) != NULL);
		FUZZ_CHECK(memchr(res.why, '\0', sizeof(res.why)) != NULL);
		FUZZ_CHECK(!res.verified || res.crypto_ok);
		FUZZ_CHECK(res.verified || res.why[0] != '\0');
	}
	return ret;
}

SDL_FUZZ_TARGET(gate_sshsig)
{
	unsigned long nalloc = 0;
	enum gate_sig_kind kind = gate_sig_kind((const char *)data, size);
	char *armoured = NULL;
	const uint8_t *sig = data;
	size_t len = size;

	FUZZ_CHECK(gate_sig_kind_name(kind) != NULL);
	if (size < 5 || memcmp(data, "-----", 5) != 0) {
		armoured = sshsig_armour(data, size, &len);
		sig = (const uint8_t *)armoured;
	}
	sshsig_once(sig, len, 0, &nalloc);
	FUZZ_FOR_EACH_FAILURE(k, nalloc, data, size)
		fuzz_check_oom(sshsig_once(sig, len, k, NULL));
	free(armoured);
	return 0;
}
