#!/bin/busybox sh
# PID 1 of the nested guest (L2): load the virtio-vsock modules, run the agent with the arguments
# from the kernel command line (agent.args=A,B,C), print its exit code, power off. No root file
# system: everything L2 needs is in this initramfs.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in $(cat /modules.order); do
  insmod "/lib/modules/$module" || echo "L2 insmod $module failed"
done
args=""
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    agent.args=*) args=${arg#agent.args=} ;;
  esac
done
echo "L2 up in $(cut -d' ' -f1 /proc/uptime) s"
/agent $(echo "$args" | tr ',' ' ')
echo "L2 exit $?"
poweroff -f
