# The CPU both the test guest and the nested guest run on; sourced by guest/run.sh and
# guest/nested/run.sh.
#
# JDK 25 crashed twice in the guest with SIGSEGV inside JIT-compiled plain Java code
# (HeapByteBuffer.put, then AbstractCollection.<init> with AVX already hidden) under
# multi-threaded TCG: a code patch on one vCPU racing execution on another is the likely cause.
# Single-threaded TCG serializes the vCPUs; AVX, new in QEMU 7.2's TCG, stays hidden too.
# mitigations=off (in each kernel command line): a throw-away test machine running only our code
# need not pay for Spectre barriers, which cost more on an emulated CPU.
qemu_cpu=(-accel tcg,thread=single -cpu max,-avx,-avx2,-fma,-f16c,-avx-vnni
  -nographic -no-reboot -nodefaults -serial stdio -net none)
