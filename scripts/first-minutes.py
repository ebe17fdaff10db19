"""What a new user meets in the first minutes, checked on the release binary by
scripts/first-minutes: start-up refusals (run many times, since a crash there came and
went), a port in use, a second server on one SQLite file, a database that does not
answer, shutdown on the first and the second signal, CLI commands reaching a running
server at once, the CLI's help and errors, and the quick start's own commands.

Every check is made on exit codes, printed lines and the database; waits poll a
condition with a deadline.
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-first-minutes.")
REFUSAL_RUNS = int(os.environ.get("REFUSAL_RUNS", "15"))
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


class CheckFailed(Exception):
    """A check failed; the message says which and with what values."""


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(**settings):
    env = {"PATH": os.environ["PATH"], "LOG_LEVEL": "info"}
    env.update({key: str(value) for key, value in settings.items()})
    return env


def run(*arguments, timeout=30, **settings):
    """Runs a one-shot command; returns (exit code, stdout, stderr, seconds)."""
    started = time.monotonic()
    done = subprocess.run([BINARY, *arguments], capture_output=True, text=True, timeout=timeout,
                          cwd=WORK, env=environment(**settings), stdin=subprocess.DEVNULL)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def health(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


SERVERS = []


class Server:
    """An `agent-scheduler serve` process with its log; any left running are killed at the end."""

    def __init__(self, name, database, port=None, **settings):
        SERVERS.append(self)
        self.port = port or free_port()
        self.log_path = os.path.join(WORK, f"{name}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [BINARY, "serve"], cwd=WORK, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=environment(DATABASE_URL=database, PORT=self.port, **settings))

    def text(self):
        with open(self.log_path) as log:
            return log.read()

    def wait_healthy(self):
        wait_for(lambda: health(self.port) == 200, 30, f"/health on port {self.port}")

    def stop(self, sig=signal.SIGTERM):
        """Signals the process and returns (exit code, seconds to exit)."""
        started = time.monotonic()
        self.process.send_signal(sig)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code, time.monotonic() - started


def task_rows(path, sql, *parameters):
    with sqlite3.connect(path, timeout=10) as connection:
        return connection.execute(sql, parameters).fetchall()


# MARK: checks


def refusals():
    """A public HOST without a token, a token set but empty: refused with a message and
    exit code 1, every time, quickly, with nothing opened."""
    cases = [
        ({"HOST": "0.0.0.0"}, "set SCHEDULER_API_TOKEN"),
        ({"HOST": "::"}, "set SCHEDULER_API_TOKEN"),
        ({"HOST": "10.1.2.3"}, "set SCHEDULER_API_TOKEN"),
        ({"HOST": "0.0.0.0", "SCHEDULER_API_TOKEN": ""}, "SCHEDULER_API_TOKEN is set but empty"),
    ]
    slowest = 0.0
    for settings, phrase in cases:
        for _ in range(REFUSAL_RUNS):
            code, _, stderr, seconds = run("serve", DATABASE_URL=os.path.join(WORK, "refusal.sqlite"), **settings)
            expect(code == 1, f"{settings}: exit code {code}, expected 1\n{stderr}")
            expect(phrase in stderr and "HOST (--host)" in stderr, f"{settings}: the refusal does not say why:\n{stderr}")
            expect("not closed before deinitializing" not in stderr, f"{settings}: crashed on an open connection")
            slowest = max(slowest, seconds)
    expect(slowest < 5, f"a refusal took {slowest:.1f} s")
    expect(not os.path.exists(os.path.join(WORK, "refusal.sqlite")), "a refused start created the database file")
    return {"runs": REFUSAL_RUNS * len(cases), "slowest_s": round(slowest, 2)}


def task_type_and_webhook_refusals():
    """A remote type named like a built-in handler, a task-types file that is missing or
    wrong, a webhook URL that is not http(s): each stops `serve` with exit code 1 and a
    message naming the setting and what is wrong."""
    bad_file = os.path.join(WORK, "task-types.json")
    with open(bad_file, "w") as out:
        out.write('{"task_types": {"transcribe": {"remote": true, "lease_seconds": 0}}}')
    bad_schedules = os.path.join(WORK, "schedules.json")
    with open(bad_schedules, "w") as out:
        out.write('{"schedules": [{"name": "digest", "task_type": "noop", "cron": "0 9 * * MON-FRY"}]}')
    unknown_type = os.path.join(WORK, "schedules-unknown.json")
    with open(unknown_type, "w") as out:
        out.write('{"schedules": [{"name": "digest", "task_type": "daily_digest", "cron": "0 9 * * 1-5"}]}')
    cases = [
        ({"SCHEDULES_FILE": bad_schedules}, "schedule 'digest': cron '0 9 * * MON-FRY': the day-of-week field"),
        ({"SCHEDULES_FILE": unknown_type}, "schedule 'digest': unknown task type 'daily_digest'"),
        ({"REMOTE_TASK_TYPES": "noop"}, "task type 'noop' is declared remote"),
        ({"TASK_TYPES_FILE": os.path.join(WORK, "missing.json")}, "TASK_TYPES_FILE (--task-types-file)"),
        ({"TASK_TYPES_FILE": bad_file}, "task_types.transcribe.lease_seconds must be a whole number from 1 to 86400"),
        ({"WEBHOOK_URLS": "ftp://example.com/hook"}, "WEBHOOK_URLS (--webhook-urls)"),
        ({"WEBHOOK_URLS": "http://127.0.0.1:9/hook"}, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true"),
        ({"TASK_LIMITS": "noop:concurrency=0"}, "concurrency must be a whole number above zero, not '0'"),
        ({"TASK_LIMITS": "nope:concurrency=2"}, "limits task type 'nope', which no handler here runs"),
        ({"RETENTION_COMPLETED": "two weeks"}, "RETENTION_COMPLETED (--retention-completed) has the invalid value"),
    ]
    for settings, phrase in cases:
        code, _, stderr, seconds = run("serve", DATABASE_URL=os.path.join(WORK, "declarations.sqlite"), **settings)
        expect(code == 1, f"{settings}: exit code {code}, expected 1\n{stderr}")
        expect(phrase in stderr, f"{settings}: the refusal does not say why:\n{stderr}")
        expect(seconds < 5, f"{settings}: the refusal took {seconds:.1f} s")
    return {"cases": len(cases)}


def schedule_refusals():
    """`schedules add` with a cron expression or time zone that is wrong: exit code 1, the
    field named, a caret under the fault, nothing stored; a good one shows its next runs.
    Then `task-types pause` of an unknown type and of noop, `task-types list`, and
    `prune --dry-run`."""
    database = os.path.join(WORK, "schedules.sqlite")
    code, _, stderr, _ = run("schedules", "add", "digest", "--type", "noop", "--cron", "0 25 * * *", DATABASE_URL=database)
    expect(code == 1, f"a bad cron: exit code {code}\n{stderr}")
    expect("the hour field at column 3: '25' is out of range 0-23" in stderr and "\n    ^^" in stderr,
           f"a bad cron is not shown where it is wrong:\n{stderr}")
    code, _, stderr, _ = run("schedules", "add", "digest", "--type", "noop", "--cron", "0 9 * * 1-5",
                             "--timezone", "Europe/Zurch", DATABASE_URL=database)
    expect(code == 1 and "'Europe/Zurch' is not an IANA time zone" in stderr, f"a bad time zone:\n{stderr}")
    code, stdout, stderr, _ = run("schedules", "list", DATABASE_URL=database)
    expect(code == 0 and "no schedules" in stdout, f"refused schedules were stored:\n{stdout}{stderr}")
    code, stdout, stderr, _ = run("schedules", "add", "digest", "--type", "noop", "--cron", "0 9 * * 1-5",
                                  "--timezone", "Europe/Zurich", DATABASE_URL=database)
    expect(code == 0, f"a good schedule was refused:\n{stderr}")
    runs = json.loads(stdout)["next_runs"]
    expect(len(runs) == 5, f"next_runs: {runs}")
    code, _, stderr, _ = run("task-types", "pause", "nope", DATABASE_URL=database)
    expect(code == 1 and "no task type 'nope'" in stderr, f"pausing an unknown type:\n{stderr}")
    code, stdout, stderr, _ = run("task-types", "pause", "noop", DATABASE_URL=database)
    expect(code == 0 and json.loads(stdout)["paused"] is True, f"pausing noop:\n{stdout}{stderr}")
    code, stdout, _, _ = run("task-types", "list", DATABASE_URL=database)
    expect(any(line.split()[:1] == ["noop"] and "paused since" in line for line in stdout.splitlines()),
           f"task-types list does not show noop paused:\n{stdout}")
    code, stdout, stderr, _ = run("prune", "--dry-run", DATABASE_URL=database)
    expect(code == 0 and json.loads(stdout)["dry_run"] is True, f"prune --dry-run:\n{stdout}{stderr}")
    # A schedules file: written when serve starts, the API-added schedule left in place.
    declared = os.path.join(WORK, "schedules-good.json")
    with open(declared, "w") as out:
        out.write('{"schedules": [{"name": "hourly", "task_type": "noop", "cron": "@hourly", "context": {"k": 1}}]}')
    server = Server("schedules", database, SCHEDULES_FILE=declared)
    server.wait_healthy()
    wait_for(lambda: "wrote declared schedules" in server.text(), 10, "the declared schedules to be written")
    code, stdout, stderr, _ = run("schedules", "list", "--json", DATABASE_URL=database)
    names = sorted(schedule["name"] for schedule in json.loads(stdout))
    expect(code == 0 and names == ["digest", "hourly"], f"schedules after serve with SCHEDULES_FILE: {names}\n{stderr}")
    server.stop()
    return {"next_runs_shown": len(runs), "schedules": names}


def port_in_use():
    """A second server on a taken port says which address and how to pick another, and
    never starts its engine: a task due in its database stays pending."""
    first = Server("port-first", os.path.join(WORK, "port-first.sqlite"))
    first.wait_healthy()
    second_db = os.path.join(WORK, "port-second.sqlite")
    code, stdout, _, _ = run("enqueue", "noop", DATABASE_URL=second_db)
    expect(code == 0, "enqueue into the second database failed")
    code, _, stderr, seconds = run("serve", DATABASE_URL=second_db, PORT=first.port)
    expect(code != 0, "a second server on a taken port exited 0")
    expect(f"cannot listen on 127.0.0.1:{first.port}" in stderr and "PORT" in stderr,
           f"the port-in-use message does not name the address and PORT:\n{stderr}")
    expect("engine started" not in stderr, "the engine started although the port was taken")
    statuses = task_rows(second_db, "SELECT status FROM agent_tasks")
    expect(statuses == [("pending",)], f"the second server touched its tasks: {statuses}")
    first.stop()
    return {"seconds": round(seconds, 2)}


def one_server_per_sqlite_file():
    path = os.path.join(WORK, "shared.sqlite")
    first = Server("shared-first", path)
    first.wait_healthy()
    code, _, stderr, _ = run("serve", DATABASE_URL=path, PORT=free_port())
    expect(code != 0 and "already using SQLite file" in stderr and f"pid {first.process.pid}" in stderr,
           f"a second server on one SQLite file was not refused naming the first:\n{stderr}")
    first.stop()
    second = Server("shared-second", path)
    second.wait_healthy()
    second.stop()
    return {}


def unreachable_database():
    """One-shot commands give up after DATABASE_CONNECT_TIMEOUT_MS with one line; serve
    says once that it waits, answers /health 503 meanwhile, and stops at once."""
    closed = free_port()
    url = f"postgres://app@127.0.0.1:{closed}/tasks?sslmode=disable"
    for command in (["migrate"], ["tasks", "list"], ["enqueue", "noop"]):
        code, _, stderr, seconds = run(*command, DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT_MS=1500)
        lines = [line for line in stderr.splitlines() if line.strip()]
        expect(code != 0, f"{command}: exit code 0 against a closed port")
        expect(len(lines) == 1 and f"127.0.0.1:{closed}" in lines[0] and "connection refused" in lines[0],
               f"{command}: expected one line naming the address and the reason, got:\n{stderr}")
        expect(1.4 < seconds < 8, f"{command}: gave up after {seconds:.1f} s, expected about 1.5 s")
    server = Server("waiting", url)
    wait_for(lambda: "waiting for the database" in server.text(), 20, "serve to say it waits")
    expect(health(server.port) == 503, "/health did not answer 503 while the database is down")
    time.sleep(1.5)  # let several retries pass: the message must still have appeared once
    expect(server.text().count("waiting for the database") == 1, "serve repeated the waiting message")
    code, seconds = server.stop(signal.SIGINT)
    expect(code == 0 and seconds < 3, f"serve waiting for the database stopped with {code} after {seconds:.1f} s")
    return {}


def shutdown():
    """An idle server exits at once and says so; a busy one says what it waits for, and a
    second signal releases its running task at once, uncharged."""
    path = os.path.join(WORK, "shutdown.sqlite")
    idle = Server("idle", path)
    idle.wait_healthy()
    code, seconds = idle.stop(signal.SIGINT)
    expect(code == 0 and seconds < 2, f"an idle server took {seconds:.1f} s (exit {code})")
    expect("received SIGINT: stopping" in idle.text(), "nothing was logged when the signal arrived")

    code, stdout, _, _ = run("enqueue", "probe", "--context", '{"duration_ms": 600000}', DATABASE_URL=path)
    busy = Server("busy", path)
    wait_for(lambda: task_rows(path, "SELECT status FROM agent_tasks WHERE task_type = 'probe'") == [("processing",)],
             20, "the probe to run")
    busy.process.send_signal(signal.SIGTERM)
    wait_for(lambda: "waiting up to 10 s for 1 running task" in busy.text(), 10, "the stopping message")
    code, seconds = busy.stop(signal.SIGTERM)
    expect(code == 0 and seconds < 3, f"the second signal took {seconds:.1f} s to stop the server (exit {code})")
    rows = task_rows(path, "SELECT status, retry_count, attempts FROM agent_tasks WHERE task_type = 'probe'")
    expect(rows == [("pending", 0, 0)], f"the running task was not released uncharged: {rows}")
    return {"idle_stop_s": round(seconds, 2)}


def cli_reaches_running_server():
    """Tasks enqueued or retried by the CLI (another process) start at once on a running
    SQLite server, not at the next 30 s poll."""
    path = os.path.join(WORK, "cli.sqlite")
    server = Server("cli", path)
    server.wait_healthy()
    delays = []
    for _ in range(5):
        code, stdout, stderr, _ = run("enqueue", "noop", DATABASE_URL=path)
        expect(code == 0, f"enqueue failed: {stderr}")
        task_id = stdout.split('"id" : "')[1].split('"')[0]
        wait_for(lambda: task_rows(path, "SELECT status FROM agent_tasks WHERE id = ?", task_id) == [("completed",)],
                 5, "a CLI-enqueued task to complete")
        created, started = task_rows(path, """
            SELECT t.created_at, l.started_at FROM agent_tasks t JOIN agent_actions_log l ON l.context_id = t.id
            WHERE t.id = ?""", task_id)[0]
        delays.append(seconds_between(created, started))
    expect(max(delays) < 1, f"CLI-enqueued tasks started after {max(delays):.2f} s")
    expect("task completed" in server.text() and "task_type=noop" in server.text(),
           "no log line for the finished attempts")
    server.stop()
    return {"slowest_start_s": round(max(delays), 3)}


def seconds_between(earlier, later):
    from datetime import datetime
    parse = lambda text: datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    return (parse(later) - parse(earlier)).total_seconds()


def cli_help_and_errors():
    code, _, stderr, _ = run("task", "list")
    expect(code == 64 and "unknown command 'task'" in stderr and "did you mean 'tasks'" in stderr,
           f"a mistyped command: exit {code}\n{stderr}")
    code, _, stderr, _ = run("enqueue", "noop", "--context", "not json")
    expect(code != 0 and "--context is not valid JSON" in stderr, f"--context 'not json':\n{stderr}")
    code, _, stderr, _ = run("tasks", "list", "--limit", "0")
    expect(code != 0 and "--limit must be" in stderr, f"--limit 0:\n{stderr}")
    lines = os.path.join(WORK, "tasks.jsonl")
    with open(lines, "w") as out:
        out.write('{"task_type": "noop"}\n{"task_type": "teleport"}\n')
    code, _, stderr, _ = run("enqueue", "--file", lines, DATABASE_URL=os.path.join(WORK, "file.sqlite"))
    expect(code != 0 and "tasks.jsonl:2: unknown task type 'teleport'" in stderr and "Usage" not in stderr,
           f"enqueue --file with a bad line:\n{stderr}")
    _, help_text, _, _ = run("enqueue", "--help")
    expect("--port" not in help_text and "--database-url" in help_text, "enqueue --help lists server settings")
    _, help_text, _, _ = run("serve", "--help")
    help_text = " ".join(help_text.split())
    expect("default 8080" in help_text and "default 127.0.0.1" in help_text, "serve --help does not show defaults")
    return {}


def quick_start():
    """The README's quick start: load the samples (twice), run what is due, read the summary."""
    path = os.path.join(WORK, "quick.sqlite")
    sql = os.path.join(FIXTURES, "sample_data.sql")
    for _ in range(2):
        code, stdout, stderr, _ = run("load-sql", sql, DATABASE_URL=path)
        expect(code == 0 and "ran 13 statements" in stdout, f"load-sql sample_data.sql: {stderr}")
    code, stdout, stderr, _ = run("load-tasks", os.path.join(FIXTURES, "sample_tasks.json"), DATABASE_URL=path)
    expect(code == 0 and "inserted" in stdout, f"load-tasks: {stderr}")
    code, _, stderr, _ = run("serve", "--until-idle", DATABASE_URL=path)
    expect(code == 0 and "no due tasks left: processed" in stderr and "completed," in stderr,
           f"serve --until-idle did not end with a summary:\n{stderr[-500:]}")
    return {}


CHECKS = {
    "refusals": refusals,
    "declaration-refusals": task_type_and_webhook_refusals,
    "schedule-refusals": schedule_refusals,
    "port-in-use": port_in_use,
    "sqlite-one-server": one_server_per_sqlite_file,
    "unreachable-database": unreachable_database,
    "shutdown": shutdown,
    "cli-wakes-server": cli_reaches_running_server,
    "cli-help": cli_help_and_errors,
    "quick-start": quick_start,
}


def main():
    failed = 0
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            figures = check()
            print(f"PASS {name} ({time.monotonic() - started:.1f} s) {figures or ''}", flush=True)
        except (CheckFailed, subprocess.TimeoutExpired) as error:
            failed += 1
            print(f"FAIL {name}: {error}", flush=True)
    for server in SERVERS:
        if server.process.poll() is None:
            server.process.kill()
    print(f"logs in {WORK}")
    print(f"first-minutes: {len(CHECKS) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
