/*
 * sshsig.c: SSH signatures made by OpenSSH's ssh-keygen (tests/fixtures/gate/sshsig)
 * verify; altered messages, other namespaces, other principals, corrupted
 * signatures do not; allowed-signers files parse or fail with file:line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gate_test.h"
#include "lib/buf.h"
#include "lib/banned.h"

static void load(struct sdl_buf *b, const char *name)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "tests/fixtures/gate/sshsig/%s", name);
	sdl_buf_init(b, 1 << 20);
	assert_int_equal(sdl_fs_read_file(b, gt_src(rel), 1 << 20), 0);
}

static void signers(struct gate_signers *s, const char *text)
{
	assert_int_equal(gate_signers_parse(s, text, strlen(text), "allowed"), 0);
}

static void check(struct gate_sig_result *r, const struct gate_signers *s, const char *signame,
		  const struct sdl_buf *msg, const char *ns, const char *who)
{
	struct sdl_buf sig;
	load(&sig, signame);
	assert_int_equal(gate_sshsig_check(r, s, sig.ptr, sig.len, msg->ptr, msg->len, ns, who,
					   1700000000),
			 0);
	sdl_buf_release(&sig);
}

static void verifies_ssh_keygen_signatures(void **state)
{
	static const char *const kinds[][2] = {
		{ "ed25519", "SHA256:p4dtWi6kaPeLBXSU0Fyd5r1pHwsw790pZ5VaocaV5gw" },
		{ "ecdsa", "SHA256:fVSZBS/I277aMUcO0vJ2jhLiJZKo/ARCX6RIDNi5eFI" },
		{ "rsa", "SHA256:avSFAM7S3yMrq+1/AeEUOAQwngTcDk/J2jXBkPnjy6E" },
	};
	struct sdl_buf msg, allowed;
	struct gate_signers s;
	(void)state;
	load(&msg, "message");
	load(&allowed, "allowed_signers");
	assert_int_equal(gate_signers_parse(&s, allowed.ptr, allowed.len, "allowed_signers"), 0);
	assert_int_equal(s.n, 3);
	for (size_t i = 0; i < 3; i++) {
		struct gate_sig_result r;
		char name[32];
		snprintf(name, sizeof(name), "%s.sig", kinds[i][0]);
		check(&r, &s, name, &msg, "git", "Signer@Example.com");
		if (!r.verified)
			fprintf(stderr, "%s: %s\n", name, r.why);
		assert_true(r.crypto_ok);
		assert_true(r.verified);
		/* the same fingerprint ssh-keygen -l prints */
		assert_string_equal(r.fingerprint, kinds[i][1]);
		/* another identity: the signature is good, the signer not allowed */
		check(&r, &s, name, &msg, "git", "mallory@example.com");
		assert_true(r.crypto_ok);
		assert_false(r.verified);
		assert_non_null(strstr(r.why, "not for this identity"));
		/* nobody allowed */
		check(&r, NULL, name, &msg, "git", "signer@example.com");
		assert_true(r.crypto_ok);
		assert_false(r.verified);
		assert_non_null(strstr(r.why, "not in the allowed signers"));
	}
	/* a one-byte change of the message breaks every signature */
	msg.ptr[msg.len - 2] ^= 1;
	for (size_t i = 0; i < 3; i++) {
		struct gate_sig_result r;
		char name[32];
		snprintf(name, sizeof(name), "%s.sig", kinds[i][0]);
		check(&r, &s, name, &msg, "git", "signer@example.com");
		assert_false(r.crypto_ok);
		assert_false(r.verified);
		assert_non_null(strstr(r.why, "does not verify"));
	}
	msg.ptr[msg.len - 2] ^= 1;
	{
		struct gate_sig_result r;
		check(&r, &s, "ed25519-file-ns.sig", &msg, "git", "signer@example.com");
		assert_false(r.verified);
		assert_non_null(strstr(r.why, "namespace"));
		check(&r, &s, "ed25519-file-ns.sig", &msg, "file", "signer@example.com");
		assert_true(r.verified);
	}
	gate_signers_release(&s);
	sdl_buf_release(&allowed);
	sdl_buf_release(&msg);
}

static void principal_rules(void **state)
{
	struct sdl_buf msg, pub;
	struct gate_signers s;
	struct gate_sig_result r;
	struct sdl_buf text = SDL_BUF_INIT;
	(void)state;
	load(&msg, "message");
	load(&pub, "key-ed25519.pub");
	/* pub.ptr is "ssh-ed25519 AAAA... comment\n" */
	pub.ptr[strcspn(pub.ptr, "\n")] = 0;

	/* wildcard with a negation */
	assert_int_equal(sdl_buf_printf(&text, "# team\n\n*@example.com,!intern@example.com %s\n",
					pub.ptr), 0);
	signers(&s, text.ptr);
	check(&r, &s, "ed25519.sig", &msg, "git", "dev@example.com");
	assert_true(r.verified);
	assert_int_equal(r.signer_line, 3);
	check(&r, &s, "ed25519.sig", &msg, "git", "intern@example.com");
	assert_false(r.verified);
	check(&r, &s, "ed25519.sig", &msg, "git", "dev@example.org");
	assert_false(r.verified);
	gate_signers_release(&s);

	/* namespaces restrict */
	sdl_buf_clear(&text);
	assert_int_equal(sdl_buf_printf(&text, "dev@example.com namespaces=\"file,sdl-gate-record\" %s\n",
					pub.ptr), 0);
	signers(&s, text.ptr);
	check(&r, &s, "ed25519.sig", &msg, "git", "dev@example.com");
	assert_false(r.verified);
	gate_signers_release(&s);

	/* validity windows: the check time is 1700000000 (2023-11-14) */
	sdl_buf_clear(&text);
	assert_int_equal(sdl_buf_printf(&text, "dev@example.com valid-before=\"20231101\" %s\n"
					       "dev@example.com valid-after=\"202312010000\" %s\n",
					pub.ptr, pub.ptr), 0);
	signers(&s, text.ptr);
	check(&r, &s, "ed25519.sig", &msg, "git", "dev@example.com");
	assert_false(r.verified);
	assert_non_null(strstr(r.why, "valid-after/valid-before"));
	gate_signers_release(&s);
	sdl_buf_clear(&text);
	assert_int_equal(sdl_buf_printf(&text, "dev@example.com valid-after=\"20231101\",valid-before=\"20231201120000Z\" %s\n",
					pub.ptr), 0);
	signers(&s, text.ptr);
	check(&r, &s, "ed25519.sig", &msg, "git", "dev@example.com");
	assert_true(r.verified);
	gate_signers_release(&s);

	/* a cert-authority line is skipped, not an error */
	sdl_buf_clear(&text);
	assert_int_equal(sdl_buf_printf(&text, "*@example.com cert-authority %s\r\n", pub.ptr), 0);
	signers(&s, text.ptr);
	assert_int_equal(s.n, 0);
	check(&r, &s, "ed25519.sig", &msg, "git", "dev@example.com");
	assert_false(r.verified);
	gate_signers_release(&s);

	sdl_buf_release(&text);
	sdl_buf_release(&pub);
	sdl_buf_release(&msg);
}

static void bad_allowed_signers(void **state)
{
	static const char *const cases[][2] = {
		{ "a@b ssh-ed25519\n", "allowed:1: key type without key data" },
		{ "a@b\n", "allowed:1: principals without a key" },
		{ "a@b foo=1 ssh-ed25519 AAAA\n", "allowed:1: unknown option 'foo=1'" },
		{ "a@b opt\n", "allowed:1: options without a key" },
		{ "a@b opt ssh-foo AAAA\n", "allowed:1: unknown key type 'ssh-foo'" },
		{ "\n# c\na@b ssh-ed25519 !!!!\n", "allowed:3: key data is not base64" },
		{ "a@b ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIFBVDVSXLR2Wdld1wrbVpML3Mzl6sH5OT8fXicYLDDbe\n",
		  "allowed:1: key data does not match its type 'ssh-rsa'" },
		{ "a@b valid-after=\"2023\" ssh-ed25519 AAAA\n", "allowed:1: valid-after must be YYYYMMDD" },
		{ "a@b valid-before=x ssh-ed25519 AAAA\n", "allowed:1: valid-before must be YYYYMMDD" },
		{ "\"a@b ssh-ed25519 AAAA\n", "allowed:1: unbalanced quote" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gate_signers s;
		int ret = gate_signers_parse(&s, cases[i][0], strlen(cases[i][0]), "allowed");
		if (ret != SDL_EINVAL || !strstr(sdl_error_last(), cases[i][1]))
			fprintf(stderr, "case %zu: %d '%s'\n", i, ret, sdl_error_last());
		assert_int_equal(ret, SDL_EINVAL);
		assert_non_null(strstr(sdl_error_last(), cases[i][1]));
		assert_null(s.v);
	}
	{
		struct gate_signers s;
		assert_int_equal(gate_signers_parse(&s, "a\0b", 3, "allowed"), SDL_EINVAL);
		assert_int_equal(gate_signers_load(&s, "/nonexistent/allowed", "x"), SDL_ENOTFOUND);
	}
}

/* Every truncation and every single-byte change of a signature is refused, never crashes. */
static void corrupted_signatures(void **state)
{
	struct sdl_buf msg, allowed, sig;
	struct gate_signers s;
	struct gate_sig_result r;
	(void)state;
	load(&msg, "message");
	load(&allowed, "allowed_signers");
	load(&sig, "ecdsa.sig");
	assert_int_equal(gate_signers_parse(&s, allowed.ptr, allowed.len, "allowed_signers"), 0);
	for (size_t n = 0; n < sig.len - 1; n++) {
		assert_int_equal(gate_sshsig_check(&r, &s, sig.ptr, n, msg.ptr, msg.len, "git",
						   "signer@example.com", 1),
				 0);
		assert_false(r.verified);
	}
	for (size_t i = 30; i < sig.len - 30; i++) {
		char c = sig.ptr[i];
		if (c == '\n')
			continue;
		sig.ptr[i] = c == 'A' ? 'B' : 'A';
		assert_int_equal(gate_sshsig_check(&r, &s, sig.ptr, sig.len, msg.ptr, msg.len, "git",
						   "signer@example.com", 1),
				 0);
		assert_false(r.verified);
		sig.ptr[i] = c;
	}
	/* hand-made blobs: wrong magic, wrong version, trailing data */
	{
		static const char *const bad[] = {
			"-----BEGIN SSH SIGNATURE-----\nU1NIU0lI\n-----END SSH SIGNATURE-----\n",
			"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAg==\n-----END SSH SIGNATURE-----\n",
			"-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ=\n-----END SSH SIGNATURE-----\n",
			"-----BEGIN SSH SIGNATURE-----\nU1=NIU0lH\n-----END SSH SIGNATURE-----\n",
			"-----BEGIN SSH SIGNATURE-----\n",
			"no armour",
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(gate_sshsig_check(&r, &s, bad[i], strlen(bad[i]), "m", 1, "git",
							   "x", 1),
					 0);
			assert_false(r.crypto_ok);
			assert_non_null(strstr(r.why, "malformed"));
		}
	}
	assert_int_equal(gate_sig_kind("", 0), GATE_SIG_NONE);
	assert_int_equal(gate_sig_kind("-----BEGIN PGP SIGNATURE-----", 29), GATE_SIG_OPENPGP);
	assert_int_equal(gate_sig_kind("x-----BEGIN SIGNED MESSAGE-----", 31), GATE_SIG_X509);
	assert_int_equal(gate_sig_kind(sig.ptr, sig.len), GATE_SIG_SSH);
	assert_int_equal(gate_sig_kind("garbage", 7), GATE_SIG_UNKNOWN);
	assert_string_equal(gate_sig_kind_name(GATE_SIG_OPENPGP), "openpgp");
	gate_signers_release(&s);
	sdl_buf_release(&sig);
	sdl_buf_release(&allowed);
	sdl_buf_release(&msg);
}

static void alloc_failures(void **state)
{
	struct sdl_buf msg, allowed, sig;
	int ret;
	(void)state;
	load(&msg, "message");
	load(&allowed, "allowed_signers");
	load(&sig, "rsa.sig");
	for (int n = 1;; n++) {
		struct gate_signers s;
		sdl_alloc_fail_at(n);
		ret = gate_signers_parse(&s, allowed.ptr, allowed.len, "allowed_signers");
		sdl_alloc_fail_at(0);
		if (ret == 0) {
			struct gate_sig_result r;
			for (int m = 1;; m++) {
				sdl_alloc_fail_at(m);
				ret = gate_sshsig_check(&r, &s, sig.ptr, sig.len, msg.ptr, msg.len, "git",
							"signer@example.com", 1);
				sdl_alloc_fail_at(0);
				if (ret == 0) {
					assert_true(r.verified);
					break;
				}
				assert_int_equal(ret, SDL_ENOMEM);
			}
			gate_signers_release(&s);
			break;
		}
		assert_int_equal(ret, SDL_ENOMEM);
		assert_null(s.v);
	}
	sdl_buf_release(&sig);
	sdl_buf_release(&allowed);
	sdl_buf_release(&msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verifies_ssh_keygen_signatures),
		cmocka_unit_test(principal_rules),
		cmocka_unit_test(bad_allowed_signers),
		cmocka_unit_test(corrupted_signatures),
		cmocka_unit_test(alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
