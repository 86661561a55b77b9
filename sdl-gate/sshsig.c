/*
 * sdl-gate: SSH signatures (git's gpg.format=ssh) verified with libcrypto,
 * and the allowed-signers file that says whose keys count (docs/gate/signatures.md).
 *
 * Formats, from OpenSSH's PROTOCOL.sshsig and sshkey wire encodings (RFC 4251
 * section 5 "string"/"mpint", RFC 8709 Ed25519, RFC 5656 ECDSA, RFC 8332 RSA):
 *
 *   armoured:  "-----BEGIN SSH SIGNATURE-----", base64, "-----END SSH SIGNATURE-----"
 *   blob:      "SSHSIG" uint32(1) string(publickey) string(namespace)
 *              string(reserved) string(hash_algorithm) string(signature)
 *   signed:    "SSHSIG" string(namespace) string(reserved) string(hash_algorithm)
 *              string(H(message))
 *
 * The gate never runs ssh-keygen or gpg: it parses and verifies here.
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "gate.h"
#include "lib/alloc.h"
#include "lib/error.h"
#include "lib/fs.h"
#include "lib/banned.h"

#define SSHSIG_MAGIC "SSHSIG"
#define SSHSIG_MAGIC_LEN 6
#define SSHSIG_MAX_ARMOR ((size_t)64 << 10) /* a signature is a few hundred bytes; RSA-16384 < 8 KiB */

/* ---------------- wire reading ---------------- */

struct rd {
	const unsigned char *p;
	size_t n;
};

static int rd_u32(struct rd *r, uint32_t *out)
{
	if (r->n < 4)
		return -1;
	*out = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) |
	       (uint32_t)r->p[3];
	r->p += 4;
	r->n -= 4;
	return 0;
}

/* An SSH "string": uint32 length, bytes (RFC 4251 section 5). */
static int rd_str(struct rd *r, struct rd *out)
{
	uint32_t len;
	if (rd_u32(r, &len) < 0 || len > r->n)
		return -1;
	out->p = r->p;
	out->n = len;
	r->p += len;
	r->n -= len;
	return 0;
}

static int rd_eq(const struct rd *s, const char *lit)
{
	size_t n = strlen(lit);
	return s->n == n && memcmp(s->p, lit, n) == 0;
}

/* An "mpint" without its sign byte padding (positive values only). */
static int rd_mpint(struct rd *r, struct rd *out)
{
	if (rd_str(r, out) < 0)
		return -1;
	if (out->n && (out->p[0] & 0x80))
		return -1; /* negative: never valid for keys or signatures here */
	while (out->n && out->p[0] == 0) {
		out->p++;
		out->n--;
	}
	return 0;
}

/* ---------------- base64 (RFC 4648 section 4) ---------------- */

static int b64_val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64, skipping white space; *out is sdl_malloc'ed. -1 if malformed. */
static int b64_decode(unsigned char **out, size_t *outlen, const char *s, size_t n)
{
	unsigned char *o = sdl_malloc(n / 4 * 3 + 3);
	size_t k = 0, pad = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	if (!o)
		return SDL_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int v;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || (v = b64_val(c)) < 0)
			goto bad; /* data after padding, or not base64 */
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[k++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2 || bits >= 6 || acc != 0)
		goto bad;
	*out = o;
	*outlen = k;
	return 0;
bad:
	sdl_free(o);
	return -1;
}

static void b64_encode_nopad(char *out, size_t size, const unsigned char *in, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t k = 0;
	for (size_t i = 0; i < n && k + 5 < size; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t m = n - i < 3 ? n - i : 3;
		if (m > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (m > 2)
			v |= in[i + 2];
		out[k++] = tab[(v >> 18) & 63];
		out[k++] = tab[(v >> 12) & 63];
		if (m > 1)
			out[k++] = tab[(v >> 6) & 63];
		if (m > 2)
			out[k++] = tab[v & 63];
	}
	out[k] = 0;
}

void gate_ssh_fingerprint(char *out, size_t size, const unsigned char *key, size_t keylen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int n = snprintf(out, size, "SHA256:");
	if (n < 0 || (size_t)n >= size)
		return;
	if (!EVP_Digest(key, keylen, md, &mdlen, EVP_sha256(), NULL)) {
		out[n] = 0;
		return;
	}
	b64_encode_nopad(out + n, size - (size_t)n, md, mdlen);
}

/* ---------------- signature kinds ---------------- */

static const char *memfind(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return hay + i;
	return NULL;
}

enum gate_sig_kind gate_sig_kind(const char *sig, size_t len)
{
	if (!sig || !len)
		return GATE_SIG_NONE;
	if (memfind(sig, len, "-----BEGIN SSH SIGNATURE-----"))
		return GATE_SIG_SSH;
	if (memfind(sig, len, "-----BEGIN PGP SIGNATURE-----"))
		return GATE_SIG_OPENPGP;
	if (memfind(sig, len, "-----BEGIN SIGNED MESSAGE-----"))
		return GATE_SIG_X509;
	return GATE_SIG_UNKNOWN;
}

const char *gate_sig_kind_name(enum gate_sig_kind k)
{
	switch (k) {
	case GATE_SIG_NONE: return "none";
	case GATE_SIG_SSH: return "ssh";
	case GATE_SIG_OPENPGP: return "openpgp";
	case GATE_SIG_X509: return "x509";
	case GATE_SIG_UNKNOWN: return "unknown";
	}
	return "?";
}

/* ---------------- public keys ---------------- */

static EVP_PKEY *pkey_ed25519(struct rd *k)
{
	struct rd pub;
	if (rd_str(k, &pub) < 0 || pub.n != 32 || k->n)
		return NULL;
	return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub.p, pub.n);
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
	EVP_PKEY *pk = NULL;
	if (ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pk;
}

/* ecdsa-sha2-nistp256: string("nistp256") string(Q, uncompressed point) (RFC 5656 3.1). */
static EVP_PKEY *pkey_p256(struct rd *k)
{
	struct rd curve, q;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pk = NULL;
	if (rd_str(k, &curve) < 0 || !rd_eq(&curve, "nistp256") || rd_str(k, &q) < 0 ||
	    q.n != 65 || q.p[0] != 0x04 || k->n)
		return NULL;
	if (!(bld = OSSL_PARAM_BLD_new()))
		return NULL;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q.p, q.n))
		pk = pkey_from_params("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	return pk;
}

/* ssh-rsa: mpint(e) mpint(n) (RFC 4253 6.6); at least 2048 bits (RFC 8332 recommends it). */
static EVP_PKEY *pkey_rsa(struct rd *k)
{
	struct rd e, n;
	OSSL_PARAM_BLD *bld;
	BIGNUM *be = NULL, *bn = NULL;
	EVP_PKEY *pk = NULL;
	if (rd_mpint(k, &e) < 0 || rd_mpint(k, &n) < 0 || k->n || n.n < 256 || n.n > 2048 ||
	    !e.n || e.n > 8)
		return NULL;
	be = BN_bin2bn(e.p, (int)e.n, NULL);
	bn = BN_bin2bn(n.p, (int)n.n, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (be && bn && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
		pk = pkey_from_params("RSA", bld);
	OSSL_PARAM_BLD_free(bld);
	BN_free(be);
	BN_free(bn);
	return pk;
}

int gate_ssh_key_supported(const char *type)
{
	return strcmp(type, "ssh-ed25519") == 0 || strcmp(type, "ecdsa-sha2-nistp256") == 0 ||
	       strcmp(type, "ssh-rsa") == 0;
}

/* ---------------- verification of one signature ---------------- */

/*
 * Verify sigblob (string(alg) string(bytes)) made by the key keyblob over
 * data. 1 verified, 0 not, with *why set.
 */
static int verify_raw(const struct rd *keyblob, const struct rd *sigblob, const unsigned char *data,
		      size_t dlen, const char **why)
{
	struct rd k = *keyblob, s = *sigblob, ktype, salg, sbytes;
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;
	const EVP_MD *hash = NULL;
	unsigned char *der = NULL;
	size_t siglen;
	const unsigned char *sigp;
	int ok = 0;

	*why = "malformed public key";
	if (rd_str(&k, &ktype) < 0)
		return 0;
	if (rd_str(&s, &salg) < 0 || rd_str(&s, &sbytes) < 0 || s.n) {
		*why = "malformed signature blob";
		return 0;
	}
	sigp = sbytes.p;
	siglen = sbytes.n;
	if (rd_eq(&ktype, "ssh-ed25519")) {
		if (!rd_eq(&salg, "ssh-ed25519") || sbytes.n != 64) {
			*why = "signature algorithm does not match the Ed25519 key";
			return 0;
		}
		pk = pkey_ed25519(&k);
	} else if (rd_eq(&ktype, "ecdsa-sha2-nistp256")) {
		struct rd in = sbytes, r, sv;
		ECDSA_SIG *es;
		BIGNUM *br, *bs;
		int dl;
		if (!rd_eq(&salg, "ecdsa-sha2-nistp256") || rd_mpint(&in, &r) < 0 ||
		    rd_mpint(&in, &sv) < 0 || in.n || r.n > 32 || sv.n > 32) {
			*why = "malformed ECDSA signature";
			return 0;
		}
		es = ECDSA_SIG_new();
		br = BN_bin2bn(r.p, (int)r.n, NULL);
		bs = BN_bin2bn(sv.p, (int)sv.n, NULL);
		if (!es || !br || !bs || !ECDSA_SIG_set0(es, br, bs)) {
			BN_free(br);
			BN_free(bs);
			ECDSA_SIG_free(es);
			*why = "out of memory";
			return 0;
		}
		dl = i2d_ECDSA_SIG(es, &der);
		ECDSA_SIG_free(es);
		if (dl <= 0) {
			*why = "malformed ECDSA signature";
			return 0;
		}
		sigp = der;
		siglen = (size_t)dl;
		hash = EVP_sha256(); /* RFC 5656 6.2.1: nistp256 uses SHA-256 */
		pk = pkey_p256(&k);
	} else if (rd_eq(&ktype, "ssh-rsa")) {
		/* PROTOCOL.sshsig: SHA-1 "ssh-rsa" signatures are not allowed. */
		if (rd_eq(&salg, "rsa-sha2-512"))
			hash = EVP_sha512();
		else if (rd_eq(&salg, "rsa-sha2-256"))
			hash = EVP_sha256();
		else {
			*why = "RSA signature algorithm is not rsa-sha2-256/512";
			return 0;
		}
		pk = pkey_rsa(&k);
	} else {
		*why = "unsupported key type (Ed25519, ECDSA P-256 and RSA are verified)";
		return 0;
	}
	if (!pk) {
		*why = "malformed or unsupported public key";
		goto done;
	}
	if (!(md = EVP_MD_CTX_new()) || EVP_DigestVerifyInit(md, NULL, hash, NULL, pk) != 1) {
		*why = "cannot set up verification";
		goto done;
	}
	ok = EVP_DigestVerify(md, sigp, siglen, data, dlen) == 1;
	*why = ok ? NULL : "signature does not verify (message or signature altered, or another key)";
done:
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
	return ok;
}

static int put_str(unsigned char *out, size_t *k, const void *p, size_t n)
{
	out[(*k)++] = (unsigned char)(n >> 24);
	out[(*k)++] = (unsigned char)(n >> 16);
	out[(*k)++] = (unsigned char)(n >> 8);
	out[(*k)++] = (unsigned char)n;
	memcpy(out + *k, p, n);
	*k += n;
	return 0;
}

/* 1 if the principal pattern list (comma separated, '!' negates) matches identity. */
static int principals_match(const struct gate_strv *pats, const char *identity)
{
	int yes = 0;
	for (size_t i = 0; i < pats->n; i++) {
		const char *p = pats->v[i];
		int neg = p[0] == '!';
		if (fnmatch(neg ? p + 1 : p, identity, 0) == 0) {
			if (neg)
				return 0;
			yes = 1;
		}
	}
	return yes;
}

static void lower_copy(char *out, size_t size, const char *s)
{
	size_t i = 0;
	for (; s && s[i] && i + 1 < size; i++)
		out[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
	out[i] = 0;
}

int gate_sshsig_check(struct gate_sig_result *out, const struct gate_signers *allowed,
		      const char *armored, size_t alen, const void *msg, size_t mlen,
		      const char *ns, const char *identity, long long when)
{
	static const char begin[] = "-----BEGIN SSH SIGNATURE-----";
	static const char end[] = "-----END SSH SIGNATURE-----";
	const char *b, *e, *why = NULL;
	unsigned char *blob = NULL, *signed_data = NULL, hbuf[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	struct rd r, pub, sns, reserved, halg, sig;
	uint32_t version;
	char id[256];
	size_t bloblen = 0, k = 0;
	int ret = 0, rc, key_known = 0;

	memset(out, 0, sizeof(*out));
	lower_copy(id, sizeof(id), identity);
	if (alen > SSHSIG_MAX_ARMOR || !(b = memfind(armored, alen, begin)) ||
	    !(e = memfind(b, alen - (size_t)(b - armored), end))) {
		why = "malformed SSH signature (no armour)";
		goto verdict;
	}
	b += sizeof(begin) - 1;
	rc = b64_decode(&blob, &bloblen, b, (size_t)(e - b));
	if (rc == SDL_ENOMEM)
		return rc;
	if (rc < 0) {
		why = "malformed SSH signature (bad base64)";
		goto verdict;
	}
	r.p = blob;
	r.n = bloblen;
	if (r.n < SSHSIG_MAGIC_LEN || memcmp(r.p, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN) != 0) {
		why = "malformed SSH signature (no SSHSIG magic)";
		goto verdict;
	}
	r.p += SSHSIG_MAGIC_LEN;
	r.n -= SSHSIG_MAGIC_LEN;
	if (rd_u32(&r, &version) < 0 || rd_str(&r, &pub) < 0 || rd_str(&r, &sns) < 0 ||
	    rd_str(&r, &reserved) < 0 || rd_str(&r, &halg) < 0 || rd_str(&r, &sig) < 0 || r.n) {
		why = "malformed SSH signature (truncated or trailing data)";
		goto verdict;
	}
	if (version != 1) {
		why = "unsupported SSH signature version";
		goto verdict;
	}
	gate_ssh_fingerprint(out->fingerprint, sizeof(out->fingerprint), pub.p, pub.n);
	{
		struct rd kk = pub, kt;
		if (rd_str(&kk, &kt) == 0)
			snprintf(out->keytype, sizeof(out->keytype), "%.*s", (int)kt.n, (const char *)kt.p);
	}
	if (!rd_eq(&sns, ns)) {
		why = "signature made for another namespace";
		goto verdict;
	}
	if (rd_eq(&halg, "sha512"))
		rc = EVP_Digest(msg, mlen, hbuf, &hlen, EVP_sha512(), NULL);
	else if (rd_eq(&halg, "sha256"))
		rc = EVP_Digest(msg, mlen, hbuf, &hlen, EVP_sha256(), NULL);
	else {
		why = "unsupported hash algorithm (sha256 and sha512 are)";
		goto verdict;
	}
	if (!rc) {
		ret = sdl_error_set(SDL_EINTERNAL, "hashing a signed message failed");
		goto done;
	}
	signed_data = sdl_malloc(SSHSIG_MAGIC_LEN + 16 + sns.n + reserved.n + halg.n + hlen);
	if (!signed_data) {
		ret = SDL_ENOMEM;
		goto done;
	}
	memcpy(signed_data, SSHSIG_MAGIC, SSHSIG_MAGIC_LEN);
	k = SSHSIG_MAGIC_LEN;
	put_str(signed_data, &k, sns.p, sns.n);
	put_str(signed_data, &k, reserved.p, reserved.n);
	put_str(signed_data, &k, halg.p, halg.n);
	put_str(signed_data, &k, hbuf, hlen);
	if (!verify_raw(&pub, &sig, signed_data, k, &why))
		goto verdict;
	out->crypto_ok = 1;
	/* Whose key is it? The allowed-signers entry must name the identity. */
	for (size_t i = 0; allowed && i < allowed->n; i++) {
		const struct gate_signer *s = &allowed->v[i];
		if (s->keylen != pub.n || memcmp(s->key, pub.p, pub.n) != 0)
			continue;
		key_known = 1;
		if (!principals_match(&s->principals, id))
			continue;
		if (s->namespaces.n && !principals_match(&s->namespaces, ns))
			continue;
		if ((s->valid_after && when < s->valid_after) ||
		    (s->valid_before && when > s->valid_before)) {
			why = "the signer's key is outside its valid-after/valid-before window";
			continue;
		}
		out->verified = 1;
		out->signer_line = s->line;
		why = NULL;
		break;
	}
	if (!out->verified && !why)
		why = key_known ? "the key is in the allowed signers, but not for this identity"
				: "signed by a key that is not in the allowed signers";
verdict:
	if (why)
		snprintf(out->why, sizeof(out->why), "%s", why);
done:
	sdl_free(blob);
	sdl_free(signed_data);
	return ret;
}

/* ---------------- allowed signers (ssh-keygen(1) "ALLOWED SIGNERS") ---------------- */

void gate_signers_release(struct gate_signers *s)
{
	for (size_t i = 0; i < s->n; i++) {
		gate_strv_release(&s->v[i].principals);
		gate_strv_release(&s->v[i].namespaces);
		sdl_free(s->v[i].key);
	}
	sdl_free(s->v);
	sdl_free(s->file);
	memset(s, 0, sizeof(*s));
}

/* Next token: a run of non-space; double quotes group (no escapes inside, as ssh-keygen). */
static int next_token(const char **p, const char *end, const char **tok, size_t *len)
{
	const char *s = *p;
	int q = 0;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end)
		return 0;
	*tok = s;
	while (s < end && (q || (*s != ' ' && *s != '\t'))) {
		if (*s == '"')
			q = !q;
		s++;
	}
	if (q)
		return -1;
	*len = (size_t)(s - *tok);
	*p = s;
	return 1;
}

/* Split "a,b,c" (optionally quoted) into lowercased entries. */
static int split_list(struct gate_strv *out, const char *s, size_t n)
{
	char item[256];
	size_t k = 0;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == ',') {
			int ret;
			item[k] = 0;
			if (k && (ret = gate_strv_push(out, item)) < 0)
				return ret;
			k = 0;
		} else if (k + 1 < sizeof(item)) {
			item[k++] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
		} else {
			return -1;
		}
	}
	return 0;
}

/* "YYYYMMDD[HHMM[SS]][Z]" (ssh-keygen valid-after/valid-before); read as UTC. */
static int parse_stamp(long long *out, const char *s, size_t n)
{
	char iso[32];
	size_t d = 0;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (n && (s[n - 1] == 'Z' || s[n - 1] == 'z'))
		n--;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			d++;
	if (d != n || (n != 8 && n != 12 && n != 14))
		return -1;
	snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6,
		 n > 8 ? s + 8 : "00", n > 8 ? s + 10 : "00", n > 12 ? s + 12 : "00");
	return gate_parse_time(out, iso) < 0 ? -1 : 0;
}

__attribute__((format(printf, 3, 4)))
static int serr(const char *name, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sdl_error_set(SDL_EINVAL, "%s:%u: %s", name, line, msg);
}

static int parse_options(struct gate_signer *s, const char *o, size_t n, const char *name,
			 unsigned line, int *skip)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		int q = 0, ret;
		const char *eq;
		size_t klen;
		while (j < n && (q || o[j] != ',')) {
			if (o[j] == '"')
				q = !q;
			j++;
		}
		eq = memchr(o + i, '=', j - i);
		klen = eq ? (size_t)(eq - (o + i)) : j - i;
#define OPT_IS(lit) (klen == sizeof(lit) - 1 && strncasecmp(o + i, lit, klen) == 0)
		if (OPT_IS("cert-authority")) {
			*skip = 1; /* certificates are not verified: the entry cannot match a plain key */
		} else if (OPT_IS("namespaces") && eq) {
			if ((ret = split_list(&s->namespaces, eq + 1, (size_t)(o + j - eq - 1))) < 0)
				return ret == -1 ? serr(name, line, "namespace too long") : ret;
		} else if (OPT_IS("valid-after") && eq) {
			if (parse_stamp(&s->valid_after, eq + 1, (size_t)(o + j - eq - 1)) < 0)
				return serr(name, line, "valid-after must be YYYYMMDD[HHMM[SS]]");
		} else if (OPT_IS("valid-before") && eq) {
			if (parse_stamp(&s->valid_before, eq + 1, (size_t)(o + j - eq - 1)) < 0)
				return serr(name, line, "valid-before must be YYYYMMDD[HHMM[SS]]");
		} else {
			return serr(name, line, "unknown option '%.*s'", (int)(j - i), o + i);
		}
#undef OPT_IS
		i = j + 1;
	}
	return 0;
}

static int is_key_type(const char *t, size_t n)
{
	static const char *const types[] = { "ssh-ed25519", "ssh-rsa", "ssh-dss",
		"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
		"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", NULL };
	for (size_t i = 0; types[i]; i++)
		if (strlen(types[i]) == n && memcmp(types[i], t, n) == 0)
			return 1;
	return 0;
}

static int parse_line(struct gate_signers *out, const char *p, const char *end, const char *name,
		      unsigned line)
{
	const char *tok, *princ, *opts = NULL;
	size_t len, plen, olen = 0;
	struct gate_signer s;
	struct rd blob, t;
	unsigned char *key = NULL;
	size_t keylen = 0;
	int rc, ret = 0, skip = 0;

	memset(&s, 0, sizeof(s));
	if ((rc = next_token(&p, end, &princ, &plen)) <= 0)
		return rc < 0 ? serr(name, line, "unbalanced quote") : 0;
	if (princ[0] == '#')
		return 0;
	if ((rc = next_token(&p, end, &tok, &len)) <= 0)
		return serr(name, line, "principals without a key");
	if (!is_key_type(tok, len)) {
		opts = tok;
		olen = len;
		if ((rc = next_token(&p, end, &tok, &len)) <= 0)
			return serr(name, line, "options without a key");
		if (!is_key_type(tok, len))
			return serr(name, line, "unknown key type '%.*s'", (int)(len > 40 ? 40 : len), tok);
	}
	if (opts && (ret = parse_options(&s, opts, olen, name, line, &skip)) < 0)
		goto fail;
	{
		const char *kt = tok;
		size_t ktn = len;
		if ((rc = next_token(&p, end, &tok, &len)) <= 0) {
			ret = serr(name, line, "key type without key data");
			goto fail;
		}
		rc = b64_decode(&key, &keylen, tok, len);
		if (rc < 0) {
			ret = rc == SDL_ENOMEM ? rc : serr(name, line, "key data is not base64");
			goto fail;
		}
		blob.p = key;
		blob.n = keylen;
		if (rd_str(&blob, &t) < 0 || t.n != ktn || memcmp(t.p, kt, ktn) != 0) {
			ret = serr(name, line, "key data does not match its type '%.*s'", (int)ktn, kt);
			goto fail;
		}
	}
	s.key = key;
	s.keylen = keylen;
	s.line = line;
	if ((ret = split_list(&s.principals, princ, plen)) < 0) {
		if (ret == -1)
			ret = serr(name, line, "principal too long");
		goto fail;
	}
	if (skip) {
		ret = 0;
		goto fail; /* not an error: dropped */
	}
	if (out->n >= GATE_MAX_SIGNERS) {
		ret = serr(name, line, "more than %d allowed signers", GATE_MAX_SIGNERS);
		goto fail;
	}
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;
		struct gate_signer *v = sdl_reallocarray(out->v, cap, sizeof(*v));
		if (!v) {
			ret = SDL_ENOMEM;
			goto fail;
		}
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n++] = s;
	return 0;
fail:
	gate_strv_release(&s.principals);
	gate_strv_release(&s.namespaces);
	sdl_free(key);
	return ret;
}

int gate_signers_parse(struct gate_signers *out, const char *data, size_t len, const char *name)
{
	const char *p = data, *end = data + len;
	unsigned line = 0;
	int ret = 0;
	memset(out, 0, sizeof(*out));
	if (memchr(data, 0, len))
		return sdl_error_set(SDL_EINVAL, "%s: binary data in an allowed-signers file", name);
	if (!(out->file = sdl_strdup(name)))
		return SDL_ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		if ((ret = parse_line(out, p, le > p && le[-1] == '\r' ? le - 1 : le, name, line)) < 0)
			break;
		p = nl ? nl + 1 : end;
	}
	if (ret < 0)
		gate_signers_release(out);
	return ret;
}

int gate_signers_load(struct gate_signers *out, const char *path, const char *name)
{
	struct sdl_buf raw = SDL_BUF_INIT;
	int ret = sdl_fs_read_file(&raw, path, GATE_MAX_SIGNERS_BYTES);
	if (ret == 0)
		ret = gate_signers_parse(out, raw.ptr ? raw.ptr : "", raw.len, name);
	sdl_buf_release(&raw);
	return ret;
}
