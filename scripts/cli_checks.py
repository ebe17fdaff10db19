"""The CLI as a newcomer meets it (run by scripts/first-minutes): it says which database
each command used and when it created one, read-only commands create nothing and say
when there is no schema, mistyped settings and subcommands get suggestions, and errors
name flags and every bad line.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-cli.")


def run(*arguments, cwd=WORK, **settings):
    env = {"PATH": os.environ["PATH"], "LOG_LEVEL": "warning"}
    env.update(settings)
    done = subprocess.run([BINARY, *arguments], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def expect(condition, message):
    if not condition:
        sys.exit(f"FAIL {message}")


def fresh_folder(name):
    folder = os.path.join(WORK, name)
    os.makedirs(folder)
    return folder


def read_only_commands_create_nothing():
    empty = fresh_folder("empty")
    for command in (["tasks", "list"], ["tasks", "show", "00000000-0000-4000-8000-000000000000"], ["stats"], ["handlers"],
                    ["schedules", "list"], ["task-types", "list"]):
        code, _, stderr = run(*command, cwd=empty)
        expect(code != 0 and "no database at agent-scheduler.sqlite" in stderr and "DATABASE_URL is not set" in stderr,
               f"{command} without a database: exit {code}\n{stderr}")
    expect(os.listdir(empty) == [], f"read-only commands created {os.listdir(empty)}")
    code, _, stderr = run("enqueue", "noop", cwd=empty)
    expect(code == 0 and "database: SQLite file" in stderr and "(new: created it)" in stderr, f"first enqueue:\n{stderr}")
    code, stdout, stderr = run("tasks", "list", cwd=empty)
    lines = [line for line in stderr.splitlines() if line.strip()]
    short = stdout.splitlines()[1].split()[0][:8]
    shown_code, shown, shown_err = run("tasks", "show", short, cwd=empty)
    expect(shown_code == 0 and json.loads(shown)["id"].startswith(short), f"tasks show {short}:\n{shown}{shown_err}")
    expect(code == 0 and len(lines) == 1 and lines[0].startswith("database: SQLite file") and "new" not in lines[0],
           f"tasks list names its database in one line:\n{stderr}")
    print("ok   read-only commands create no database; every command names the one it used")


def missing_schema_is_one_line():
    folder = fresh_folder("foreign")
    path = os.path.join(folder, "other.sqlite")
    sqlite3.connect(path).execute("CREATE TABLE unrelated (a)").connection.commit()
    for command in (["tasks", "list"], ["stats"], ["serve", "--no-migrate", "--until-idle"],
                    ["serve", "--no-migrate", "--port", str(free_port())]):
        code, _, stderr = run(*command, DATABASE_URL=path)
        errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
        expect(code != 0 and len(errors) == 1 and "run `agent-scheduler migrate`" in errors[0]
               and "no such table" not in stderr, f"{command} on a database without the schema: exit {code}\n{stderr}")
    print("ok   a database without the schema is one line naming `agent-scheduler migrate`, and a non-zero exit")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def suggestions_and_flags():
    code, stdout, _ = run("--version")
    expect(code == 0 and stdout.strip() and stdout.strip()[0].isdigit(), f"--version printed {stdout!r}")
    code, _, stderr = run("tasks", "shwo")
    expect(code != 0 and "did you mean 'show'?" in stderr, f"tasks shwo:\n{stderr}")
    code, _, stderr = run("migrate", DATABSE_URL=os.path.join(WORK, "typo.sqlite"))
    expect("DATABSE_URL is set, but no setting has that name: did you mean DATABASE_URL?" in stderr, f"a mistyped setting:\n{stderr}")
    code, stdout, _ = run("tasks", "show", "--help")
    expect("retention" not in stdout, "tasks show's usage lists the retention settings")
    database = os.path.join(WORK, "flags.sqlite")
    code, stdout, stderr = run("prune", "--dry-run", DATABASE_URL=database)
    expect(code == 0 and "would_delete" in json.loads(stdout) and "deleted" not in json.loads(stdout),
           f"prune --dry-run says what it would delete:\n{stdout}{stderr}")
    code, _, stderr = run("enqueue", "schedule_followup", "--context", "{}", DATABASE_URL=database)
    expect(code != 0 and "invalid --user" in stderr and "user_id" not in stderr, f"an enqueue error names the flag:\n{stderr}")
    code, _, stderr = run("enqueue", "noop", "--context", '{"a": 1,}', DATABASE_URL=database)
    expect(code != 0 and "--context is not valid JSON" in stderr, f"a trailing comma in --context:\n{stderr}")
    lines = os.path.join(WORK, "tasks.jsonl")
    with open(lines, "w") as out:
        out.write('{"task_type": "noop"}\n{"task_type": 5}\nnot json\n{"task_type": "nope"}\n')
    code, _, stderr = run("enqueue", "--file", lines, DATABASE_URL=database)
    expect(code != 0 and all(f"tasks.jsonl:{n}:" in stderr for n in (2, 3, 4)) and "none was" in stderr,
           f"enqueue --file reports every bad line:\n{stderr}")
    print("ok   --version, suggestions for mistyped commands and settings, usage per command, flags named in errors")


def until_idle_beside_serve():
    database = os.path.join(WORK, "served.sqlite")
    port = free_port()
    env = {"PATH": os.environ["PATH"], "LOG_LEVEL": "warning", "DATABASE_URL": database}
    with open(os.path.join(WORK, "serve.log"), "w") as log:
        server = subprocess.Popen([BINARY, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except Exception:
                expect(time.monotonic() < deadline and server.poll() is None, "serve did not answer /health")
                time.sleep(0.1)
        code, _, stderr = run("serve", "--until-idle", DATABASE_URL=database)
        expect(code != 0 and "already using SQLite file" in stderr, f"serve --until-idle beside serve: exit {code}\n{stderr}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("ok   serve --until-idle is refused beside a serve on the same SQLite file")


def python_worker_unreachable():
    worker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "python-worker", "worker.py")
    done = subprocess.run([sys.executable, worker, "--url", f"http://127.0.0.1:{free_port()}", "--types", "render", "--idle-exit"],
                          capture_output=True, text=True, timeout=60)
    expect(done.returncode != 0 and "cannot reach the scheduler" in done.stderr and "connection refused" in done.stderr
           and "Traceback" not in done.stderr, f"the Python worker on a closed port:\n{done.stderr}")
    print("ok   the Python worker says in one line that it cannot reach the scheduler")


if __name__ == "__main__":
    read_only_commands_create_nothing()
    missing_schema_is_one_line()
    suggestions_and_flags()
    until_idle_beside_serve()
    python_worker_unreachable()
