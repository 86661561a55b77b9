/*
 * The checker registry: one line per checker family. A new checker is one
 * new file under analyzers/ and one line here (plus its rules in the pack).
 */
#include "az.h"
#include "lib/banned.h"

extern const struct az_checker az_check_banned, az_check_format, az_check_alloc,
	az_check_retval, az_check_sizeof, az_check_credentials, az_check_crypto,
	az_check_command, az_check_files, az_check_lifetime, az_check_stack, az_check_index,
	az_check_privilege, az_check_signal, az_check_length;

const struct az_checker *const az_checkers[] = {
	&az_check_banned,
	&az_check_format,
	&az_check_alloc,
	&az_check_retval,
	&az_check_sizeof,
	&az_check_credentials,
	&az_check_crypto,
	&az_check_command,
	&az_check_files,
	&az_check_lifetime,
	&az_check_stack,
	&az_check_index,
	&az_check_privilege,
	&az_check_signal,
	&az_check_length,
};

const size_t az_nchecks = sizeof az_checkers / sizeof az_checkers[0];
