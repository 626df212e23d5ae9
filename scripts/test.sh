#!/usr/bin/env bash
# The whole test suite: unit and wiring tests on this machine (Maven), then every end-to-end test
# (real HTTP over real AF_VSOCK) inside two QEMU test guests at once, one per core, each module's
# tests in one JVM without Maven (scripts/suite.sh), on JDK 25 and a smoke subset on JDK 17.
# Prints one summary with the wall and CPU time of each phase and the slowest test classes; exits
# non-zero if a test failed, or if a guest test was skipped or none ran.
# VSOCK_IT=<regex of class names> (e.g. '.*Tomcat.*IT') runs only those guest tests: for
# development, never in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME=${VSOCK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH
# The suite's own records: the phases' times here (the build cleans target/), logs in target/suite.
# /usr/bin/time measures each phase; Debian's package 'time', absent from minimal images.
if [ ! -x /usr/bin/time ]; then
  echo "scripts/test.sh: installing the Debian package 'time' (it measures each phase)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >&2; }
fi
times_dir=$(mktemp -d)
trap 'rm -rf "$times_dir"' EXIT
suite=target/suite
begun=$(date +%s)
phase() { printf '\n=== %s\n' "$*"; }
# timed NAME COMMAND...: runs COMMAND and records its wall and CPU time (children included) as phase NAME.
timed() {
  local name=$1 code=0 record
  shift
  record=$(mktemp "$times_dir/phase.XXXXXX")
  /usr/bin/time -f "%e %U %S" -o "$record" "$@" || code=$?
  awk -v name="$name" 'END { printf "%s\t%.0f\t%.0f\n", name, $1, $2 + $3 }' "$record" >> "$times_dir/phases.tsv"
  return "$code"
}

phase "guest image (installs QEMU, gcc and the Debian kernel when missing; cached)"
timed "guest image" guest/setup.sh

phase "build machine: build, unit and wiring tests (nothing here connects over vsock)"
timed "build machine: mvn install" ./mvnw -B -ntp clean install
# The published jars' poms are checked against Maven Central's rules in the build (pomchecker, at
# verify); the BOM may have no <build> of its own, so it is checked here.
pomchecker=org.kordamp.maven:pomchecker-maven-plugin:1.7.0
timed "build machine: the BOM's pom" ./mvnw -B -ntp -q -N -f vsock-spring-boot-dependencies/pom.xml \
  "$pomchecker:check-bom" "$pomchecker:check-maven-central" -Dchecker.release=false
mkdir -p "$suite"
echo "vsock on the build machine: $(java -cp vsock-spring-boot-autoconfigure/target/vsock-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar \
  dev.vsock.boot.transport.VsockTransports 2>/dev/null)"

phase "build machine: the guest JVM's AOT caches, trained on each module's unit tests (two at once)"
# Class loading is most of a Spring start on the guest's emulated CPU; the JDK 25 AOT cache
# (JEP 483, 514) loads and links classes from a file instead. The guest sees these files at
# the same paths, so the same JDK and jars match.
timed "AOT training: autoconfigure" scripts/suite.sh train vsock-spring-boot-autoconfigure &
training=$!
timed "AOT training: test module and samples" sh -c 'for module in vsock-spring-boot-test sample-app/webflux-agent sample-app/mvc-agent sample-app/tls-agent; do
  scripts/suite.sh train "$module" || exit 1; done'
wait "$training"

phase "guest: end-to-end tests over AF_VSOCK, in two guests at once (one core each)"
# A guest emulates its CPU on one host thread (run.sh explains why), so two guests use both
# cores. The first runs the autoconfigure module (the nested-guest test among it), the second
# the other modules and the JDK 17 smoke subset; each run is one JVM (scripts/suite.sh).
in_guest() { # NAME RUN...: each RUN ("MODULE JDK [TAG]") in turn in a guest of its own, output in target/suite/guest-NAME.log
  local name=$1 script="status=0"
  shift
  for run in "$@"; do
    script+="
    echo \"=== $run\"; begun=\$(date +%s)
    scripts/suite.sh run $run || status=1
    echo \"=== $run: \$((\$(date +%s) - begun)) s on the guest's clock\""
  done
  script+="
    exit \$status"
  # 3 GiB: one test JVM (1 GiB of heap) and, in the first guest, a nested guest (256 MiB).
  local guest_begun code=0
  guest_begun=$(date +%s)
  timed "guest $name" guest/run.sh --mem 3G --timeout "${VSOCK_GUEST_TIMEOUT:-3000}" -- sh -c "
    echo \"vsock in the guest: \$(java -cp vsock-spring-boot-autoconfigure/target/vsock-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar dev.vsock.boot.transport.VsockTransports 2>/dev/null)\"
    $script" > "$suite/guest-$name.log" 2>&1 || code=$?
  echo "$code $(( $(date +%s) - guest_begun ))" > "target/guest-$name.status"
  return "$code"
}
guest_begun=$(date +%s)
guest_status=0
in_guest autoconfigure "vsock-spring-boot-autoconfigure java25" &
first=$!
in_guest others "vsock-spring-boot-test java25" "sample-app/webflux-agent java25" "sample-app/mvc-agent java25" "sample-app/tls-agent java25" \
  "vsock-spring-boot-autoconfigure java17 smoke" "vsock-spring-boot-test java17 smoke" || guest_status=$?
wait "$first" || { code=$?; [ "$guest_status" = 124 ] || guest_status=$code; }
printf '%s\t%s\t\n' "guest phase, both at once" "$(( $(date +%s) - guest_begun ))" >> "$times_dir/phases.tsv"
for name in autoconfigure others; do
  phase "guest $name: its output"
  cat "$suite/guest-$name.log"
done

phase "summary"
status=0
cp "$times_dir/phases.tsv" "$suite/phases.tsv"
times > "$times_dir/times"   # in this shell: the CPU time of every command the suite ran
VSOCK_GUEST_STATUS=$guest_status python3 scripts/summary.py "$suite/phases.tsv" "$(( $(date +%s) - begun ))" \
  "$(tail -n 1 "$times_dir/times")" || status=$?
[ "$guest_status" = 0 ] || [ "$status" != 0 ] || status=1
exit "$status"
