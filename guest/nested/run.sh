#!/usr/bin/env bash
# Boots the nested guest (L2) from inside the test guest and runs its agent; exits with the
# agent's exit code. Output (the console, the agent's "L2 ..." lines among it) streams to stdout.
#
#   guest/nested/run.sh --cid CID [--timeout SECONDS] [--monitor SOCKET] [--incoming STATE]
#                       -- SERVER_PORT [NAME=PORT ...]
#
# --monitor opens QEMU's monitor on a Unix socket (to save L2 with `migrate "exec:cat > STATE"`);
# --incoming starts L2 from such a saved state instead of booting it, as a VMM restores a
# snapshot: the same kernel, initramfs and arguments, its agent going on where it was.
#
# L2 is a guest of a guest on an emulated CPU inside an emulated CPU, so its image is the
# smallest that proves G2H and H2G: the kernel, the virtio-vsock modules and a static agent
# (guest/nested/agent.c), no root file system. Needs /dev/vhost-vsock, which the test guest has.
set -euo pipefail

cid=""
limit=600
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cid) cid=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --monitor) extra+=(-monitor "unix:$2,server=on,wait=off"); shift 2 ;;
    --incoming) [ -f "$2" ] || { echo "guest/nested/run.sh: no saved state at '$2'" >&2; exit 2; }
      extra+=(-incoming "exec:cat $2"); shift 2 ;;
    --) shift; break ;;
    *) echo "guest/nested/run.sh: unknown option '$1'; usage: guest/nested/run.sh --cid CID [--timeout SECONDS] [--monitor SOCKET] [--incoming STATE] -- SERVER_PORT [NAME=PORT ...]" >&2; exit 2 ;;
  esac
done
case "$cid" in
  *[!0-9]*|'') echo "guest/nested/run.sh: --cid '$cid' is not a number; a guest's CID is 3 or more" >&2; exit 2 ;;
esac
[ "$cid" -ge 3 ] || { echo "guest/nested/run.sh: --cid $cid is reserved (0 hypervisor, 1 local, 2 host); give 3 or more" >&2; exit 2; }
[ $# -gt 0 ] || { echo "guest/nested/run.sh: no agent arguments; give at least the port L2 listens on" >&2; exit 2; }
[ -e /dev/vhost-vsock ] || { echo "guest/nested/run.sh: no /dev/vhost-vsock here: L2 runs only inside the test guest (guest/run.sh)" >&2; exit 2; }
image=${VSOCK_GUEST_IMAGE:?the test guest exports VSOCK_GUEST_IMAGE (guest/run.sh); run this inside it}
kernel=$image/vmlinux
[ -f "$kernel" ] || kernel=$image/vmlinuz
args=$(IFS=,; echo "$*")
case "$args" in
  *[[:space:]]*) echo "guest/nested/run.sh: agent arguments may not contain spaces: '$args'" >&2; exit 2 ;;
esac

. "$(dirname "$0")/../qemu-flags.sh"
# 256 MiB and one vCPU are plenty for an initramfs and one small program.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
  "${qemu_cpu[@]}" -m 256M -smp 1 \
  -kernel "$kernel" -initrd "$image/nested-initrd.img" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off agent.args=$args" \
  -device "vhost-vsock-pci,guest-cid=$cid" "${extra[@]}" \
  < /dev/null 2>&1 | tee "$log"
qemu=${PIPESTATUS[0]}
set -e
if [ "$qemu" = 124 ] || [ "$qemu" = 137 ]; then
  echo "guest/nested/run.sh: TIMEOUT: L2 did not finish within $limit s" >&2
  exit 124
fi
code=$(tr -d '\r' < "$log" | sed -n 's/^L2 exit \([0-9]*\)$/\1/p' | tail -n 1)
if [ -z "$code" ]; then
  echo "guest/nested/run.sh: L2 stopped (qemu exit $qemu) before its agent ended" >&2
  exit 125
fi
exit "$code"
