#!/bin/busybox sh
# PID 1 of the test guest: load the vsock and 9p modules, mount the build machine's root
# read-only under a tmpfs overlay and the work tree read-write, run the command, power off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in $(cat /modules.order); do
  insmod "/lib/modules/$module" 2>/dev/null || echo "guest: insmod $module failed" > /dev/console
done

run=""
work=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    vsock.run=*) run=${arg#vsock.run=} ;;
    vsock.work=*) work=${arg#vsock.work=} ;;
  esac
done

mkdir -p /mnt/lower /mnt/upper /mnt/root
# cache=loose: this share is read-only and nothing changes it during a run, so the guest may keep
# what it read (every JVM start reads the JDK and the Maven repository through it again).
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro,cache=loose hostroot /mnt/lower
mount -t tmpfs -o size=75% tmpfs /mnt/upper
mkdir -p /mnt/upper/data /mnt/upper/work
mount -t overlay overlay -o lowerdir=/mnt/lower,upperdir=/mnt/upper/data,workdir=/mnt/upper/work /mnt/root
mount -t proc proc /mnt/root/proc
mount -t sysfs sys /mnt/root/sys
mount -t devtmpfs dev /mnt/root/dev
mkdir -p /mnt/root/dev/pts /mnt/root/dev/shm
mount -t devpts devpts /mnt/root/dev/pts
mount -t tmpfs tmpfs /mnt/root/dev/shm
mount -t tmpfs tmpfs /mnt/root/tmp
# The work tree last: a checkout under /tmp stays visible above the guest's own /tmp.
mkdir -p "/mnt/root$work"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 work "/mnt/root$work"
ip link set lo up

echo "guest: up in $(cut -d' ' -f1 /proc/uptime) s" > /dev/console
chroot /mnt/root /bin/bash "$run/command.sh" < /dev/null > /dev/console 2>&1
echo $? > "/mnt/root$run/exit"
sync
poweroff -f
