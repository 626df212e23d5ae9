#!/usr/bin/env bash
# What JDK 25's ahead-of-time cache (JEP 483, 514) and Spring AOT do to a vsock application's
# time to its first answer: the webflux-agent sample (Reactor Netty, gRPC, actuator; vsock only),
# started fresh in the QEMU test guest, timed from the JVM's launch until its first answer to
# GET /status over vsock (CID 1), with the JVM's CPU time at that moment:
#
#   bench/aot-cache.sh [ROUNDS]      (default 3; the results go to bench/target/aot-cache)
#
# Four ways, in a random order in each round: the fat jar as the README starts it; the jar
# extracted as Spring Boot's AOT cache needs it (`-Djarmode=tools extract`); extracted with an AOT
# cache from Spring Boot's training run (`-XX:AOTCacheOutput`, `-Dspring.context.exit=onRefresh`);
# the same with Spring AOT's prepared context as well (`-Dspring.aot.enabled=true`, trained so).
# The sample must have been built (`./mvnw install`); docs/aot-cache.md reads the results.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
rounds=${1:-3}

if [ "${VSOCK_GUEST:-}" != 1 ]; then
  jar=$(ls "$top"/sample-app/webflux-agent/target/vsock-spring-boot-sample-webflux-agent-*.jar | grep -v -e original -e tests | head -1)
  [ -f "$jar" ] || { echo "bench/aot-cache.sh: build the sample first (./mvnw install)" >&2; exit 2; }
  cd "$top" && exec guest/run.sh --mem 3G --timeout 3600 -- "$here/aot-cache.sh" "$rounds"
fi

export JAVA_HOME=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
out=$here/target/aot-cache
rm -rf "$out" && mkdir -p "$out"
jar=$(ls "$top"/sample-app/webflux-agent/target/vsock-spring-boot-sample-webflux-agent-*.jar | grep -v -e original -e tests | head -1)
started=$(date +%s)
stage() { echo "bench/aot-cache.sh: $* ($(( $(date +%s) - started )) s)"; }

stage "extracting $(basename "$jar") as Spring Boot's AOT cache needs it"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$out/application" > "$out/extract.log"
app=$out/application/$(basename "$jar")

# Spring Boot's training run: the context refreshes, then the JVM exits and writes the cache.
stage "training run for the AOT cache"
(cd "$out" && "$java" -XX:AOTCacheOutput="$out/app.aot" -Dspring.context.exit=onRefresh -jar "$app" > "$out/train.log" 2>&1)
stage "training run for the AOT cache with Spring AOT"
(cd "$out" && "$java" -XX:AOTCacheOutput="$out/app-springaot.aot" -Dspring.aot.enabled=true \
  -Dspring.context.exit=onRefresh -jar "$app" > "$out/train-springaot.log" 2>&1)
ls -l "$out"/*.aot

stage "timing $rounds rounds of four fresh JVMs"
python3 - "$rounds" "$java" "$jar" "$app" "$out" <<'PY'
import json, os, random, signal, socket, subprocess, sys, time

rounds, java, jar, app, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
ways = {
    "fat jar": [java, "-jar", jar],
    "extracted": [java, "-jar", app],
    "extracted + AOT cache": [java, "-XX:AOTCache=" + out + "/app.aot", "-jar", app],
    "extracted + AOT cache + Spring AOT": [java, "-XX:AOTCache=" + out + "/app-springaot.aot",
                                           "-Dspring.aot.enabled=true", "-jar", app],
}
ticks = os.sysconf("SC_CLK_TCK")
request = b"GET /status HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n"

def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks   # utime + stime

def first_answer(command, log):
    launched = time.monotonic()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=out)
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command} exited with {process.returncode}")
            try:
                with socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM) as s:
                    s.settimeout(60)
                    s.connect((1, 5000))
                    s.sendall(request)
                    answer = s.recv(65536)
                if answer.startswith(b"HTTP/1.1 200"):
                    return time.monotonic() - launched, cpu_seconds(process.pid)
            except OSError:
                pass
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(120)

random.seed(21)
results = {way: [] for way in ways}
for n in range(rounds):
    order = list(ways)
    random.shuffle(order)
    for way in order:
        with open(f"{out}/run-{n}-{way.replace(' ', '-').replace('+', '')}.log", "w") as log:
            wall, cpu = first_answer(ways[way], log)
        results[way].append({"wall": wall, "cpu": cpu})
        print(f"round {n + 1}: {way}: first answer after {wall:.1f} s, {cpu:.1f} s of CPU", flush=True)
json.dump(results, open(f"{out}/results.json", "w"), indent=1)
print()
print(f"| way | time to first answer (s) | CPU time by then (s) |")
print(f"|---|---|---|")
base = None
for way, runs in results.items():
    walls = sorted(r["wall"] for r in runs)
    cpus = sorted(r["cpu"] for r in runs)
    median = lambda xs: xs[len(xs) // 2]
    if base is None:
        base = (median(walls), median(cpus))
    print(f"| {way} | {median(walls):.1f} ({walls[0]:.1f}-{walls[-1]:.1f}), {median(walls) / base[0]:.0%} |"
          f" {median(cpus):.1f} ({cpus[0]:.1f}-{cpus[-1]:.1f}), {median(cpus) / base[1]:.0%} |")
PY
stage "done"
