#!/usr/bin/env python3
"""The nested guest's (L2's) whole part of NestedGuestsIT, run once per suite.

L2 is a guest of the test guest (L1): it reaches L1 at CID 2 over G2H (virtio), and L1 reaches
it at its own CID over H2G (vhost). Kept to Python and one plain JVM main, because L2 runs under
an emulated CPU inside an emulated CPU.

  l2.py SERVER_PORT JAR TARGET=PORT [TARGET=PORT ...]

1. Listens on vsock port SERVER_PORT and answers every HTTP request with the peer it saw
   ("cid=<cid> port=<port>"), until a request for /done.
2. Calls GET /peer on each L1 TARGET at CID 2 and prints "L2 GET <target> -> <status> | <body>".
3. Prints what the project's transport detection (a plain JVM main from JAR, started first since
   it is the slowest part) finds in L2.
Every line meant for the test starts with "L2 ".
"""
import os
import socket
import subprocess
import sys
import threading
import time

CID_ANY = 0xFFFFFFFF
CID_HOST = 2
DEADLINE = time.monotonic() + 2400  # within NestedGuestsIT.L2_PATIENCE


def say(line):
    print("L2 " + line, flush=True)


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("ascii", "replace")


def serve(listener, done):
    while not done.is_set():
        conn, (cid, port) = listener.accept()
        with conn:
            request_line = read_request(conn)
            if request_line is None:
                continue
            body = f"cid={cid} port={port}".encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            say(f"served {request_line!r} to cid={cid}")
            if request_line.split(" ")[1:2] == ["/done"]:
                done.set()


def connect(port):
    """Connects to L1 (CID 2) on port, retrying for a minute while nothing listens there."""
    give_up = time.monotonic() + 60
    while True:
        s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
        s.settimeout(300)
        try:
            s.connect((CID_HOST, port))
            return s
        except (ConnectionResetError, ConnectionRefusedError):
            s.close()
            if time.monotonic() > give_up:
                raise
            time.sleep(1)


def get(port, path):
    """GET path from L1: the status line and the body, or what went wrong instead of a status."""
    try:
        s = connect(port)
    except OSError as ex:
        return f"(no connection: {ex!r})", ""
    with s:
        try:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: l1\r\nConnection: close\r\n\r\n".encode())
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        except OSError as ex:
            return f"(failed: {ex!r})", ""
    head, _, body = answer.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode("ascii", "replace") if head else "(closed, no response)"
    return status, body.decode("utf-8", "replace")


def detect_transports(jar, found):
    """Runs the project's transport detection, a plain JVM main, and keeps what it printed."""
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    # A JVM starts slowest of all here. For a main this short the interpreter alone costs the
    # least CPU (measured on the build machine: 0.22 s user against 0.34 s with C1 only).
    detected = subprocess.run([java, "-Xint", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                               "-cp", jar, "dev.vsock.boot.transport.VsockTransports"],
                              capture_output=True, text=True, check=False)
    found.append(f"{detected.stdout.strip()} {detected.stderr.strip()}".rstrip())


def main():
    server_port, jar, targets = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    # The JVM takes longest, so it starts first and runs while the exchanges go on.
    found = []
    detection = threading.Thread(target=detect_transports, args=(jar, found))
    detection.start()
    listener = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    listener.bind((CID_ANY, server_port))
    listener.listen(16)
    done = threading.Event()
    threading.Thread(target=serve, args=(listener, done), daemon=True).start()
    say(f"listening on vsock port {server_port}")
    for target in targets:
        name, port = target.split("=")
        status, body = get(int(port), "/peer")
        say(f"GET {name} -> {status} | {body}")
    detection.join()
    say(f"transports -> {found[0]}")
    say("waiting for /done")
    if not done.wait(max(0.0, DEADLINE - time.monotonic())):
        say("gave up waiting for /done")
        sys.exit(1)
    say("done")


if __name__ == "__main__":
    main()
