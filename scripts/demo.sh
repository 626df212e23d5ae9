#!/usr/bin/env bash
# The main job: build, then start the sample guest agent listening on vsock only and call it over
# vsock with socat and Python. Where this machine has no vsock loopback (a build machine or a CI
# runner, which are VMs themselves: connecting out over vsock there would reach a host that is
# not ours), all of it runs inside the project's QEMU test guest.
set -euo pipefail
cd "$(dirname "$0")/.."

export JAVA_HOME=${VSOCK_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH=$JAVA_HOME/bin:$PATH

if [ "${1:-}" != "--inside" ]; then
  echo "=== building"
  ./mvnw -B -ntp -q install -DskipTests
  if [ -d /sys/module/vsock_loopback ] && [ "${VSOCK_DEMO_IN_GUEST:-}" != 1 ]; then
    exec "$0" --inside
  fi
  guest/setup.sh >/dev/null
  echo "=== this machine has no vsock loopback: running the demo inside the QEMU test guest"
  exec guest/run.sh --timeout 900 -- "$0" --inside
fi

port=5000
management_port=5100
grpc_port=5200
jar=$(ls sample-app/webflux-agent/target/vsock-spring-boot-sample-webflux-agent-*.jar | grep -v -e original -e -tests.jar | head -1)
log=$(mktemp)
echo "=== starting the guest agent: java -jar $jar (the application on vsock port $port only, gRPC on vsock port $grpc_port only; actuator on vsock port $management_port and 127.0.0.1:8081)"
java -jar "$jar" > "$log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 240); do
  grep -q "Started GuestAgentApplication" "$log" && break
  kill -0 $app 2>/dev/null || { cat "$log"; echo "the agent did not start"; exit 1; }
  sleep 0.5
done
grep -E "Netty started on vsock|gRPC Server started|Started GuestAgentApplication" "$log"

echo
# socat half-closes once its input ends; -t gives the answer time to arrive after that.
echo "=== socat: GET /status over vsock (CID 1 = this machine, port $port)"
printf 'GET /status HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n' | socat -t 300 - "VSOCK-CONNECT:1:$port"
echo
echo
echo "=== Python: POST /tasks/snapshot over vsock, progress streamed as server-sent events"
python3 - "$port" <<'PY'
import socket, sys
port = int(sys.argv[1])
with socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM) as s:
    s.connect((1, port))  # VMADDR_CID_LOCAL; Python names no constant for it before 3.13
    print("connected from", s.getsockname(), "to", s.getpeername())
    s.sendall(b"POST /tasks/snapshot HTTP/1.1\r\nHost: agent\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    answer = b""
    while chunk := s.recv(65536):
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    print(head.decode().splitlines()[0])
    for line in body.decode().splitlines():
        if line.startswith("data:"):
            print("  ", line[5:])
PY
echo
echo "=== the starter's own clients (VsockClients.restClient, a gRPC channel), from another JVM"
java -cp "$jar" -Dloader.main=dev.vsock.boot.sample.AgentClient \
  org.springframework.boot.loader.launch.PropertiesLauncher 1 "$port" "$grpc_port" 2>/dev/null | grep -- '->'
echo
for path in /actuator/health/vsock /actuator/metrics/vsock.connections.active /actuator/metrics/vsock.connections.accepted; do
  echo "=== socat: GET $path (the management server's vsock port, $management_port)"
  printf 'GET %s HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n' "$path" \
    | socat -t 300 - "VSOCK-CONNECT:1:$management_port" | tr -d '\r' | sed '1,/^$/d'
  echo
done
echo
echo "=== stopping the agent (graceful)"
kill $app
wait $app || true
tail -n 3 "$log"
