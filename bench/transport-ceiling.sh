#!/usr/bin/env bash
# What the guest's kernel transports carry in bulk without a JVM: socat sends 256 MiB over one
# connection in 256 KiB writes to a socat that reads it N bytes at a time, over vsock_loopback
# (CID 1) and over TCP loopback (127.0.0.1), in the QEMU test guest:
#
#   bench/transport-ceiling.sh [ROUNDS]      (default 5)
#
# Read sizes: 8 KiB (Tomcat's socket.appReadBufSize), 64 KiB (the most Netty's adaptive receive
# allocator reads at once) and 256 KiB. Targets: TCP, vsock with the kernel's 256 KiB buffer, and
# vsock with 1 MiB buffers on both ends (SO_VM_SOCKETS_BUFFER_MAX_SIZE and _SIZE through socat's
# setsockopt-bin; the accepted socket inherits the listener's). In each round the targets of a
# read size run in a random order, and vsock is divided by the TCP transfer of the same round.
# It separates the transport from the JVM: if vsock carries the same share of TCP here as the
# project's Netty channels do in the benchmark (docs/benchmarks.md), the gap is not Java's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
rounds=${1:-5}

if [ "${VSOCK_GUEST:-}" != 1 ]; then
  cd "$top" && exec guest/run.sh --mem 1G --timeout 1800 -- "$here/transport-ceiling.sh" "$rounds"
fi

python3 - "$rounds" <<'PY'
import random, statistics, subprocess, sys, time

rounds = int(sys.argv[1])
size = 256 * 1024 * 1024
# u64 1 MiB, little-endian: SO_VM_SOCKETS_BUFFER_MAX_SIZE (2) first, then SO_VM_SOCKETS_BUFFER_SIZE (0).
big = ",setsockopt-bin=40:2:x0000100000000000,setsockopt-bin=40:0:x0000100000000000"
targets = {
    "TCP": ("TCP-LISTEN:{p},bind=127.0.0.1,reuseaddr", "TCP:127.0.0.1:{p}"),
    "vsock": ("VSOCK-LISTEN:{p}", "VSOCK-CONNECT:1:{p}"),
    "vsock, 1 MiB buffers": ("VSOCK-LISTEN:{p}" + big, "VSOCK-CONNECT:1:{p}" + big),
}
port = 6100


def transfer(target, read_size):
    global port
    port += 1
    listen, connect = (a.format(p=port) for a in targets[target])
    receiver = subprocess.Popen(["socat", "-u", "-b", str(read_size), listen, "OPEN:/dev/null"])
    time.sleep(0.5)
    start = time.monotonic()
    subprocess.run(["socat", "-u", "-b", "262144", "/dev/zero,readbytes=%d" % size, connect], check=True)
    if receiver.wait() != 0:
        raise SystemExit("the receiver failed: " + target)
    return size / (1024 * 1024) / (time.monotonic() - start)


def spread(values):
    return "%.1f (%.1f-%.1f)" % (statistics.median(values), min(values), max(values))


transfer("TCP", 65536), transfer("vsock", 65536)   # unmeasured: page cache, binaries
rng = random.Random(7)
print("| read size | TCP MiB/s | vsock MiB/s | vsock / TCP | vsock 1 MiB MiB/s | vsock 1 MiB / TCP |")
print("|---:|---|---|---|---|---|")
for read_size in (8192, 65536, 262144):
    rates = {t: [] for t in targets}
    for _ in range(rounds):
        order = list(targets)
        rng.shuffle(order)
        for target in order:
            rates[target].append(transfer(target, read_size))
    ratio = lambda t: [100 * v / c for v, c in zip(rates[t], rates["TCP"])]
    print("| %d KiB | %s | %s | %s %% | %s | %s %% |" % (read_size // 1024, spread(rates["TCP"]),
          spread(rates["vsock"]), spread(ratio("vsock")), spread(rates["vsock, 1 MiB buffers"]),
          spread(ratio("vsock, 1 MiB buffers"))), flush=True)
PY
