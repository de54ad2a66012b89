#!/bin/sh
# The layers of hook/ and what each may use: a module may include headers
# of its own layer and of the layers below, never above.  Every module must
# be in the table (README: Architecture).  Exit 1 on a violation.
set -eu
src=${1:-$(dirname "$0")/../../hook}

layer_of() {
	case "$1" in
	error | util | siphash | dedup | deadline | scload) echo 0 ;;
	json | caps | host | hostmount | paths | ruleid | builtin | version | scmodel | runtime_args | runtime_log) echo 1 ;;
	spec | procview | bpf | bpfeval | seccomp | ohseccomp | scstrength | scgroups | state | toml | confedit) echo 2 ;;
	rootfs | inspect | learn | denials | hostscan | host_net | host_sys | host_runtime | host_engine | rtdialect) echo 3 ;;
	rules | policy | check | checks_config | checks_sidedoors | checks_mountkinds | checks_hooks | checks_kernel | checks_rootfs | mounted | checks_mounted) echo 4 ;;
	pipeline | outcome | audit | report | sarif_rules | setup | exec_clamp | host_judge | verify) echo 5 ;;
	cli | main | runtime | cmd_*) echo 6 ;;
	*) echo unknown ;;
	esac
}

bad=0
for f in "$src"/*.c "$src"/*.h; do
	m=$(basename "$f" | sed 's/\.[ch]$//')
	lm=$(layer_of "$m")
	if [ "$lm" = unknown ]; then
		echo "layers: $m is in no layer (add it to tests/tools/layers.sh and the README)"
		bad=1
		continue
	fi
	for h in $(sed -n 's/^#include "\([a-z_0-9]*\)\.h"$/\1/p' "$f"); do
		lh=$(layer_of "$h")
		if [ "$lh" = unknown ] || [ "$lh" -gt "$lm" ]; then
			echo "layers: $(basename "$f") (layer $lm) includes $h.h (layer $lh)"
			bad=1
		fi
	done
done
[ "$bad" = 0 ] && echo "layers: every include goes down or sideways"
exit "$bad"
