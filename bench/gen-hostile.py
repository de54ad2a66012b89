#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen-hostile.py SHAPE BYTES OUT [BASE.json]

Grows a real config (BASE, default tests/fixtures/podman/default.json) to
about BYTES bytes of compact JSON in one of the shapes an attacker would
pick to make the parser or the rules slow, or in the ordinary shape the
others are compared with (the same config with one big environment value).

  ordinary       one environment entry of BYTES bytes
  many-keys      distinct keys in an object nothing reads ("x-keys")
  prefix-keys    annotation keys sharing a 200-byte prefix
  fnv-keys       annotation keys whose 64-bit FNV-1a hashes (of the case-folded
                 key, the old duplicate-key table's hash) agree in the low 24
                 bits: every key lands in one slot of that table
  fold-keys      annotation keys with non-ASCII letters (case folding through
                 the locale on every rune)
  annotations    distinct annotations with values
  caps           distinct unknown capability names in process.capabilities
                 (all five sets)
  caps-known     the known names repeated in every set
  seccomp-rules  seccomp rules, one real syscall name each, cycling
  seccomp-names  one seccomp rule with many names (real and unknown)
  seccomp-args   seccomp rules with six argument conditions each
  mounts         bind mounts with options
  env            distinct environment entries
  env-dup        environment entries that all set the same variable
  nesting        arrays nested to the depth limit (64) around a string, repeated
  long-key       one annotation whose key is BYTES long
  escapes        one environment value of \\u escapes and \\n
  numbers        an array of small numbers (the most values per byte)
  typical        the second yardstick: the members a large real config grows
                 by, in their real sizes (see typical() below): environment
                 entries (60 % of the added bytes), annotations (25 %), bind
                 mounts (15 %), and a user namespace with one uid and one gid
                 mapping

The output is deterministic for a given SHAPE and BYTES.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BASE = os.path.join(HERE, "..", "tests", "fixtures", "podman", "default.json")

FNV_OFFSET = 1469598103934665603
FNV_PRIME = 1099511628211


def fnv_block(state, s, mask):
    for ch in s.encode():
        state = ((state ^ ch) * FNV_PRIME) & mask
    return state


# Bytes a key may hold without an escape and that case folding leaves alone
# (an upper-case letter would make two keys fold alike).
BLOCK_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._~!#$%&'()*+,/:;<=>?@[]^`{|}"


def fnv_pairs(count, bits=24):
    """count pairs of 4-byte blocks (a_i, b_i): from the FNV-1a state the
    blocks before leave (mod 2^bits), a_i and b_i lead to the same state.
    Only low bits matter: the low bits of a product depend only on the low
    bits of its factors, so any choice of a_i or b_i at each position gives
    keys whose hashes agree in the low bits."""
    mask = (1 << bits) - 1
    state = FNV_OFFSET & mask
    pairs = []
    letters, n = BLOCK_CHARS, 0
    for _ in range(count):
        seen = {}
        while True:
            # a deterministic walk through the blocks
            x, block = n, []
            n += 1
            for _ in range(4):
                block.append(letters[x % len(letters)])
                x //= len(letters)
            b = "".join(block)
            h = fnv_block(state, b, mask)
            if h in seen and seen[h] != b:
                pairs.append((seen[h], b))
                state = h
                break
            seen[h] = b
    return pairs


def fnv_keys(n):
    bits = max(1, (n - 1).bit_length())
    pairs = fnv_pairs(bits)
    for i in range(n):
        yield "".join(p[(i >> k) & 1] for k, p in enumerate(pairs))


SYSCALLS = ("read write open close stat fstat lstat poll lseek mmap mprotect munmap "
            "brk ioctl pread64 pwrite64 readv writev access pipe select sched_yield "
            "mremap msync mincore madvise dup dup2 pause nanosleep getitimer alarm "
            "setitimer getpid sendfile socket connect accept sendto recvfrom").split()


def fill(limit, item, sep=1):
    """Items item(i) until their bytes (plus separators) reach limit."""
    out, total, i = [], 0, 0
    while total < limit:
        it = item(i)
        out.append(it)
        total += len(json.dumps(it, separators=(",", ":"), ensure_ascii=False).encode()) + sep
        i += 1
    return out


def fill_keys(limit, key, value):
    out, total, i = {}, 0, 0
    while total < limit:
        k, v = key(i), value(i)
        out[k] = v
        total += len(json.dumps(k, ensure_ascii=False).encode()) + len(json.dumps(v)) + 2
        i += 1
    return out


def nested(depth, inner):
    v = inner
    for _ in range(depth):
        v = [v]
    return v


# Service names for the typical shape's environment.
WORDS = ("payments orders users billing search catalog checkout inventory auth "
         "gateway ledger notify report session shipping cart pricing media").split()


def typical(cfg, grow):
    """Grows cfg by about grow bytes the way a large real config grows.

    The proportions, by bytes added: environment 60 %, annotations 25 %, bind
    mounts 15 %.  The environment is what grows without bound in practice:
    Kubernetes gives every container seven variables per service of its
    namespace ({SVC}_SERVICE_HOST, _SERVICE_PORT, _PORT, _PORT_{P}_TCP,
    _PROTO, _PORT, _ADDR: 20-45 bytes each, a few hundred bytes a service),
    next to the application's own settings (NAME_123=a value of 30-60
    bytes).  Annotations come next: CRI-O and podman copy the pod's and the
    image's (keys of 30-60 bytes under a domain, values of 30-60 bytes:
    hashes, names, small JSON).  Bind mounts are the volumes (kubelet's
    configmaps, secrets and projected tokens, podman's named volumes): a few
    hundred bytes each, with the options engines write.  A user namespace
    with one uid and one gid mapping (podman --userns=auto) is added whole.
    Every entry is distinct and valid."""
    proc = cfg.setdefault("process", {})
    ann = cfg.setdefault("annotations", {})
    lin = cfg.setdefault("linux", {})
    lin.setdefault("namespaces", []).append({"type": "user"})
    lin["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    lin["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]

    def env(i):
        svc, k = divmod(i, 10)
        name = "%s_%s_%d" % (WORDS[svc % len(WORDS)].upper(), "SVC", svc)
        ip = "10.96.%d.%d" % (svc // 250 % 250, svc % 250 + 1)
        port = 8000 + svc % 1000
        if k == 0:
            return "%s_SERVICE_HOST=%s" % (name, ip)
        if k == 1:
            return "%s_SERVICE_PORT=%d" % (name, port)
        if k == 2:
            return "%s_PORT=tcp://%s:%d" % (name, ip, port)
        if k == 3:
            return "%s_PORT_%d_TCP=tcp://%s:%d" % (name, port, ip, port)
        if k == 4:
            return "%s_PORT_%d_TCP_PROTO=tcp" % (name, port)
        if k == 5:
            return "%s_PORT_%d_TCP_PORT=%d" % (name, port, port)
        if k == 6:
            return "%s_PORT_%d_TCP_ADDR=%s" % (name, port, ip)
        # the application's own settings: values of 30-60 bytes
        val = ("value-%d-" % i) + "abcdefghijklmnopqrstuvwxyz0123456789/._-" * 2
        return "APP_SETTING_%d=%s" % (i, val[:30 + (i * 7) % 31])

    def ann_key(i):
        dom = ("io.kubernetes.cri-o", "app.kubernetes.io", "sidecar.istio.io",
               "prometheus.io", "io.podman.annotations")[i % 5]
        key = "%s/%s-%d" % (dom, WORDS[i % len(WORDS)], i)
        return (key + ".config-revision-hash")[:max(len(key), 30 + (i * 11) % 31)]

    def ann_value(i):
        v = "sha256:" + hashlib.sha256(b"%d" % i).hexdigest()
        return v[:30 + (i * 13) % 31]

    def mount(i):
        uid = "%08x-%04x-4%03x-8%03x-%012x" % (i * 2654435761 % (1 << 32), i % 65536,
                                               i % 4096, (i * 7) % 4096, i)
        name = "%s-%d" % (WORDS[i % len(WORDS)], i)
        if i % 3 == 0:
            return {"destination": "/etc/%s/config" % name, "type": "bind",
                    "source": "/var/lib/kubelet/pods/%s/volumes/kubernetes.io~configmap/%s"
                              % (uid, name),
                    "options": ["rbind", "ro", "nosuid", "nodev", "noexec", "rprivate"]}
        if i % 3 == 1:
            return {"destination": "/var/run/secrets/%s" % name, "type": "bind",
                    "source": "/var/lib/kubelet/pods/%s/volumes/kubernetes.io~secret/%s"
                              % (uid, name),
                    "options": ["rbind", "ro", "nosuid", "nodev", "noexec", "rprivate"]}
        return {"destination": "/data/%s" % name, "type": "bind",
                "source": "/var/lib/containers/storage/volumes/%s/_data" % name,
                "options": ["rbind", "nosuid", "nodev", "rprivate"]}

    proc.setdefault("env", []).extend(fill(grow * 60 // 100, env))
    ann.update(fill_keys(grow * 25 // 100, ann_key, ann_value))
    cfg.setdefault("mounts", []).extend(fill(grow * 15 // 100, mount))


def main():
    if len(sys.argv) not in (4, 5):
        sys.stderr.write(__doc__)
        sys.exit(2)
    shape, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    base = sys.argv[4] if len(sys.argv) == 5 else DEFAULT_BASE
    with open(base) as f:
        cfg = json.load(f)
    have = len(json.dumps(cfg, separators=(",", ":")))
    grow = max(0, size - have)
    proc = cfg.setdefault("process", {})
    ann = cfg.setdefault("annotations", {})
    sc = cfg.setdefault("linux", {}).setdefault("seccomp", {"defaultAction": "SCMP_ACT_ERRNO"})

    if shape == "ordinary":
        proc.setdefault("env", []).append("BIG=" + "x" * max(0, grow - 10))
    elif shape == "many-keys":
        cfg["x-keys"] = fill_keys(grow, lambda i: "key-%020x" % i, lambda i: "")
    elif shape == "prefix-keys":
        pre = "io.example." + "p" * 189
        ann.update(fill_keys(grow, lambda i: "%s%08d" % (pre, i), lambda i: ""))
    elif shape == "fnv-keys":
        # A key of 2^b keys costs 4 * b + 6 bytes; count what fits.
        n = 1
        while (n * 2) * (4 * (n * 2 - 1).bit_length() + 6) <= grow:
            n *= 2
        for k in fnv_keys(n):
            ann[k] = ""
    elif shape == "fold-keys":
        ann.update(fill_keys(grow, lambda i: "\u00e9t\u00e9-\u0101\u03b1\u0436-%07d" % i,
                             lambda i: ""))
    elif shape == "annotations":
        ann.update(fill_keys(grow, lambda i: "io.bench.annotation.%07d" % i,
                             lambda i: "value-%07d-of-a-bench-annotation" % i))
    elif shape == "caps":
        names = fill(grow // 5, lambda i: "CAP_NO_%09d" % i)
        caps = proc.setdefault("capabilities", {})
        for s in ("bounding", "effective", "permitted", "inheritable", "ambient"):
            caps[s] = list(caps.get(s, [])) + names
    elif shape == "caps-known":
        known = ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID", "CAP_SETGID", "CAP_NET_BIND_SERVICE"]
        names = fill(grow // 3, lambda i: known[i % len(known)])
        caps = proc.setdefault("capabilities", {})
        for s in ("bounding", "effective", "permitted"):
            caps[s] = names
    elif shape == "seccomp-rules":
        sc.setdefault("syscalls", []).extend(fill(grow, lambda i: {
            "names": [SYSCALLS[i % len(SYSCALLS)]], "action": "SCMP_ACT_ALLOW"}))
    elif shape == "seccomp-names":
        names = fill(grow, lambda i: SYSCALLS[i % len(SYSCALLS)] if i % 2
                     else "nosuch_%07d" % i)
        sc.setdefault("syscalls", []).append({"names": names, "action": "SCMP_ACT_ALLOW"})
    elif shape == "seccomp-args":
        sc.setdefault("syscalls", []).extend(fill(grow, lambda i: {
            "names": [SYSCALLS[i % len(SYSCALLS)]], "action": "SCMP_ACT_ALLOW",
            "args": [{"index": a, "value": i, "op": "SCMP_CMP_NE"} for a in range(6)]}))
    elif shape == "mounts":
        cfg.setdefault("mounts", []).extend(fill(grow, lambda i: {
            "destination": "/mnt/b/%07d" % i, "type": "bind",
            "source": "/var/lib/b/%07d" % i, "options": ["rbind", "ro", "nosuid", "nodev"]}))
    elif shape == "env":
        proc.setdefault("env", []).extend(fill(grow, lambda i: "V%07d=value" % i))
    elif shape == "env-dup":
        proc.setdefault("env", []).extend(fill(grow, lambda i: "SAME=%07d" % i))
    elif shape == "nesting":
        # 61 arrays under the root object and "x-nest", around a string:
        # nesting alone costs the tree more than twice its bytes (refused
        # as too many values for its size, shape "numbers")
        one = nested(JSON_DEPTH - 2, "n" * 2000)
        cfg["x-nest"] = [one] * max(1, grow // (2 * (JSON_DEPTH - 2) + 2003))
    elif shape == "long-key":
        ann["k" * max(1, grow - 6)] = ""
    elif shape == "escapes":
        # written below: json.dumps would not keep the escapes as chosen
        pass
    elif shape == "numbers":
        cfg["x-numbers"] = [0] * max(1, grow // 2)
    elif shape == "typical":
        typical(cfg, grow)
    else:
        sys.stderr.write("gen-hostile.py: unknown shape %s\n" % shape)
        sys.exit(2)

    text = json.dumps(cfg, separators=(",", ":"), ensure_ascii=False)
    if shape == "escapes":
        unit = "\\u00e9\\n\\\"\\ud83d\\ude00"
        value = unit * max(1, (grow - 10) // len(unit))
        env = json.dumps(proc.get("env", []), separators=(",", ":"), ensure_ascii=False)
        text = text.replace('"env":' + env, '"env":' + env[:-1] + (',' if env != "[]" else '') +
                            '"E=' + value + '"]', 1)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


JSON_DEPTH = 64

if __name__ == "__main__":
    main()
