#!/usr/bin/env bash
# Installs what the test guest needs and builds its kernel + initramfs once, into a cache outside /tmp.
# Prints the directory that holds vmlinuz and initrd.img. Idempotent: a second call is instant.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VSOCK_GUEST_CACHE:-$HOME/.cache/vsock-spring-boot/guest}
log() { echo "[guest/setup] $*" >&2; }

# Debian packages, installed only when missing (CI starts from a fresh machine).
missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v cpio >/dev/null || missing+=(cpio)
command -v depmod >/dev/null || missing+=(kmod)
command -v socat >/dev/null || missing+=(socat)
command -v python3 >/dev/null || missing+=(python3)
command -v gcc >/dev/null || missing+=(gcc)
dpkg -s libc6-dev >/dev/null 2>&1 || missing+=(libc6-dev)   # libc.a: the nested agent is static
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The kernel that linux-image-amd64 depends on today (generic flavour: the cloud one has no 9p).
if [ -z "${VSOCK_GUEST_KERNEL_PACKAGE:-}" ]; then
  VSOCK_GUEST_KERNEL_PACKAGE=$(apt-cache depends linux-image-amd64 2>/dev/null \
    | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  if [ -z "$VSOCK_GUEST_KERNEL_PACKAGE" ]; then
    apt-get update -qq >&2
    VSOCK_GUEST_KERNEL_PACKAGE=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  fi
fi
kernel_version=${VSOCK_GUEST_KERNEL_PACKAGE#linux-image-}
key=$kernel_version-$(cat "$here/setup.sh" "$here/init.sh" "$here/nested/init.sh" "$here/nested/agent.c" | sha256sum | cut -c1-12)
out=$cache/$key
if [ -f "$out/vmlinuz" ] && [ -f "$out/initrd.img" ] && [ -f "$out/nested-initrd.img" ]; then
  echo "$out"
  exit 0
fi

log "building the guest image for kernel $kernel_version into $out"
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download "$VSOCK_GUEST_KERNEL_PACKAGE" >/dev/null 2>&1 \
  || { apt-get update -qq && apt-get download "$VSOCK_GUEST_KERNEL_PACKAGE"; }) >&2
dpkg-deb -x "$work"/*.deb "$work/kernel"
depmod -b "$work/kernel" "$kernel_version"

# An initramfs: busybox, the given modules (in dependency order, as modprobe would load them,
# listed in /modules.order), PID 1 and any extra files.
#   initramfs OUTPUT INIT "MODULES" [FILE:PATH ...]
initramfs() {
  local output=$1 init=$2 modules=$3 root
  shift 3
  root=$(mktemp -d "$work/initramfs.XXXXXX")
  mkdir -p "$root"/{bin,dev,proc,sys,mnt,lib/modules}
  : > "$root/modules.order"
  for module in $modules; do
    modprobe -d "$work/kernel" -S "$kernel_version" --show-depends "$module" | while read -r verb path _; do
      [ "$verb" = insmod ] || continue   # "builtin ..." lines need nothing
      name=$(basename "$path")
      if ! grep -qx "$name" "$root/modules.order"; then
        cp "$path" "$root/lib/modules/$name"
        echo "$name" >> "$root/modules.order"
      fi
    done
  done
  cp /bin/busybox "$root/bin/busybox"
  cp "$init" "$root/init"
  for extra in "$@"; do
    cp "${extra%%:*}" "$root/${extra#*:}"
  done
  chmod +x "$root/init" "$root/bin/busybox"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$output"
  log "$(basename "$output"): $(tr '\n' ' ' < "$root/modules.order")"
}

mkdir -p "$work/out"
# The test guest: 9p and overlay for the shared root, every vsock transport.
initramfs "$work/out/initrd.img" "$here/init.sh" \
  "virtio_pci 9pnet_virtio 9p overlay vsock_loopback vmw_vsock_virtio_transport vhost_vsock"
# The nested guest of NestedGuestsIT: the virtio (G2H) transport and a static agent, no root file
# system, so that a guest on a CPU emulated twice over boots and runs in the least time.
gcc -static -O2 -Wall -Wextra -Werror -o "$work/agent" "$here/nested/agent.c"
initramfs "$work/out/nested-initrd.img" "$here/nested/init.sh" "virtio_pci vmw_vsock_virtio_transport" \
  "$work/agent:agent"
cp "$work/kernel/boot/vmlinuz-$kernel_version" "$work/out/vmlinuz"
# The uncompressed kernel too, booted directly through its PVH entry point: decompressing the
# xz-packed vmlinuz on an emulated CPU is a good part of a boot (measured: 22 s against 39 s to
# the command, on a loaded machine). run.sh falls back to vmlinuz where this fails.
python3 - "$work/out/vmlinuz" "$work/out/vmlinux" <<'PY' >&2 || log "no uncompressed kernel: booting vmlinuz"
import lzma, sys
packed = open(sys.argv[1], "rb").read()
start = packed.find(b"\xfd7zXZ\x00")
if start < 0:
    sys.exit("vmlinuz holds no xz stream")
elf = lzma.LZMADecompressor().decompress(packed[start:])
if not elf.startswith(b"\x7fELF"):
    sys.exit("the xz stream in vmlinuz is not an ELF kernel")
if b"Xen\x00" not in elf:
    sys.exit("the kernel has no Xen/PVH notes, so QEMU cannot boot it uncompressed")
open(sys.argv[2], "wb").write(elf)
PY
echo "$kernel_version" > "$work/out/kernel-version"
rm -rf "$out"
mv "$work/out" "$out"
echo "$out"
