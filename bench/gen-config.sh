#!/bin/sh
# gen-config.sh BASE.json BYTES OUT.json
#
# Grows a real config to about BYTES bytes with what large configs carry:
# environment entries, bind mounts and annotations, a third of the growth
# each.  Compact JSON, as podman hands a config to a precreate hook.
set -eu
base=$1 size=$2 out=$3

have=$(jq -c . "$base" | wc -c)
grow=$((size > have ? size - have : 0))
# Bytes one entry of each kind adds to the compact document (comma included).
env_b=$(jq -nc '"BENCH_VAR_0000000=/opt/bench/value/0000000/with/some/path/segments"' | wc -c)
mnt_b=$(jq -nc '{destination:"/mnt/bench/0000000",type:"bind",source:"/var/lib/bench/volumes/0000000/_data",options:["rbind","ro","nosuid","nodev"]}' | wc -c)
ann_b=$(jq -nc '{"io.bench.annotation.0000000":"value-0000000-of-a-bench-annotation"}' | wc -c)
n_env=$((grow / 3 / env_b))
n_mnt=$((grow / 3 / (mnt_b)))
n_ann=$((grow / 3 / (ann_b - 1)))

jq -c --argjson ne "$n_env" --argjson nm "$n_mnt" --argjson na "$n_ann" '
  def pad: tostring | ("0000000" + .)[-7:];
  .process.env += [range($ne) | pad | "BENCH_VAR_\(.)=/opt/bench/value/\(.)/with/some/path/segments"]
  | .mounts += [range($nm) | pad | {destination: "/mnt/bench/\(.)", type: "bind",
      source: "/var/lib/bench/volumes/\(.)/_data", options: ["rbind", "ro", "nosuid", "nodev"]}]
  | .annotations += ([range($na) | pad | {key: "io.bench.annotation.\(.)",
      value: "value-\(.)-of-a-bench-annotation"}] | from_entries)
' "$base" >"$out"
