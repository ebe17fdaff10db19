"""Secrets never reach output: the release binary is started, used, refused and stopped
at LOG_LEVEL=trace with the API token, the webhook secret and a database password set,
and none of them may appear in anything it prints (run by scripts/first-minutes).
"""

import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-secrets.")
TOKEN = "tok-" + secrets.token_hex(12)
WEBHOOK_SECRET = "whs-" + secrets.token_hex(12)
PASSWORD = "pw" + secrets.token_hex(12)
SECRETS = {"SCHEDULER_API_TOKEN": TOKEN, "WEBHOOK_SECRET": WEBHOOK_SECRET, "database password": PASSWORD}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_clean(output, what):
    leaked = [name for name, value in SECRETS.items() if value in output]
    if leaked:
        raise SystemExit(f"FAIL {what}: the output shows {', '.join(leaked)}:\n{output[-3000:]}")
    print(f"ok   {what}: {len(output.splitlines())} lines, no secret in them")


def environment(**settings):
    env = {"PATH": os.environ["PATH"], "LOG_LEVEL": "trace", "SCHEDULER_API_TOKEN": TOKEN,
           "WEBHOOK_SECRET": WEBHOOK_SECRET, "WEBHOOK_URLS": "http://127.0.0.1:9/hook",
           "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true", "DATABASE_CONNECT_TIMEOUT_MS": "500"}
    env.update(settings)
    return env


def call(port, method, path, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method, data=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def served(database_url, use):
    """Starts `serve`, waits for /health to answer, runs `use(port)`, stops it with
    SIGTERM; returns everything it printed."""
    port = free_port()
    log = os.path.join(WORK, f"serve-{port}.log")
    with open(log, "w") as out:
        process = subprocess.Popen([BINARY, "serve", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                   env=environment(DATABASE_URL=database_url))
    deadline = time.monotonic() + 60
    while call(port, "GET", "/health") == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    use(port)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    with open(log) as out:
        return out.read()


def refused(*arguments, **settings):
    done = subprocess.run([BINARY, *arguments], capture_output=True, text=True, timeout=60, env=environment(**settings))
    if done.returncode == 0:
        raise SystemExit(f"FAIL {arguments} {settings} was not refused:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def main():
    def use(port):
        status = call(port, "POST", "/tasks", b'{"task_type": "noop"}')
        if status != 201:
            raise SystemExit(f"FAIL POST /tasks answered {status}")
        call(port, "GET", "/tasks")
        call(port, "GET", "/dashboard")
    check_clean(served(os.path.join(WORK, "tasks.sqlite"), use), "serve on SQLite at trace level, used and stopped")
    unreachable = f"postgres://app:{PASSWORD}@127.0.0.1:1/tasks?sslmode=disable"
    check_clean(served(unreachable, lambda port: time.sleep(2)), "serve waiting for an unreachable PostgreSQL")
    for url in [f"postgres://app:{PASSWORD}#x@127.0.0.1:1/tasks", f"POSTGRES://app:{PASSWORD}@127.0.0.1:1/tasks",
                f"postgres://app:{PASSWORD}@[::1/tasks", f"mysql://app:{PASSWORD}@127.0.0.1/tasks"]:
        for command in (["migrate"], ["serve", "--port", str(free_port())], ["tasks", "list"]):
            output = refused(*command, DATABASE_URL=url) if command[0] != "serve" or "POSTGRES" not in url else None
            if output is not None:
                check_clean(output, f"{command[0]} refusing {url.replace(PASSWORD, '<password>')}")
    print("secret leaks: none")


if __name__ == "__main__":
    main()
