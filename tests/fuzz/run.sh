#!/bin/bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in their own build
# directory and fuzzes each for its share of one time budget; exits non-zero
# on any finding (crash, sanitizer report, leak, failed property, timeout,
# memory limit) of any target.
#
#   tests/fuzz/run.sh [SECONDS]      default 60, shared by all the targets;
#                                    OH_FUZZ_BUILD sets the build dir
#
# The targets and their weights in the budget: OH_FUZZ_TARGETS, default
# "config:3 state:1 args:1 denials:1 mountopts:1" (fuzz_config: configs and profiles
# through everything oci-harden does with them; fuzz_state: the hook
# stages' container state; fuzz_args: the runtime wrapper's command line;
# fuzz_denials: kernel log lines as profile denials reads them;
# fuzz_mountopts: an overlay's options and mountinfo lines).
# The budget is split by weight, each target gets at least a second, so
# the whole run takes about SECONDS, however many targets there are.
#
# Each target's corpus grows in $OH_FUZZ_BUILD/corpus-NAME (corpus for
# config) and is kept between local runs; the seeds are the captured configs
# and the bundled seccomp profiles, and for the state a few states as
# runtimes write them.  A finding is written to $OH_FUZZ_BUILD/artifacts/;
# replay it with
#   $OH_FUZZ_BUILD/fuzz_NAME ARTIFACT
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
build=${OH_FUZZ_BUILD:-build-fuzz}
targets=${OH_FUZZ_TARGETS:-config:3 state:1 args:1 denials:1 mountopts:1}

names=() weights=() total=0
for t in $targets; do
	names+=("${t%%:*}")
	w=${t#*:}
	[ "$w" != "$t" ] || w=1
	weights+=("$w")
	total=$((total + w))
done

CC=clang cmake -S . -B "$build" -DOH_FUZZ=ON -DOH_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DOH_WERROR=ON >/dev/null
build_args=()
for name in "${names[@]}"; do
	build_args+=(--target "fuzz_$name")
done
cmake --build "$build" "${build_args[@]}" -j"$(nproc)" >/dev/null

# seeds NAME: fills $build/seeds-NAME (unique names: podman/default.json
# and the default profile would collide).
seeds() {
	local dir=$build/seeds-$1 f
	rm -rf "$dir"
	mkdir -p "$dir"
	for f in tests/fixtures/*/*.json seccomp-profiles/*.json; do
		cp "$f" "$dir/$(printf '%s' "$f" | tr / _)"
	done
	if [ "$1" = args ]; then
		rm -f "$dir"/*
		# a dialect byte, then NUL-separated arguments as engines pass them
		printf '\0--root\0/run/docker/runtime-runc/moby\0--log\0/run/x/log.json\0--log-format\0json\0create\0--bundle\0/b\0--pid-file\0/p\0id' >"$dir/runc-create"
		printf '\0-root\0/r\0exec\0-cap\0CAP_SYS_ADMIN\0--process=/p.json\0-d\0id' >"$dir/runc-exec"
		printf '\1--cgroup-manager\0cgroupfs\0exec\0-dp\0/p.json\0id\0sh' >"$dir/crun-exec"
		printf '\0restore\0--bundle=/b\0--image-path\0/i\0id' >"$dir/runc-restore"
	fi
	if [ "$1" = denials ]; then
		rm -f "$dir"/*
		printf '%s\n' '6,18683,10195800790,-;audit: type=1326 audit(1796125374.713:18683): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1374 comm="rawcall" exe="/bin/rawcall" sig=0 arch=c000003e syscall=250 compat=0 ip=0x439419 code=0x50000' >"$dir/kmsg"
		printf '%s\n' 'type=SECCOMP msg=audit(1700000000.123:456): auid=1000 uid=0 gid=0 ses=3 pid=42 comm=6120622063 exe="/usr/bin/unshare" sig=0 arch=c000003e syscall=272 compat=0 ip=0x7f code=0x7ffc0000' >"$dir/audit.log"
	fi
	if [ "$1" = mountopts ]; then
		rm -f "$dir"/*
		# a byte (1: as the kernel shows them), then options or a mountinfo line
		printf '\1rw,lowerdir=/tmp/l\\134\\0541:/tmp/l\\134:2::/tmp/d,upperdir=/u,workdir=/w,uuid=on' >"$dir/shown"
		printf '\0lowerdir+=/a\\:b,datadir+=/d,upperdir=/u\\,x' >"$dir/config"
		printf '\1%s' '48 27 0:40 / /tmp/m\0402 rw,relatime shared:1 - overlay overlay ro,lowerdir=/l' >"$dir/mountinfo"
	fi
	if [ "$1" = state ]; then
		printf '%s' '{"ociVersion":"1.0.2","id":"oh-fuzz","status":"creating","pid":4242,"bundle":"/run/containers/storage/overlay-containers/x/userdata","annotations":{"io.container.manager":"libpod","io.podman.annotations.autoremove":"TRUE"}}' >"$dir/state-podman.json"
		printf '%s' '{"ociVersion":"1.0.2","id":"a","status":"created","pid":1,"bundle":"/b"}' >"$dir/state-runc.json"
		printf '%s' '{"ociVersion":"1.0.2","id":"a","status":"creating","bundle":"/b","annotations":{}}' >"$dir/state-nopid.json"
	fi
}

status=0
summary=()
for i in "${!names[@]}"; do
	name=${names[$i]}
	# The last target takes what the shares before it left (rounding).
	if [ "$i" -eq $((${#names[@]} - 1)) ]; then
		share=$((secs - ${used:-0}))
	else
		share=$((secs * ${weights[$i]} / total))
	fi
	[ "$share" -ge 1 ] || share=1
	used=$((${used:-0} + share))
	corpus=$build/corpus-$name
	[ "$name" != config ] || corpus=$build/corpus
	dict=tests/fuzz/$name.dict
	[ -f "$dict" ] || dict=
	seeds "$name"
	mkdir -p "$corpus" "$build/artifacts"
	log=$build/fuzz-$name.log
	rc=0
	# -timeout: one input taking seconds is a finding (quadratic paths); the
	# biggest seed takes milliseconds.  Sanitizer options make a report fatal
	# and keep leak checking on, as in the ASan test build.
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$build/fuzz_$name" -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 ${dict:+-dict=$dict} -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/" \
		"$corpus" "$build/seeds-$name" >"$log" 2>&1 || rc=$?
	runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
	n=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -ne 0 ]; then
		tail -n 60 "$log" >&2
		echo "fuzz: fuzz_$name: FINDING after ${runs:-?} executions (exit $rc); see $log and $build/artifacts/" >&2
		status=1
	fi
	summary+=("fuzz_$name ${share}s: ${runs:-?} executions, corpus $n inputs")
done
[ "$status" = 0 ] || exit 1
echo "fuzz: no finding in ${secs}s: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"
