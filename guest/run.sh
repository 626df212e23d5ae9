#!/usr/bin/env bash
# Runs a command inside the project's QEMU test guest and returns its exit code.
#
#   guest/run.sh [--mem SIZE] [--smp N] [--icount SPEC] [--timeout SECONDS] -- COMMAND [ARG...]
#
# --icount SPEC (QEMU's -icount, for example shift=3,sleep=on) gives the guest a clock that follows
# the instructions it runs rather than this machine's time (bench/run.sh by default). It
# goes with --smp 1: with two vCPUs and a fixed shift, QEMU 7.2's guest kernel never finished
# bringing up the second (shift=3 and shift=0, waited 150-300 s).
#
# The guest (TCG, no KVM needed) sees this machine's / read-only under a tmpfs overlay and the
# work tree read-write at the same path, has the vsock_loopback (CID 1) and vhost_vsock
# transports, and runs COMMAND in the current directory with VSOCK_GUEST=1. Inside it,
# guest/nested/run.sh starts a nested guest of its own. Output streams to stdout; on a failure or
# a timeout the tail of the guest's console log is printed again.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
mem=4G
smp=2
limit=1800
icount=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mem) mem=$2; shift 2 ;;
    --smp) smp=$2; shift 2 ;;
    --icount) icount=(-icount "$2"); shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "guest/run.sh: unknown option '$1'; usage: guest/run.sh [--mem SIZE] [--smp N] [--icount SPEC] [--timeout SECONDS] -- COMMAND..." >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "guest/run.sh: no command given; usage: guest/run.sh [options] -- COMMAND..." >&2; exit 2; }
case "$PWD/" in
  "$top"/*) ;;
  *) echo "guest/run.sh: run it from inside the work tree $top (the guest shares only that read-write)" >&2; exit 2 ;;
esac

# A nested guest boots the same kernel (guest/nested/run.sh): the image's path travels into the
# guest with the other VSOCK_*.
export VSOCK_GUEST_IMAGE=${VSOCK_GUEST_IMAGE:-$("$here/setup.sh")}
image=$VSOCK_GUEST_IMAGE
kernel=$image/vmlinux   # uncompressed, booted through PVH (setup.sh): no decompression on an emulated CPU
[ -f "$kernel" ] || kernel=$image/vmlinuz
run=$top/.guest/run-$$-$(date +%s)
mkdir -p "$run"
trap 'rm -rf "$run"' EXIT

# The command and its environment travel as a file, so quoting survives.
{
  echo "export VSOCK_GUEST=1 HOME=${HOME:-/root} PATH=${JAVA_HOME:+$JAVA_HOME/bin:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  for name in JAVA_HOME MAVEN_OPTS CI TERM LANG; do
    [ -n "${!name:-}" ] && printf 'export %s=%q\n' "$name" "${!name}"
  done
  { env | grep -o '^VSOCK_[A-Z_]*' | grep -v '^VSOCK_GUEST$' || true; } | while read -r name; do printf 'export %s=%q\n' "$name" "${!name}"; done
  printf 'cd %q\n' "$PWD"
  printf '%q ' "$@"
  echo
} > "$run/command.sh"

log=$run/console.log
. "$here/qemu-flags.sh"
set +e
timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
  "${qemu_cpu[@]}" ${icount[@]+"${icount[@]}"} -m "$mem" -smp "$smp" \
  -kernel "$kernel" -initrd "$image/initrd.img" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off vsock.work=$top vsock.run=$run" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$top,mount_tag=work,security_model=none,multidevs=remap" \
  < /dev/null 2>&1 | tee "$log"
qemu=${PIPESTATUS[0]}
set -e

if [ "$qemu" = 124 ] || [ "$qemu" = 137 ]; then
  echo "guest/run.sh: TIMEOUT: the guest did not finish within $limit s; last console lines:" >&2
  tail -n 40 "$log" >&2
  exit 124
fi
if [ ! -f "$run/exit" ]; then
  echo "guest/run.sh: the guest stopped (qemu exit $qemu) without running the command to its end; last console lines:" >&2
  tail -n 40 "$log" >&2
  exit 125
fi
code=$(cat "$run/exit")
if [ "$code" != 0 ]; then
  echo "guest/run.sh: the command exited $code in the guest" >&2
fi
exit "$code"
