/*
 * syscall-probe: report which system calls a seccomp profile lets through.
 *
 * Part of oci-harden's test suite.  Build it as a static binary, copy it
 * into a container root filesystem and run it under the profile being
 * tested; run it again under seccomp=unconfined and compare the two
 * outputs.  Every difference between the runs is caused by the filter.
 *
 *   gcc -static -O2 -Wall -Wextra -Werror -o syscall-probe syscall-probe.c
 *   musl-gcc -static -O2 -Wall -Wextra -Werror -o syscall-probe syscall-probe.c
 *
 * Usage:
 *   syscall-probe            run every check
 *   syscall-probe NAME...    run only the named checks
 *   syscall-probe --list     print the check names and what they cover
 *
 * Output: one line per check, "NAME 0" when the call succeeded, otherwise
 * "NAME <errno> <symbolic errno>", e.g. "unshare 1 EPERM" or
 * "clone3 38 ENOSYS".  A check that cannot be built for this
 * architecture prints "NAME -1 NOTBUILT".
 *
 * Safety: every check uses arguments that are invalid, empty or
 * self-contained, so nothing harmful happens even when the probe runs as
 * root with all capabilities and no filter.  Calls that would change the
 * probe's own state (unshare, personality, namespace clones) run in a
 * short-lived child process.  Each check runs under a watchdog alarm so
 * the probe cannot hang.
 *
 * Only raw syscall numbers from <sys/syscall.h> are used for the calls
 * being measured (not libc wrappers), so the result does not depend on
 * how a libc maps or emulates a call.  The exceptions are the "fork",
 * "clone_thread" and "pthread" controls, which exercise exactly the libc
 * paths real programs take (glibc's pthread_create tries clone3 first and
 * falls back to clone only on ENOSYS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Constants spelled out here so the probe builds without kernel headers
 * (musl-gcc does not see /usr/include/linux). */
#define P_CLONE_NEWNS 0x00020000UL
#define P_CLONE_NEWUSER 0x10000000UL
#define P_AF_NETLINK 16
#define P_AF_PACKET 17
#define P_AF_ALG 38
#define P_AF_VSOCK 40
#define P_KEYCTL_BAD_CMD 0x7fffffffL
#define P_SYSLOG_ACTION_SIZE_BUFFER 10
#define P_UFFD_USER_MODE_ONLY 1
#define P_KCMP_BAD_TYPE 0x7fL

#define NOT_BUILT (-1000)
#define WATCHDOG_SECONDS 5

/* ------------------------------------------------------------------ */
/* errno names                                                          */

struct errname {
	int num;
	const char *name;
};

#define E(x) { x, #x },
static const struct errname errnames[] = {
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG)
	E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES)
	E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR)
	E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(EFBIG)
	E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(ERANGE)
	E(ENAMETOOLONG) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENOMSG)
	E(ENODATA) E(EOVERFLOW) E(EBADFD) E(ENOTSOCK) E(EPROTOTYPE)
	E(ENOPROTOOPT) E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT) E(EOPNOTSUPP)
	E(EPFNOSUPPORT) E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL)
	E(ENETDOWN) E(ENOBUFS) E(ETIMEDOUT) E(ECONNREFUSED) E(EALREADY)
	E(EDQUOT) E(ECANCELED)
#ifdef ENOKEY
	E(ENOKEY)
#endif
#ifdef EKEYREVOKED
	E(EKEYREVOKED)
#endif
#ifdef ENOPKG
	E(ENOPKG)
#endif
#ifdef EHWPOISON
	E(EHWPOISON)
#endif
};
#undef E

static const char *errno_name(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].num == e)
			return errnames[i].name;
	return "E?";
}

/* ------------------------------------------------------------------ */
/* helpers                                                              */

static volatile sig_atomic_t watchdog_fired;

static void on_alarm(int sig)
{
	(void)sig;
	watchdog_fired = 1;
}

/* Turn a raw syscall() result into 0 or a positive errno. */
static int rc(long r)
{
	return r < 0 ? errno : 0;
}

/* Same, but the call returned a file descriptor that must be closed. */
static int rc_fd(long r)
{
	if (r < 0)
		return errno;
	close((int)r);
	return 0;
}

/*
 * Run fn in a forked child and hand back its result.  Used for calls that
 * would alter the probe itself if they were allowed.  Exit codes above
 * 255 cannot be passed back, so results are clamped to 255 (no errno we
 * look at is that large).
 */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid, w;

	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		int r;

		alarm(WATCHDOG_SECONDS);
		r = fn();
		_exit(r > 255 ? 255 : r);
	}
	do {
		w = waitpid(pid, &status, 0);
	} while (w < 0 && errno == EINTR && !watchdog_fired);
	if (w < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return ETIMEDOUT;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 1000 + WTERMSIG(status);
}

/* Wait for a raw-clone child (no CLONE_VM) that exits at once. */
static int reap(long pid)
{
	int status;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0); /* child of a fork-like raw clone */
	if (waitpid((pid_t)pid, &status, __WALL) < 0)
		return errno;
	return 0;
}

/* ------------------------------------------------------------------ */
/* checks that must be denied by the default profile                    */

#define CHECK(name) static int chk_##name(void)
#define NOSYS_BUILD return NOT_BUILT

static int child_unshare(void)
{
#ifdef SYS_unshare
	return rc(syscall(SYS_unshare, P_CLONE_NEWUSER));
#else
	NOSYS_BUILD;
#endif
}
CHECK(unshare) { return in_child(child_unshare); }

CHECK(setns)
{
#ifdef SYS_setns
	return rc(syscall(SYS_setns, -1, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(mount)
{
	/* NULL target: EFAULT from the kernel when the filter allows it. */
#ifdef SYS_mount
	return rc(syscall(SYS_mount, NULL, NULL, NULL, 0UL, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(umount2)
{
	/* Unknown flag bits: EINVAL from the kernel when allowed. */
#ifdef SYS_umount2
	return rc(syscall(SYS_umount2, "/nonexistent-oh-probe", 0x7fffff00));
#else
	NOSYS_BUILD;
#endif
}

CHECK(pivot_root)
{
#ifdef SYS_pivot_root
	return rc(syscall(SYS_pivot_root, NULL, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(fsopen)
{
#ifdef SYS_fsopen
	return rc_fd(syscall(SYS_fsopen, NULL, 0x7fffffffUL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(fspick)
{
#ifdef SYS_fspick
	return rc_fd(syscall(SYS_fspick, -1, NULL, 0x7fffffffUL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(fsconfig)
{
#ifdef SYS_fsconfig
	return rc(syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(fsmount)
{
#ifdef SYS_fsmount
	return rc_fd(syscall(SYS_fsmount, -1, 0x7fffffffUL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(open_tree)
{
#ifdef SYS_open_tree
	return rc_fd(syscall(SYS_open_tree, -1, NULL, 0x7fffffffUL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(move_mount)
{
#ifdef SYS_move_mount
	return rc(syscall(SYS_move_mount, -1, NULL, -1, NULL, 0x7fffffffUL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(mount_setattr)
{
#ifdef SYS_mount_setattr
	return rc(syscall(SYS_mount_setattr, -1, NULL, 0x7fffffffUL, NULL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(keyctl)
{
#ifdef SYS_keyctl
	return rc(syscall(SYS_keyctl, P_KEYCTL_BAD_CMD, 0, 0, 0, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(add_key)
{
#ifdef SYS_add_key
	return rc(syscall(SYS_add_key, NULL, NULL, NULL, 0UL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(request_key)
{
#ifdef SYS_request_key
	return rc(syscall(SYS_request_key, NULL, NULL, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(bpf)
{
	/* Command number no kernel knows. */
#ifdef SYS_bpf
	return rc(syscall(SYS_bpf, 0x7fff, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(perf_event_open)
{
	/* NULL attr: EFAULT when allowed. */
#ifdef SYS_perf_event_open
	return rc_fd(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(userfaultfd)
{
	/* User-mode-only uffd needs no privilege; the fd is closed at once. */
#ifdef SYS_userfaultfd
	return rc_fd(syscall(SYS_userfaultfd, O_CLOEXEC | P_UFFD_USER_MODE_ONLY));
#else
	NOSYS_BUILD;
#endif
}

CHECK(io_uring_setup)
{
#ifdef SYS_io_uring_setup
	return rc_fd(syscall(SYS_io_uring_setup, 0, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(io_uring_enter)
{
#ifdef SYS_io_uring_enter
	return rc(syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(io_uring_register)
{
#ifdef SYS_io_uring_register
	return rc(syscall(SYS_io_uring_register, -1, 0, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(pidfd_getfd)
{
#ifdef SYS_pidfd_getfd
	return rc_fd(syscall(SYS_pidfd_getfd, -1, 0, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(kcmp)
{
#ifdef SYS_kcmp
	long me = (long)getpid();
	return rc(syscall(SYS_kcmp, me, me, P_KCMP_BAD_TYPE, 0UL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(process_vm_readv)
{
	/* Zero-length transfer from ourselves. */
#ifdef SYS_process_vm_readv
	return rc(syscall(SYS_process_vm_readv, (long)getpid(), NULL, 0UL, NULL, 0UL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(process_vm_writev)
{
#ifdef SYS_process_vm_writev
	return rc(syscall(SYS_process_vm_writev, (long)getpid(), NULL, 0UL, NULL, 0UL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(process_madvise)
{
#ifdef SYS_process_madvise
	return rc(syscall(SYS_process_madvise, -1, NULL, 0UL, 0, 0U));
#else
	NOSYS_BUILD;
#endif
}

CHECK(ptrace)
{
	/* PTRACE_PEEKDATA on a pid that cannot exist. */
#ifdef SYS_ptrace
	return rc(syscall(SYS_ptrace, 2L, 0x3fffffffL, NULL, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(kexec_load)
{
#ifdef SYS_kexec_load
	return rc(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x7fff0000UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(kexec_file_load)
{
#ifdef SYS_kexec_file_load
	return rc(syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, 0x7fff0000UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(init_module)
{
#ifdef SYS_init_module
	return rc(syscall(SYS_init_module, NULL, 0UL, ""));
#else
	NOSYS_BUILD;
#endif
}

CHECK(finit_module)
{
#ifdef SYS_finit_module
	return rc(syscall(SYS_finit_module, -1, "", 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(delete_module)
{
	/* O_NONBLOCK: never wait; the module name does not exist. */
#ifdef SYS_delete_module
	return rc(syscall(SYS_delete_module, "oh_probe_no_such_module", O_NONBLOCK));
#else
	NOSYS_BUILD;
#endif
}

CHECK(swapon)
{
#ifdef SYS_swapon
	return rc(syscall(SYS_swapon, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(swapoff)
{
#ifdef SYS_swapoff
	return rc(syscall(SYS_swapoff, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(reboot)
{
	/* Wrong magic numbers: EINVAL even with CAP_SYS_BOOT. */
#ifdef SYS_reboot
	return rc(syscall(SYS_reboot, 0L, 0L, 0L, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(acct)
{
	/* Bad pointer rather than NULL (NULL would switch accounting off). */
#ifdef SYS_acct
	return rc(syscall(SYS_acct, (void *)1));
#else
	NOSYS_BUILD;
#endif
}

CHECK(settimeofday)
{
	/* Out-of-range microseconds: EINVAL before any privilege check. */
#ifdef SYS_settimeofday
	static long tv[2] = { 0, -1 };
	return rc(syscall(SYS_settimeofday, tv, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(clock_settime)
{
#ifdef SYS_clock_settime
	struct timespec ts = { 0, -1 };
	return rc(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
#else
	NOSYS_BUILD;
#endif
}

/* struct timex is 208 bytes on 64-bit and 128 on 32-bit ABIs; "modes" is
 * the first field, and a zero mode only reads the clock state. */
static long timex_buf[32];

CHECK(adjtimex)
{
#ifdef SYS_adjtimex
	memset(timex_buf, 0, sizeof(timex_buf));
	return rc(syscall(SYS_adjtimex, timex_buf));
#else
	NOSYS_BUILD;
#endif
}

CHECK(clock_adjtime)
{
#ifdef SYS_clock_adjtime
	memset(timex_buf, 0, sizeof(timex_buf));
	return rc(syscall(SYS_clock_adjtime, CLOCK_REALTIME, timex_buf));
#else
	NOSYS_BUILD;
#endif
}

CHECK(syslog)
{
	/* Ask for the log buffer size only. */
#ifdef SYS_syslog
	return rc(syscall(SYS_syslog, P_SYSLOG_ACTION_SIZE_BUFFER, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(open_by_handle_at)
{
#ifdef SYS_open_by_handle_at
	return rc_fd(syscall(SYS_open_by_handle_at, -1, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(sethostname)
{
	/* Length beyond the UTS limit. */
#ifdef SYS_sethostname
	return rc(syscall(SYS_sethostname, "x", 100000UL));
#else
	NOSYS_BUILD;
#endif
}

static long socket_rc(long family, long type)
{
#ifdef SYS_socket
	return rc_fd(syscall(SYS_socket, family, type | SOCK_CLOEXEC, 0L));
#else
	(void)family;
	(void)type;
	NOSYS_BUILD;
#endif
}

CHECK(socket_alg) { return (int)socket_rc(P_AF_ALG, SOCK_SEQPACKET); }
CHECK(socket_vsock) { return (int)socket_rc(P_AF_VSOCK, SOCK_STREAM); }

CHECK(socket_vsock_hibits)
{
	/*
	 * The kernel truncates the family argument to int, but seccomp sees
	 * the whole 64-bit register: a rule of the form "family != 40"
	 * accepts 0x1_0000_0028, which the kernel then treats as AF_VSOCK.
	 */
#if defined(SYS_socket) && (__SIZEOF_LONG__ == 8)
	return (int)socket_rc((long)(0x100000000ULL | P_AF_VSOCK), SOCK_STREAM);
#else
	NOSYS_BUILD;
#endif
}

CHECK(socket_packet) { return (int)socket_rc(P_AF_PACKET, SOCK_DGRAM); }

#ifdef SYS_clone
static long raw_clone(unsigned long flags)
{
#if defined(__s390x__) || defined(__s390__)
	return syscall(SYS_clone, 0L, flags, NULL, NULL, 0L);
#else
	return syscall(SYS_clone, flags, 0L, NULL, NULL, 0L);
#endif
}
#endif

static int child_clone_newuser(void)
{
#ifdef SYS_clone
	return reap(raw_clone(P_CLONE_NEWUSER | SIGCHLD));
#else
	NOSYS_BUILD;
#endif
}
CHECK(clone_newuser) { return in_child(child_clone_newuser); }

static int child_clone_newns(void)
{
#ifdef SYS_clone
	return reap(raw_clone(P_CLONE_NEWNS | SIGCHLD));
#else
	NOSYS_BUILD;
#endif
}
CHECK(clone_newns) { return in_child(child_clone_newns); }

CHECK(clone3)
{
	/* NULL args and size 0: EINVAL when the filter lets it through. */
#ifdef SYS_clone3
	return rc(syscall(SYS_clone3, NULL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

static int set_personality(unsigned long v)
{
#ifdef SYS_personality
	return rc(syscall(SYS_personality, v));
#else
	(void)v;
	NOSYS_BUILD;
#endif
}
static int child_pers_compat_layout(void) { return set_personality(0x0200000UL); }
static int child_pers_read_implies_exec(void) { return set_personality(0x0400000UL); }
static int child_pers_no_randomize(void) { return set_personality(0x0040000UL); }
static int child_pers_linux32(void) { return set_personality(0x0008UL); }
CHECK(personality_compat_layout) { return in_child(child_pers_compat_layout); }
CHECK(personality_read_implies_exec) { return in_child(child_pers_read_implies_exec); }
CHECK(personality_no_randomize) { return in_child(child_pers_no_randomize); }
CHECK(personality_linux32) { return in_child(child_pers_linux32); }

/* ------------------------------------------------------------------ */
/* checks for groups that strict.json leaves out                        */

CHECK(execveat)
{
	/* Empty path without AT_EMPTY_PATH: ENOENT, nothing is executed. */
#ifdef SYS_execveat
	static char *const none[] = { NULL };
	return rc(syscall(SYS_execveat, AT_FDCWD, "", none, none, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(shmget)
{
	/* Zero size: EINVAL, no segment is created. */
#ifdef SYS_shmget
	return rc(syscall(SYS_shmget, 0L /* IPC_PRIVATE */, 0UL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(semget)
{
#ifdef SYS_semget
	return rc(syscall(SYS_semget, 0L, -1, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(mq_open)
{
#ifdef SYS_mq_open
	return rc_fd(syscall(SYS_mq_open, NULL, 0, 0, NULL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(io_setup)
{
	/* Zero events: EINVAL. */
#ifdef SYS_io_setup
	static unsigned long ctx;
	return rc(syscall(SYS_io_setup, 0U, &ctx));
#else
	NOSYS_BUILD;
#endif
}

CHECK(vmsplice)
{
#ifdef SYS_vmsplice
	return rc(syscall(SYS_vmsplice, -1, NULL, 0UL, 0U));
#else
	NOSYS_BUILD;
#endif
}

CHECK(name_to_handle_at)
{
#ifdef SYS_name_to_handle_at
	return rc(syscall(SYS_name_to_handle_at, -1, NULL, NULL, NULL, 0));
#else
	NOSYS_BUILD;
#endif
}

CHECK(remap_file_pages)
{
#ifdef SYS_remap_file_pages
	return rc(syscall(SYS_remap_file_pages, NULL, 0UL, 0UL, 0UL, 0UL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(modify_ldt)
{
	/* Read zero bytes of the LDT. */
#ifdef SYS_modify_ldt
	static char ldt[8];
	return rc(syscall(SYS_modify_ldt, 0, ldt, 0UL));
#else
	NOSYS_BUILD;
#endif
}

/* ------------------------------------------------------------------ */
/* controls: these must work under every profile                        */

CHECK(read)
{
	int p[2];
	char c = 'x';
	long r;

	if (syscall(SYS_pipe2, p, O_CLOEXEC) < 0)
		return errno;
	if (write(p[1], &c, 1) != 1) {
		r = -1;
	} else {
		r = syscall(SYS_read, p[0], &c, 1UL);
	}
	int e = r < 0 ? errno : 0;
	close(p[0]);
	close(p[1]);
	return e;
}

CHECK(write)
{
	int p[2];
	long r;

	if (syscall(SYS_pipe2, p, O_CLOEXEC) < 0)
		return errno;
	r = syscall(SYS_write, p[1], "x", 1UL);
	int e = r < 0 ? errno : 0;
	close(p[0]);
	close(p[1]);
	return e;
}

CHECK(openat)
{
	return rc_fd(syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

CHECK(getpid) { return rc(syscall(SYS_getpid)); }

CHECK(clock_gettime)
{
	struct timespec ts;
	return rc(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts));
}

CHECK(nanosleep)
{
	struct timespec ts = { 0, 1000000 };
#ifdef SYS_nanosleep
	return rc(syscall(SYS_nanosleep, &ts, NULL));
#else
	return rc(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL));
#endif
}

CHECK(personality_query)
{
#ifdef SYS_personality
	return rc(syscall(SYS_personality, 0xffffffffUL));
#else
	NOSYS_BUILD;
#endif
}

CHECK(socket_inet) { return (int)socket_rc(AF_INET, SOCK_STREAM); }
CHECK(socket_inet6) { return (int)socket_rc(AF_INET6, SOCK_DGRAM); }
CHECK(socket_unix) { return (int)socket_rc(AF_UNIX, SOCK_STREAM); }
CHECK(socket_netlink) { return (int)socket_rc(P_AF_NETLINK, SOCK_RAW); }

/* socketpair() names its family in a register: only AF_UNIX makes pairs. */
CHECK(socketpair_vsock)
{
	int sv[2];

	if (socketpair(P_AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return errno;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

/*
 * The x32 ABI from the 64-bit probe: x86_64 system call numbers with bit
 * 30 set.  A filter that leaves x32 out, or a kernel without x32, answers
 * ENOSYS or kills; a filter for x32 must still check the family.
 */
static int child_x32_socket_vsock(void)
{
#if defined(__x86_64__)
	long fd = syscall(0x40000000L | 41L /* socket */, (long)P_AF_VSOCK, (long)SOCK_STREAM, 0L);
	if (fd < 0)
		return errno;
	close((int)fd);
	return 0;
#else
	NOSYS_BUILD;
#endif
}
/* In a child: a filter without x32 kills the caller. */
CHECK(x32_socket_vsock) { return in_child(child_x32_socket_vsock); }

CHECK(socketpair)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return errno;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

CHECK(fork)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return 0;
}

/* A bare thread made with clone(2): shares memory, files, signal handlers
 * and the thread group, touches nothing but one flag, then exits. */
static char thread_stack[64 * 1024] __attribute__((aligned(16)));
static volatile int thread_ran;
static volatile pid_t thread_tid;

static int thread_body(void *arg)
{
	(void)arg;
	__atomic_store_n(&thread_ran, 1, __ATOMIC_SEQ_CST);
	return 0;
}

CHECK(clone_thread)
{
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
		    CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
		    CLONE_CHILD_CLEARTID;
	int i;
	long r;

	thread_ran = 0;
	thread_tid = 0;
	r = clone(thread_body, thread_stack + sizeof(thread_stack), flags,
		  NULL, &thread_tid, NULL, &thread_tid);
	if (r < 0)
		return errno;
	/* The kernel zeroes thread_tid and wakes the futex when it exits. */
	for (i = 0; i < 300; i++) {
		pid_t t = __atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST);
		struct timespec ts = { 0, 10000000 };

		if (t == 0)
			break;
		syscall(SYS_futex, &thread_tid, 0 /* FUTEX_WAIT */, t, &ts, NULL, 0);
	}
	if (thread_tid != 0)
		return ETIMEDOUT;
	return thread_ran ? 0 : ECHILD;
}

static void *pthread_body(void *arg)
{
	return arg;
}

CHECK(pthread)
{
	pthread_t t;
	void *ret = NULL;
	int e = pthread_create(&t, NULL, pthread_body, (void *)1);

	if (e != 0)
		return e;
	e = pthread_join(t, &ret);
	if (e != 0)
		return e;
	return ret == (void *)1 ? 0 : ECHILD;
}

/* ------------------------------------------------------------------ */
/* 32-bit x86 compat entry (int $0x80) from the 64-bit probe.           */
/*
 * A filter covers each architecture it lists separately.  These checks
 * show that the i386 side of the filter blocks the same things, including
 * the old socketcall(2) multiplexer whose arguments live in memory where
 * seccomp cannot see them.  Pointers must be below 4 GiB for the compat
 * entry, so only static data is passed (the probe is a static, non-PIE
 * binary).  Each runs in a child: a profile without the i386
 * sub-architecture kills the caller (SIGSYS), reported as "-1 SIGNAL31".
 */
#if defined(__x86_64__)
#define HAVE_IA32 1
static long ia32_call(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}

static int ia32_rc(long r)
{
	return r < 0 && r > -4096 ? (int)-r : 0;
}

static int ia32_rc_fd(long r)
{
	if (r < 0 && r > -4096)
		return (int)-r;
	close((int)r);
	return 0;
}

static int low_address(const void *p)
{
	return (uintptr_t)p < 0xffffffffUL;
}

static unsigned int ia32_sock_args[3];
#endif

static int child_ia32_getpid(void)
{
#ifdef HAVE_IA32
	return ia32_rc(ia32_call(20 /* getpid */, 0, 0, 0));
#else
	NOSYS_BUILD;
#endif
}
CHECK(ia32_getpid) { return in_child(child_ia32_getpid); }

static int ia32_socketcall(unsigned int family, unsigned int type)
{
#ifdef HAVE_IA32
	if (!low_address(ia32_sock_args))
		return NOT_BUILT;
	ia32_sock_args[0] = family;
	ia32_sock_args[1] = type | SOCK_CLOEXEC;
	ia32_sock_args[2] = 0;
	return ia32_rc_fd(ia32_call(102 /* socketcall */, 1 /* SYS_SOCKET */,
				    (long)(uintptr_t)ia32_sock_args, 0));
#else
	(void)family;
	(void)type;
	NOSYS_BUILD;
#endif
}

static int child_ia32_socketcall_vsock(void) { return ia32_socketcall(P_AF_VSOCK, SOCK_STREAM); }
static int child_ia32_socketcall_inet(void) { return ia32_socketcall(AF_INET, SOCK_STREAM); }
CHECK(ia32_socketcall_vsock) { return in_child(child_ia32_socketcall_vsock); }
CHECK(ia32_socketcall_inet) { return in_child(child_ia32_socketcall_inet); }

static int ia32_socket(long family)
{
#ifdef HAVE_IA32
	return ia32_rc_fd(ia32_call(359 /* socket */, family, SOCK_STREAM | SOCK_CLOEXEC, 0));
#else
	(void)family;
	NOSYS_BUILD;
#endif
}
static int child_ia32_socket_vsock(void) { return ia32_socket(P_AF_VSOCK); }
static int child_ia32_socket_inet(void) { return ia32_socket(AF_INET); }
CHECK(ia32_socket_vsock) { return in_child(child_ia32_socket_vsock); }
CHECK(ia32_socket_inet) { return in_child(child_ia32_socket_inet); }

static int child_ia32_unshare(void)
{
#ifdef HAVE_IA32
	return ia32_rc(ia32_call(310 /* unshare */, (long)P_CLONE_NEWUSER, 0, 0));
#else
	NOSYS_BUILD;
#endif
}
CHECK(ia32_unshare) { return in_child(child_ia32_unshare); }

static int child_ia32_keyctl(void)
{
#ifdef HAVE_IA32
	return ia32_rc(ia32_call(288 /* keyctl */, P_KEYCTL_BAD_CMD, 0, 0));
#else
	NOSYS_BUILD;
#endif
}
CHECK(ia32_keyctl) { return in_child(child_ia32_keyctl); }

/* ------------------------------------------------------------------ */
/* table                                                                */

enum kind { DENY, CONTROL, OPTIONAL, COMPAT };

struct check {
	const char *name;
	int (*fn)(void);
	enum kind kind;
};

#define C(n, k) { #n, chk_##n, k },
static const struct check checks[] = {
	/* must be refused by default.json for the default capability set */
	C(unshare, DENY) C(setns, DENY) C(mount, DENY) C(umount2, DENY)
	C(pivot_root, DENY) C(fsopen, DENY) C(fspick, DENY) C(fsconfig, DENY)
	C(fsmount, DENY) C(open_tree, DENY) C(move_mount, DENY)
	C(mount_setattr, DENY) C(keyctl, DENY) C(add_key, DENY)
	C(request_key, DENY) C(bpf, DENY) C(perf_event_open, DENY)
	C(userfaultfd, DENY) C(io_uring_setup, DENY) C(io_uring_enter, DENY)
	C(io_uring_register, DENY) C(pidfd_getfd, DENY) C(kcmp, DENY)
	C(process_vm_readv, DENY) C(process_vm_writev, DENY)
	C(process_madvise, DENY) C(ptrace, DENY) C(kexec_load, DENY)
	C(kexec_file_load, DENY) C(init_module, DENY) C(finit_module, DENY)
	C(delete_module, DENY) C(swapon, DENY) C(swapoff, DENY)
	C(reboot, DENY) C(acct, DENY) C(settimeofday, DENY)
	C(clock_settime, DENY) C(socketpair_vsock, DENY) C(x32_socket_vsock, DENY)
	C(syslog, DENY) C(open_by_handle_at, DENY) C(sethostname, DENY)
	C(socket_alg, DENY) C(socket_vsock, DENY) C(socket_vsock_hibits, DENY)
	C(socket_packet, DENY) C(clone_newuser, DENY) C(clone_newns, DENY)
	C(clone3, DENY) C(personality_compat_layout, DENY)
	C(personality_read_implies_exec, DENY)
	C(personality_no_randomize, DENY)
	/* allowed by default.json, left out of strict.json */
	C(personality_linux32, OPTIONAL) C(execveat, OPTIONAL)
	C(shmget, OPTIONAL) C(semget, OPTIONAL) C(mq_open, OPTIONAL)
	C(io_setup, OPTIONAL) C(vmsplice, OPTIONAL)
	C(name_to_handle_at, OPTIONAL) C(remap_file_pages, OPTIONAL)
	C(modify_ldt, OPTIONAL) C(adjtimex, OPTIONAL) C(clock_adjtime, OPTIONAL)
	/* must keep working everywhere */
	C(read, CONTROL) C(write, CONTROL) C(openat, CONTROL)
	C(getpid, CONTROL) C(clock_gettime, CONTROL) C(nanosleep, CONTROL)
	C(personality_query, CONTROL) C(socket_inet, CONTROL)
	C(socket_inet6, CONTROL) C(socket_unix, CONTROL)
	C(socket_netlink, CONTROL) C(socketpair, CONTROL) C(fork, CONTROL)
	C(clone_thread, CONTROL) C(pthread, CONTROL)
	/* 32-bit x86 compat entry */
	C(ia32_getpid, COMPAT) C(ia32_socket_inet, COMPAT)
	C(ia32_socketcall_inet, COMPAT) C(ia32_socket_vsock, COMPAT)
	C(ia32_socketcall_vsock, COMPAT) C(ia32_unshare, COMPAT)
	C(ia32_keyctl, COMPAT)
};
#undef C

static const char *kind_name(enum kind k)
{
	switch (k) {
	case DENY:
		return "deny";
	case CONTROL:
		return "control";
	case OPTIONAL:
		return "optional";
	case COMPAT:
		return "compat";
	}
	return "?";
}

static void run(const struct check *c)
{
	int r;

	watchdog_fired = 0;
	alarm(WATCHDOG_SECONDS);
	errno = 0;
	r = c->fn();
	alarm(0);
	if (watchdog_fired && r == EINTR)
		r = ETIMEDOUT;
	if (r == 0)
		printf("%s 0\n", c->name);
	else if (r == NOT_BUILT)
		printf("%s -1 NOTBUILT\n", c->name);
	else if (r >= 1000)
		printf("%s -1 SIGNAL%d\n", c->name, r - 1000);
	else
		printf("%s %d %s\n", c->name, r, errno_name(r));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const size_t n = sizeof(checks) / sizeof(checks[0]);
	struct sigaction sa;
	size_t i;
	int a, status = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: blocked calls see EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < n; i++)
			printf("%s %s\n", checks[i].name, kind_name(checks[i].kind));
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: %s [--list | NAME...]\n", argv[0]);
		return 0;
	}
	if (argc < 2) {
		for (i = 0; i < n; i++)
			run(&checks[i]);
		return 0;
	}
	for (a = 1; a < argc; a++) {
		for (i = 0; i < n; i++) {
			if (strcmp(argv[a], checks[i].name) == 0) {
				run(&checks[i]);
				break;
			}
		}
		if (i == n) {
			printf("%s -1 NOCHECK\n", argv[a]);
			status = 2;
		}
	}
	return status;
}
