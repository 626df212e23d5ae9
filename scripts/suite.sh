#!/usr/bin/env bash
# Runs one module's tests in one JVM, without Maven, on the classpath the build wrote
# (target/suite/classpath.txt, suite.skip=false in the module's pom):
#
#   scripts/suite.sh run MODULE java25|java17 [TAG]   its end-to-end tests (*IT), tagged TAG if given;
#                                                    in the test guest, reports in target/suite/reports-JDK
#   scripts/suite.sh train MODULE                    its unit tests (*Test), on the build machine, to
#                                                    write the AOT cache the guest's JDK 25 runs use
#
# The JVM flags are chosen for the guest, whose CPU is emulated (measured on two IT classes in the
# guest: 236 s of CPU with the JVM's defaults, 107 s with C1 only and the serial collector, 85 s
# with the AOT cache on top): C1 alone compiles far less than C1 and C2 for what a test run
# executes, and the serial collector runs no concurrent GC threads. The same flags train the cache,
# as the AOT cache asks of its runs, and the classpath is the same jars in the same order.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

usage() { echo "usage: scripts/suite.sh run MODULE java25|java17 [TAG] | scripts/suite.sh train MODULE" >&2; exit 2; }
[ $# -ge 2 ] || usage
mode=$1 module=${2%/}
[ -f "$module/target/suite/classpath.txt" ] || {
  echo "scripts/suite.sh: $module/target/suite/classpath.txt is missing: build first (mvn install), in a module whose pom sets suite.skip=false" >&2
  exit 2
}
launcher=$top/suite-launcher/target
tests_jar=$(ls "$top/$module"/target/*-tests.jar)
main_jar=${tests_jar%-tests.jar}.jar
# A Spring Boot application's jar is repackaged for java -jar; the plugin keeps the plain one.
[ -f "$main_jar.original" ] && main_jar=$main_jar.original
classpath=$tests_jar:$main_jar:$(cat "$top/$module/target/suite/classpath.txt"):$(ls "$launcher"/vsock-spring-boot-suite-launcher-*.jar | grep -v -- -tests.jar):$(cat "$launcher/suite/classpath.txt")
aot=$top/$module/target/suite/java25.aot

# -XX:-AOTAdapterCaching: the cache would otherwise hold adapters compiled for this machine's CPU,
# which the guest's (no AVX) cannot run (measured: SIGILL in an AdapterBlob).
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1g -XX:-UsePerfData
  -XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching -XX:-AOTStubCaching)
java25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
java17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java

case "$mode" in
  train)
    [ $# = 2 ] || usage
    rm -f "$aot"
    cd "$module"
    # What the tests find is judged by Maven's run of them; here they only show the JVM what the
    # guest's runs will load.
    "$java25" "${flags[@]}" -XX:AOTCacheOutput="$aot" -Xlog:aot=error -cp "$classpath" \
      dev.vsock.boot.suite.SuiteLauncher --tests "$tests_jar" --include '.*Test' \
      --reports target/suite/training > target/suite/training.log 2>&1 || true
    [ -f "$aot" ] || { echo "scripts/suite.sh: no AOT cache for $module; the training's log:" >&2; tail -n 30 target/suite/training.log >&2; exit 1; }
    echo "$module: AOT cache of $(( $(stat -c %s "$aot") / 1048576 )) MiB from $(grep -Eo '^[0-9]+ tests' target/suite/training.log | tail -n 1)"
    ;;
  run)
    [ $# -ge 3 ] && [ $# -le 4 ] || usage
    jdk=$3 tag=${4:-}
    case "$jdk" in
      java25) java=$java25; [ -f "$aot" ] && flags+=(-XX:AOTCache="$aot") ;;
      java17) java=$java17; flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1g -XX:-UsePerfData) ;;
      *) usage ;;
    esac
    reports=target/suite/reports-$jdk
    cd "$module"
    rm -rf "$reports"
    # vsock.required: a vsock test fails, never skips, when vsock is missing. A first TLS handshake
    # on the emulated CPU can outlast Reactor Netty's default of 10 s.
    exec "$java" "${flags[@]}" -Dvsock.required=true -Dreactor.netty.tcp.sslHandshakeTimeout=120000 \
      -cp "$classpath" dev.vsock.boot.suite.SuiteLauncher --tests "$tests_jar" --include "${VSOCK_IT:-.*IT}" \
      --reports "$reports" ${tag:+--tag "$tag"}
    ;;
  *) usage ;;
esac
