/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-harden: enforce secure container defaults (OWASP Docker Top 10 D04) on
 * OCI runtime configs.  main() only dispatches and prints the error a
 * command ends with; each command lives in its own cmd_<name>.c and returns
 * an exit code from enum exit_code.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "version.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct oh_error *err);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, "judge configs or bundles and report findings" },
	{ "fix", cmd_fix, "write the hardened config, or refuse it" },
	{ "rules", cmd_rules, "list the rules, their actions and references" },
	{ "inspect", cmd_inspect, "judge running containers by the kernel's view" },
	{ "host", cmd_host, "report what the host, its engines and every container expose" },
	{ "profile", cmd_profile, "check, explain, show or learn a seccomp profile; report seccomp denials" },
	{ "test", cmd_test, "run policy test cases (config.json + expect.json per directory)" },
	{ "setup", cmd_setup, "put the hooks and the wrapper in place for podman, docker, containerd or crio" },
	{ "hook", cmd_hook, "run as an OCI hook: precreate, prestart, createRuntime, poststart" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: oci-harden COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  version   print the version\n\n"
		     "exit status: 0 compliant or admitted, 1 not compliant or refused, "
		     "2 error\nsee oci-harden(1)\n");
}

#ifdef __SANITIZE_ADDRESS__
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
/*
 * The sanitizer build (OH_SANITIZE) only.  LeakSanitizer reads the
 * process's threads from /proc at exit, and fails the process when it
 * cannot: in the createContainer stage the hook runs in the container's
 * pid namespace while /proc is still the host's, so /proc/self is another
 * pid than getpid() and every container would be refused.  There, and
 * only there, leaks are not looked for.  Called while the sanitizer
 * starts, before its shadow memory is there (so not instrumented) and
 * before libc's functions may be: system calls and bytes only.
 */
const char *__lsan_default_options(void);
__attribute__((no_sanitize("address", "undefined")))
const char *__lsan_default_options(void)
{
	char self[32], want[32];
	long n = syscall(SYS_readlinkat, AT_FDCWD, "/proc/self", self, sizeof(self));
	long pid = syscall(SYS_getpid);
	int w = 0;

	if (n <= 0 || pid <= 0)
		return "detect_leaks=0";
	for (long p = pid; p > 0 && w < (int)sizeof(want); p /= 10)
		want[w++] = (char)('0' + p % 10);
	if (n != w)
		return "detect_leaks=0";
	for (int k = 0; k < w; k++)
		if (self[k] != want[w - 1 - k])
			return "detect_leaks=0";
	return "";
}
#endif

int main(int argc, char **argv)
{
	/* Installed as a link named oci-harden-runtime: the runtime wrapper.
	 * Also as runc, in a directory of its own (LIBEXECDIR/oci-harden/
	 * runc-path) that `setup --engine containerd` puts first in
	 * containerd's PATH: the runc shim runs `runc` from PATH for every
	 * client that names no binary (ctr, nerdctl). */
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (strcmp(base, "oci-harden-runtime") == 0 || strcmp(base, "runc") == 0)
		return runtime_main(argc, argv);
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *name = argv[1];
	if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
		printf("oci-harden %s\n", OH_VERSION);
		return EXIT_COMPLIANT;
	}
	if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 ||
	    strcmp(name, "-h") == 0) {
		usage(stdout);
		return EXIT_COMPLIANT;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		struct oh_error err = { 0 };
		int rc = commands[i].run(argc - 1, argv + 1, &err);
		if (err.msg[0] != '\0')
			cli_error("%s", err.msg);
		return rc;
	}
	cli_error("unknown command \"%s\"", name);
	usage(stderr);
	return EXIT_ERROR;
}
