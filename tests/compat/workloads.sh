#!/bin/bash
# Workload compatibility: real services and tools from Debian 12 packages
# (nginx, PostgreSQL, MariaDB, Redis, Python, Node.js, Java, gcc, git,
# OpenSSH, strace, sqlite, perl, a clock query) each do real work under runc
# with the config `oci-harden fix` writes, with podman's default
# capabilities, under each bundled profile.  Prints a table, workload x
# profile: "pass", or "FAIL" and the calls the profile refused.
#
#   OCI_HARDEN=build/oci-harden tests/compat/workloads.sh [PROFILE...]
#
# PROFILE is default, strict, or NAME=POLICY-FILE (default: default strict,
# and default with the debug group).  The rootfs is built once with
# debootstrap (a few minutes, about 1.7 GB) into $OH_WORKLOADS_ROOTFS
# (default /var/tmp/oh-workloads).  Each workload runs in a container of
# its own whose root is read-only, with tmpfs where it writes.  A failure is
# explained by running it again under the same profile with every refusal
# turned into SCMP_ACT_LOG, and reading the kernel's audit records.
#
# Exit status: 0 when every workload passes where the table below expects
# it to, 1 otherwise, 77 skipped (not root, no runc, no rootfs and no way
# to build one).  OH_WORKLOADS=LIST runs only those workloads.
set -euo pipefail

SKIP=77
ROOTFS=${OH_WORKLOADS_ROOTFS:-/var/tmp/oh-workloads}
OCI_HARDEN=${OCI_HARDEN:?set OCI_HARDEN to the oci-harden binary}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PACKAGES=nginx-light,postgresql,redis-server,python3,nodejs,openjdk-17-jre-headless,gcc,libc6-dev,git,openssh-server,strace,mariadb-server,sqlite3,perl,procps,busybox

skip() {
	echo "SKIP: $*"
	exit $SKIP
}

[ "$(id -u)" = 0 ] || skip "needs root for runc and debootstrap"
command -v runc >/dev/null || skip "runc is not installed"
command -v jq >/dev/null || skip "jq is not installed"

if [ ! -x "$ROOTFS/usr/sbin/nginx" ] || [ ! -x "$ROOTFS/usr/bin/java" ]; then
	command -v debootstrap >/dev/null || skip "no rootfs at $ROOTFS and debootstrap is not installed"
	echo "building $ROOTFS with debootstrap (a few minutes)"
	tmp="$ROOTFS.tmp.$$"
	rm -rf "$tmp"
	if ! debootstrap --variant=minbase --include="$PACKAGES" bookworm "$tmp" \
		${OH_DEBIAN_MIRROR:-} >"$tmp.log" 2>&1; then
		tail -5 "$tmp.log" || true
		rm -rf "$tmp" "$tmp.log"
		skip "debootstrap could not build the workload rootfs (no network or mirror?)"
	fi
	rm -f "$tmp.log"
	if [ -e "$ROOTFS" ]; then rm -rf "$tmp"; else mv "$tmp" "$ROOTFS"; fi
fi

W=$(mktemp -d /var/tmp/oh-workloads-run.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/share"

# The Java workload: a thread pool, compiled on the host when it has javac
# (the rootfs has only the JRE).
if command -v javac >/dev/null; then
	cat >"$W/share/Pool.java" <<'EOF'
import java.util.concurrent.*;
public class Pool {
	public static void main(String[] a) throws Exception {
		ExecutorService p = Executors.newFixedThreadPool(4);
		java.util.List<Future<Long>> f = new java.util.ArrayList<>();
		for (int i = 0; i < 16; i++) { final long n = i; f.add(p.submit(() -> n * n)); }
		long s = 0; for (Future<Long> x : f) s += x.get();
		p.shutdown();
		System.out.println(s == 1240 ? "pool ok" : "pool wrong " + s);
	}
}
EOF
	javac --release 17 -d "$W/share" "$W/share/Pool.java" 2>/dev/null || rm -f "$W/share/Pool.class"
fi

# Each workload is a shell snippet run as root in the container; it ends
# with exit 0 only when the work was really done.
declare -A RUN
RUN[nginx]='mkdir -p /tmp/www /tmp/nginx /var/log/nginx && echo served >/tmp/www/index.html &&
cat >/tmp/nginx.conf <<E
worker_processes 2; pid /tmp/nginx.pid; error_log stderr;
events {}
http { access_log off; client_body_temp_path /tmp/nginx; proxy_temp_path /tmp/nginx;
  fastcgi_temp_path /tmp/nginx; uwsgi_temp_path /tmp/nginx; scgi_temp_path /tmp/nginx;
  server { listen 127.0.0.1:8080; root /tmp/www; } }
E
nginx -c /tmp/nginx.conf && sleep 0.5 && [ "$(busybox wget -qO- http://127.0.0.1:8080/)" = served ]'
RUN[postgres]='chown postgres /tmp && runuser -u postgres -- sh -c "
/usr/lib/postgresql/15/bin/initdb -D /tmp/pg >/dev/null &&
/usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pg -o \"-k /tmp -c listen_addresses=127.0.0.1\" -w -l /tmp/pg.log start >/dev/null &&
[ \"\$(psql -h 127.0.0.1 -d postgres -tAc \"select 6*7\")\" = 42 ] &&
psql -h /tmp -d postgres -tAc \"create table t(x int); insert into t select generate_series(1,1000); select count(*) from t\" | grep -qx 1000"'
RUN[mariadb]='mkdir -p /tmp/my && chown mysql /tmp/my &&
mariadb-install-db --user=mysql --datadir=/tmp/my --auth-root-authentication-method=normal >/dev/null 2>&1 &&
(mariadbd --user=mysql --datadir=/tmp/my --socket=/tmp/my.sock --skip-networking --pid-file=/tmp/my.pid >/tmp/my.log 2>&1 &) &&
for i in $(seq 100); do [ -S /tmp/my.sock ] && break; sleep 0.1; done &&
[ "$(mariadb -S /tmp/my.sock -N -e "select 6*7")" = 42 ]'
RUN[redis]='redis-server --port 6380 --bind 127.0.0.1 --dir /tmp --daemonize yes >/dev/null &&
for i in $(seq 50); do redis-cli -p 6380 ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done &&
redis-cli -p 6380 set k v >/dev/null && [ "$(redis-cli -p 6380 get k)" = v ]'
RUN[python]='python3 - <<E
import http.server, threading, urllib.request, concurrent.futures
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"hi")
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 8081), H)
threading.Thread(target=s.serve_forever, daemon=True).start()
with concurrent.futures.ThreadPoolExecutor(4) as ex:
    r = list(ex.map(lambda _: urllib.request.urlopen("http://127.0.0.1:8081/").read(), range(8)))
assert r == [b"hi"] * 8
E'
RUN[node]='node -e "
const http = require(\"http\");
const s = http.createServer((q, r) => r.end(\"hi\")).listen(8082, \"127.0.0.1\", () =>
  http.get(\"http://127.0.0.1:8082/\", r => { let b = \"\"; r.on(\"data\", d => b += d);
    r.on(\"end\", () => { s.close(); process.exit(b === \"hi\" ? 0 : 1); }); }));"'
RUN[java]='if [ -f /share/Pool.class ]; then [ "$(java -cp /share Pool)" = "pool ok" ]; else java -version 2>&1 | grep -q 17; fi'
RUN[gcc]='cat >/tmp/t.c <<E
#include <pthread.h>
#include <stdio.h>
static void *f(void *a) { return a; }
int main(void) { pthread_t t; void *r; pthread_create(&t, 0, f, (void *)42); pthread_join(t, &r); printf("%ld\n", (long)r); return 0; }
E
gcc -O2 -pthread -o /tmp/t /tmp/t.c && [ "$(/tmp/t)" = 42 ]'
RUN[git]='cd /tmp && git init -q r && cd r && git config user.email a@b && git config user.name a &&
echo x >f && git add f && git commit -qm one && [ "$(git log --format=%s)" = one ]'
RUN[sshd]='mkdir -p /run/sshd && ssh-keygen -q -t ed25519 -N "" -f /tmp/hostkey &&
/usr/sbin/sshd -f /dev/null -h /tmp/hostkey -p 2222 -o ListenAddress=127.0.0.1 -o PidFile=/tmp/sshd.pid &&
sleep 0.3 && ssh-keyscan -p 2222 127.0.0.1 2>/dev/null | grep -q ssh-ed25519'
RUN[strace]='strace -f -o /tmp/trace true && grep -q execve /tmp/trace'
RUN[sqlite]='[ "$(sqlite3 /tmp/db "create table t(x); insert into t values(42); select x from t;")" = 42 ]'
RUN[perl]='perl -e "use threads; my \$t = threads->create(sub { 6*7 }); exit(\$t->join == 42 ? 0 : 1)" 2>/dev/null ||
[ "$(perl -e "print 6*7")" = 42 ]'
RUN[clock]='busybox adjtimex >/dev/null'
ORDER="nginx postgres mariadb redis python node java gcc git sshd strace sqlite perl clock"
[ -n "${OH_WORKLOADS:-}" ] && ORDER=$OH_WORKLOADS

# What is expected not to pass, and why (the README's table says the same).
expected_failure() {   # WORKLOAD PROFILE
	case "$1:$2" in
	strace:default | strace:strict) echo "ptrace is refused: turn on the debug group" ;;
	clock:strict) echo "strict refuses adjtimex" ;;
	*) return 1 ;;
	esac
}

# The config: `runc spec` with podman's default capabilities, fixed with the
# profile; then the test's own plumbing (the loopback interface is brought
# up from the host by a createRuntime hook, tmpfs where services write).
make_config() {   # DIR PROFILE-ARGS...
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && runc spec)
	jq --arg root "$ROOTFS" --slurpfile p "$SRC/tests/fixtures/podman/default.json" '
		.root = {path: $root, readonly: true} | .process.terminal = false
		| .process.capabilities = $p[0].process.capabilities
		| .process.env += ["HOME=/tmp", "LANG=C.UTF-8"]' "$dir/config.json" >"$dir/c"
	mv "$dir/c" "$dir/config.json"
	"$OCI_HARDEN" fix --no-rootfs-scan --in-place "$@" "$dir" 2>/dev/null
	jq --arg share "$W/share" '
		.mounts += [
			{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777"]},
			{destination: "/run", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=755"]},
			{destination: "/var/lib/nginx", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]},
			{destination: "/var/log", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]},
			{destination: "/share", type: "bind", source: $share, options: ["rbind", "ro"]}]
		| .hooks = {createRuntime: [{path: "/bin/sh", args: ["sh", "-c",
			"nsenter -t \"$(jq .pid)\" -n ip link set lo up"]}]}' "$dir/config.json" >"$dir/c"
	mv "$dir/c" "$dir/config.json"
}

run_one() {   # DIR WORKLOAD -> status
	local id="oh-wl-$$-$RANDOM" rc=0
	mkdir -p "$1/b"
	jq --arg cmd "${RUN[$2]}" '.process.args = ["/bin/sh", "-c", $cmd]' \
		"$1/config.json" >"$1/b/config.json"
	timeout 120 runc run --bundle "$1/b" "$id" >"$1/out" 2>&1 </dev/null || rc=$?
	runc delete -f "$id" >/dev/null 2>&1 || true
	return $rc
}

# The calls the profile refused: the same run with every refusal logged
# instead, named from the kernel's audit records for that container.
refused_calls() {   # DIR WORKLOAD
	local dir=$1 id="oh-wl-log-$$-$RANDOM" from pids
	jq '.linux.seccomp.defaultAction = "SCMP_ACT_LOG" | del(.linux.seccomp.defaultErrnoRet)
		| .linux.seccomp.syscalls |= map(if .action != "SCMP_ACT_ALLOW"
			then .action = "SCMP_ACT_LOG" | del(.errnoRet) else . end)' \
		"$dir/b/config.json" >"$dir/b/c" && mv "$dir/b/c" "$dir/b/config.json"
	from=$(dmesg | wc -l)
	timeout 120 runc run --bundle "$dir/b" "$id" >/dev/null 2>&1 </dev/null || true
	runc delete -f "$id" >/dev/null 2>&1 || true
	dmesg | tail -n +"$((from + 1))" | sed -n 's/.*type=1326.*exe="\([^"]*\)".*arch=c000003e syscall=\([0-9]*\) .*/\2/p' |
		sort -un | while read -r nr; do
			sed -n "s/^#define __NR_\([a-z0-9_]*\) $nr\$/\1/p" /usr/include/x86_64-linux-gnu/asm/unistd_64.h
		done | sort -u | tr '\n' ' '
}

PROFILES=("$@")
if [ ${#PROFILES[@]} -eq 0 ]; then
	echo '{"version": 1, "seccomp": {"groups": ["debug"]}}' >"$W/debug.json"
	PROFILES=(default strict "default+debug=$W/debug.json")
fi

declare -A RESULT
bad=0
for prof in "${PROFILES[@]}"; do
	name=${prof%%=*}
	args=()
	case "$prof" in
	*=*) args=(--policy "${prof#*=}") ;;
	*) args=(--seccomp-profile "$prof") ;;
	esac
	dir="$W/$name"
	make_config "$dir" "${args[@]}"
	for wl in $ORDER; do
		if run_one "$dir" "$wl"; then
			RESULT[$wl:$name]=pass
			if why=$(expected_failure "$wl" "$name"); then
				echo "note: $wl passed under $name, expected to fail ($why)"
			fi
		else
			calls=$(refused_calls "$dir" "$wl")
			RESULT[$wl:$name]="FAIL (refused: ${calls:-none seen})"
			if ! expected_failure "$wl" "$name" >/dev/null; then
				bad=1
				echo "--- $wl under $name failed:"
				tail -5 "$dir/out"
			fi
		fi
	done
done

printf '| workload |'
for prof in "${PROFILES[@]}"; do printf ' %s |' "${prof%%=*}"; done
printf '\n|---|'
for prof in "${PROFILES[@]}"; do printf -- '---|'; done
printf '\n'
for wl in $ORDER; do
	printf '| %s |' "$wl"
	for prof in "${PROFILES[@]}"; do printf ' %s |' "${RESULT[$wl:${prof%%=*}]}"; done
	printf '\n'
done
exit $bad
