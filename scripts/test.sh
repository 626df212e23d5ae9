#!/usr/bin/env bash
# The whole test suite: unit and wiring tests on this machine, then every end-to-end test (real
# HTTP over real AF_VSOCK) inside two QEMU test guests at once, on JDK 25 and a smoke subset on JDK 17.
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

phase "guest: end-to-end tests over AF_VSOCK, in two guests at once (one core each)"
# A guest emulates its CPU on one host thread (run.sh explains why), so two guests use both
# cores: one runs the autoconfigure module's tests on JDK 25 (the nested-guest test among them),
# the other the other modules' and every module's smoke subset on JDK 17. Side by side each runs
# more slowly (measured: 2974 s and 2409 s, where the samples' ITs took 1.5 times as long as their
# whole modules alone once did); one guest after the other was not measured with the nested test.
t=$(date +%s)
jar=vsock-spring-boot-autoconfigure/target/vsock-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar
maven_in_guest="${mvn[*]} -o -fae -Dvsock.required=true ${VSOCK_IT:+-Dit.test='$VSOCK_IT'}"
mkdir -p target
in_guest() { # NAME SCRIPT: runs SCRIPT with sh in a guest of its own, its output in target/guest-NAME.log
  local name=$1 script=$2 begun code=0
  begun=$(date +%s)
  # 6 GiB: the nested-guest test starts a guest of its own (1 GiB) beside Maven and its test JVM.
  guest/run.sh --mem 6G --timeout "${VSOCK_GUEST_TIMEOUT:-4800}" -- sh -c "
    echo \"vsock in the guest: \$(java -cp $jar dev.vsock.boot.transport.VsockTransports 2>/dev/null)\"
    $script" > "target/guest-$name.log" 2>&1 || code=$?
  echo "$code $(seconds "$begun")" > "target/guest-$name.status"
}
in_guest jdk25 "$maven_in_guest -pl vsock-spring-boot-autoconfigure failsafe:integration-test@guest failsafe:verify@guest" &
in_guest others-and-jdk17 "$maven_in_guest -pl !vsock-spring-boot-autoconfigure failsafe:integration-test@guest failsafe:integration-test@java17 failsafe:verify@guest failsafe:verify@java17; first=\$?
    $maven_in_guest -pl vsock-spring-boot-autoconfigure failsafe:integration-test@java17 failsafe:verify@java17; second=\$?
    [ \$first = 0 ] && exit \$second; exit \$first" &
wait
status=0
for name in jdk25 others-and-jdk17; do
  phase "guest $name: its output"
  cat "target/guest-$name.log"
  read -r code took < "target/guest-$name.status"
  timings+=("guest $name: $took s")
  # A time-out (124) outranks any other failure: the summary names it.
  if [ "$code" = 124 ] || [ "$status" = 0 ]; then
    status=$code
  fi
done
timings+=("guest, both at once: $(seconds "$t") s")
timings+=("total: $(seconds "$begin") s")

phase "summary"
VSOCK_GUEST_STATUS=$status python3 scripts/summary.py "${timings[@]}" || status=$((status == 0 ? 1 : status))
exit "$status"
