#!/usr/bin/env bash
# The whole test suite: unit and wiring tests on this machine, then every end-to-end test (real
# HTTP over real AF_VSOCK) inside the QEMU test guest, on JDK 25 and a smoke subset on JDK 17.
# Prints one summary; exits non-zero if a test failed, or if a guest test was skipped or none ran.
# VSOCK_IT=<pattern> (failsafe's it.test, e.g. 'Tomcat*IT') runs only those guest tests: for
# development, never in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME=${VSOCK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
mvn=(mvn -B -ntp)
phase() { printf '\n=== %s\n' "$*"; }
seconds() { echo $(( $(date +%s) - $1 )); }
timings=()
begin=$(date +%s)

phase "guest image (installs QEMU and the Debian kernel when missing; cached)"
t=$(date +%s)
guest/setup.sh
timings+=("guest image: $(seconds "$t") s")

phase "build machine: build, unit and wiring tests (nothing here connects over vsock)"
t=$(date +%s)
"${mvn[@]}" clean install
timings+=("build machine: $(seconds "$t") s")
echo "vsock on the build machine: $(java -cp vsock-spring-boot-autoconfigure/target/vsock-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar \
  dev.vsock.boot.transport.VsockTransports 2>/dev/null)"

phase "resolve what the guest run needs, which has no network (selects no test)"
t=$(date +%s)
"${mvn[@]}" -q failsafe:integration-test@guest failsafe:integration-test@java17 -Dit.test=ResolveOnlyNoSuchIT
timings+=("resolve: $(seconds "$t") s")

phase "guest: end-to-end tests over AF_VSOCK (JDK 25), then the smoke subset on JDK 17"
t=$(date +%s)
status=0
jar=vsock-spring-boot-autoconfigure/target/vsock-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar
# 6 GiB: the nested-guest test starts a guest of its own (1 GiB) beside Maven and its test JVM.
# One guest, not two at once: two TCG guests side by side each ran 1.5 to 2 times as slowly here
# (a sample's IT took 408 s against 281 s for its whole module alone), saving little and costing
# twice the memory.
guest/run.sh --mem 6G --timeout "${VSOCK_GUEST_TIMEOUT:-4800}" -- sh -c '
  echo "vsock in the guest: $(java -cp "$0" dev.vsock.boot.transport.VsockTransports 2>/dev/null)"
  exec "$@"' "$jar" "${mvn[@]}" -o -fae -Dvsock.required=true ${VSOCK_IT:+"-Dit.test=$VSOCK_IT"} \
  failsafe:integration-test@guest failsafe:integration-test@java17 \
  failsafe:verify@guest failsafe:verify@java17 || status=$?
timings+=("guest: $(seconds "$t") s")
timings+=("total: $(seconds "$begin") s")

phase "summary"
VSOCK_GUEST_STATUS=$status python3 scripts/summary.py "${timings[@]}" || status=$((status == 0 ? 1 : status))
exit "$status"
