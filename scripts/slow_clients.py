"""Slow and silent clients cannot starve the server (run by scripts/first-minutes): with
a 1,024-descriptor limit, 1,100 connections that never finish their headers are closed
after HTTP_IDLE_TIMEOUT_MS and /health answers again; an oversize body gets 413 and the
connection is closed instead of read to its end.
"""

import os
import resource
import socket
import subprocess
import tempfile
import time
import urllib.request

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-slow-clients.")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"FAIL: timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return response.status
    except Exception:
        return 0


def closed_by_server(sock):
    try:
        return sock.recv(1) == b""
    except (BlockingIOError, socket.timeout):
        return False
    except OSError:
        return True


def limit_descriptors():
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    port = free_port()
    env = {"PATH": os.environ["PATH"], "LOG_LEVEL": "warning", "HTTP_IDLE_TIMEOUT_MS": "1000",
           "DATABASE_URL": os.path.join(WORK, "tasks.sqlite")}
    with open(os.path.join(WORK, "serve.log"), "w") as log:
        server = subprocess.Popen([BINARY, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                  preexec_fn=limit_descriptors)
    try:
        wait_for(lambda: health(port) == 200, 60, "the server to answer /health")
        slow = []
        for _ in range(1100):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sock.setblocking(False)
            slow.append(sock)
        started = time.monotonic()
        wait_for(lambda: health(port) == 200, 30, "/health to answer beside 1,100 unfinished requests")
        wait_for(lambda: all(closed_by_server(s) for s in slow[:50]), 30, "the server to close unfinished requests")
        print(f"ok   1,100 unfinished requests at 1,024 descriptors: /health answered and they were closed "
              f"within {time.monotonic() - started:.1f} s")
        for sock in slow:
            sock.close()

        big = socket.create_connection(("127.0.0.1", port), timeout=10)
        big.sendall(b"POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 5000000\r\n\r\n" + b" " * (2 * 1024 * 1024))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = big.recv(4096)
            if not chunk:
                break
            answer += chunk
        if not answer.startswith(b"HTTP/1.1 413"):
            raise SystemExit(f"FAIL: an oversize body was answered {answer[:80]!r}")
        big.settimeout(10)
        rest = b"x"
        try:
            while rest:
                rest = big.recv(65536)
        except socket.timeout:
            raise SystemExit("FAIL: the connection stayed open after 413")
        except OSError:
            pass
        print("ok   an oversize body got 413 and the connection was closed")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
