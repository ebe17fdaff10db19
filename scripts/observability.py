"""What an operator sees, checked on the release binary by scripts/observability: two
`serve` instances share a PostgreSQL database; a client streaming /events from one sees
the task the other ran, with its result; /tasks/{id}/events ends after the final state;
?wait= answers once the task is final; /metrics passes `promtool check metrics`; and a
real Prometheus server scrapes both instances with the bearer token and can query what
they counted. Waits poll a condition with a deadline; every check names what it found.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
DATABASE_URL = os.environ["POSTGRES_CLUSTER_URL"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-observability.")
TOKEN = "observability-token"
PROCESSES = []


class CheckFailed(Exception):
    """A check failed; the message says which and with what values."""


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, token=TOKEN, timeout=40):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ""


def serve(name, **settings):
    port = free_port()
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": DATABASE_URL, "PORT": str(port), "SCHEDULER_API_TOKEN": TOKEN,
           "WORKER_ID": name, "LOG_LEVEL": "info"}
    env.update({key: str(value) for key, value in settings.items()})
    log = open(os.path.join(WORK, f"{name}.log"), "w")
    process = subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=WORK)
    PROCESSES.append(process)
    wait_for(lambda: request(port, "GET", "/health", token=None)[0] == 200, 60, f"{name} to answer /health")
    return port


class Stream:
    """Reads a Server-Sent Events response in a thread, keeping every frame."""

    def __init__(self, port, path):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {TOKEN}"})
        self.response = urllib.request.urlopen(req, timeout=60)
        self.lines = []
        self.frames = []
        self.ended = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        frame = {}
        for raw in self.response:
            line = raw.decode().rstrip("\n")
            self.lines.append(line)
            if line == "":
                if frame:
                    self.frames.append(frame)
                frame = {}
            elif line.startswith(":"):
                frame["comment"] = line[1:].strip()
            else:
                key, _, value = line.partition(":")
                frame[key] = value.lstrip(" ")
        self.ended = True

    def events(self, name=None):
        return [f for f in self.frames if "event" in f and (name is None or f["event"] == name)]


def check_streams(port_a, port_b):
    """A client of instance A sees what instance B ran; one task's stream ends at its end."""
    stream = Stream(port_a, "/events?type=task.created,task.started,task.completed")
    wait_for(lambda: any(f.get("comment") == "connected" for f in stream.frames), 10, "the stream to open")
    later = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
    # B announces its changes once it sees that A has a client: within about a second.
    started = time.monotonic()

    def b_announces():
        status, body = request(port_b, "POST", "/tasks", {"task_type": "noop", "scheduled_for": later})
        expect(status == 201, f"POST /tasks on B: {status} {body}")
        probe = json.loads(body)["id"]
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            if any(probe in e["data"] for e in stream.events("task.created")):
                return True
            time.sleep(0.05)
        return False

    wait_for(b_announces, 15, "instance B to announce its changes to A's client")
    print(f"B announced to A's client {time.monotonic() - started:.1f} s after it connected")
    status, body = request(port_b, "POST", "/tasks", {"task_type": "probe", "scheduled_for": later,
                                                       "context": {"duration_ms": 600, "progress_steps": 3}})
    expect(status == 201, f"POST /tasks on B: {status} {body}")
    task_id = json.loads(body)["id"]
    task_stream = Stream(port_a, f"/tasks/{task_id}/events")
    waiter = {}
    threading.Thread(target=lambda: waiter.update(reply=request(port_a, "GET", f"/tasks/{task_id}?wait=30")), daemon=True).start()
    status, body = request(port_b, "POST", "/process-task", {"task_id": task_id})
    expect(status == 200 and json.loads(body)["success"], f"POST /process-task on B: {status} {body}")

    completed = wait_for(lambda: [e for e in stream.events("task.completed") if task_id in e["data"]], 15,
                         "instance A's stream to show the completion made by instance B")
    data = json.loads(completed[0]["data"])
    expect(data["worker_id"] == "instance-b" and data["result"] == {"attempt": 1},
           f"the completion seen on A says who ran it and what it returned: {data}")
    names = [e["event"] for e in stream.events() if task_id in e["data"]]
    expect(names == ["task.created", "task.started", "task.completed"], f"A's stream, in order: {names}")
    ids = [int(e["id"]) for e in stream.events()]
    expect(ids == sorted(ids) and len(set(ids)) == len(ids), f"event ids increase: {ids}")

    wait_for(lambda: task_stream.ended, 15, "/tasks/{id}/events to end after the final state")
    task_names = [e["event"] for e in task_stream.events()]
    expect(task_names[0] == "task.snapshot" and task_names[-1] == "task.completed"
           and task_names.count("task.progress") >= 1, f"one task's stream: {task_names}")
    wait_for(lambda: "reply" in waiter, 15, "GET ?wait=30 to answer")
    status, body = waiter["reply"]
    expect(status == 200 and json.loads(body)["status"] == "completed", f"?wait= answers with the final task: {body[:200]}")
    print("streams: A saw B's work:", " ".join(names))
    print("one task's stream:", " ".join(task_names))
    print("\n".join(["transcript of curl -N /tasks/{id}/events:"] + ["  " + line for line in task_stream.lines[:12]]))
    return task_id


def check_metrics(port_a):
    status, text = request(port_a, "GET", "/metrics", token=None)
    expect(status == 401, f"/metrics without the token: {status}")
    status, text = request(port_a, "GET", "/metrics")
    expect(status == 200 and "agent_scheduler_queue_tasks" in text, f"/metrics: {status}")
    lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    expect(lint.returncode == 0, f"promtool check metrics: {lint.returncode} {lint.stdout} {lint.stderr}")
    print("promtool check metrics: clean,", len(text.splitlines()), "lines")


def check_prometheus(port_a, port_b):
    port = free_port()
    config = os.path.join(WORK, "prometheus.yml")
    with open(config, "w") as file:
        file.write(f"""
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: agent-scheduler
    authorization:
      type: Bearer
      credentials: {TOKEN}
    static_configs:
      - targets: ["127.0.0.1:{port_a}", "127.0.0.1:{port_b}"]
""")
    log = open(os.path.join(WORK, "prometheus.log"), "w")
    process = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(WORK, 'tsdb')}",
         f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    PROCESSES.append(process)

    def query(expression):
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expression})
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)["data"]["result"]
        except (OSError, KeyError, ValueError):
            return None

    wait_for(lambda: (query('up{job="agent-scheduler"} == 1') or []).__len__() == 2, 60,
             "Prometheus to scrape both instances successfully")
    completed = wait_for(lambda: query('sum(agent_scheduler_tasks_completed_total{task_type="probe"})'), 30,
                         "Prometheus to have the completion counter")
    expect(float(completed[0]["value"][1]) >= 1, f"completions in Prometheus: {completed}")
    requests = wait_for(lambda: query('sum by (http_route) (agent_scheduler_http_requests_total)'), 30,
                        "Prometheus to have the HTTP request counter")
    routes = {r["metric"].get("http_route") for r in requests}
    expect("/tasks" in routes and "/process-task" in routes, f"HTTP requests by route: {routes}")
    depth = wait_for(lambda: query("agent_scheduler_queue_oldest_due_age_seconds"), 30, "the queue gauges")
    print("prometheus: both targets up; completions", completed[0]["value"][1], "; routes", sorted(routes),
          "; oldest-due gauges", len(depth))


def main():
    try:
        port_a = serve("instance-a")
        port_b = serve("instance-b")
        check_streams(port_a, port_b)
        check_metrics(port_a)
        check_prometheus(port_a, port_b)
        print("observability: all checks passed")
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        for name in sorted(os.listdir(WORK)):
            if name.endswith(".log"):
                print(f"--- {name} (last lines)", file=sys.stderr)
                with open(os.path.join(WORK, name)) as file:
                    print("".join(file.readlines()[-25:]), file=sys.stderr)
        sys.exit(1)
    finally:
        for process in PROCESSES:
            process.terminate()
        for process in PROCESSES:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
