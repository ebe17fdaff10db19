"""What every reliability scenario uses: the binary and cluster under test, the work
folder, waits with deadlines, psql, and `agent-scheduler serve` processes."""

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
CLUSTER_URL = os.environ["POSTGRES_CLUSTER_URL"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-reliability.")
RESULTS = os.environ.get("RELIABILITY_RESULTS", "reliability-results.json")
PYTHON_WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "python-worker", "worker.py")


class ScenarioFailed(Exception):
    """A check failed; the message says which and with what values."""


def expect(condition, message):
    if not condition:
        raise ScenarioFailed(message)


def wait_for(condition, timeout, what):
    """Polls `condition` every 100 ms until it holds; fails naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return
        if time.monotonic() > deadline:
            raise ScenarioFailed(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# MARK: databases


def psql(url, sql):
    """Runs `sql` and returns its rows as lists of strings."""
    done = subprocess.run(
        ["psql", "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True, text=True)
    if done.returncode != 0:
        raise ScenarioFailed(f"psql failed: {done.stderr.strip()}\n{sql}")
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def scalar(url, sql):
    return psql(url, sql)[0][0]


def postgres_database(name):
    """A new, migrated database `reliability_<name>` in the throwaway cluster; returns its URL."""
    database = f"reliability_{name}"
    psql(CLUSTER_URL, f"DROP DATABASE IF EXISTS {database}")
    psql(CLUSTER_URL, f"CREATE DATABASE {database}")
    url = CLUSTER_URL.replace("/postgres?", f"/{database}?")
    migrate(url)
    return url


def migrate(url):
    done = subprocess.run([BINARY, "migrate", "--database-url", url], capture_output=True, text=True)
    expect(done.returncode == 0, f"migrate failed: {done.stderr}")


def cluster(command):
    """Calls a function of scripts/postgres-cluster.sh (stop/start the server)."""
    subprocess.run(["bash", "-c", f"source scripts/postgres-cluster.sh && {command}"], check=True)


def status_counts(url):
    return {status: int(count) for status, count in psql(url, "SELECT status, count(*) FROM agent_tasks GROUP BY 1")}


def unfinished(url):
    return int(scalar(url, "SELECT count(*) FROM agent_tasks WHERE status IN ('pending', 'processing')"))


def completion_check(url):
    """Per task: rows in the log without an error (completions), and tasks whose number
    of completions is not exactly one for `completed` and zero otherwise."""
    row = psql(url, """
        WITH successes AS (
            SELECT context_id AS id, count(*) AS n FROM agent_actions_log WHERE error IS NULL GROUP BY 1)
        SELECT
            count(*) FILTER (WHERE t.status = 'completed' AND COALESCE(s.n, 0) = 0),
            count(*) FILTER (WHERE COALESCE(s.n, 0) > 1),
            count(*) FILTER (WHERE t.status <> 'completed' AND COALESCE(s.n, 0) > 0),
            count(*) FILTER (WHERE t.status = 'processing')
        FROM agent_tasks t LEFT JOIN successes s USING (id)
        """)[0]
    lost, duplicated, stray, processing = map(int, row)
    expect(lost == 0, f"{lost} completed tasks have no completed attempt in the log")
    expect(duplicated == 0, f"{duplicated} tasks completed more than once")
    expect(stray == 0, f"{stray} tasks have a completed attempt but are not completed")
    expect(processing == 0, f"{processing} tasks stayed processing")
    return {"duplicates": duplicated, "lost": lost, "left_processing": processing}


def insert_probes(url, count, context, priority="'medium'", task_type="probe"):
    psql(url, f"""
        INSERT INTO agent_tasks (task_type, agent_type, priority, context_json, scheduled_for)
        SELECT '{task_type}', 'reliability', {priority}, {context}, now()
        FROM generate_series(1, {count}) AS i
        """)


# MARK: engine processes


ENGINES = []


class EngineProcess:
    """One `agent-scheduler serve` process, its log in the work folder; those a failed
    scenario leaves running are killed before the next one starts."""

    def __init__(self, name, database_url, **settings):
        ENGINES.append(self)
        self.name = name
        self.port = free_port()
        self.log_path = os.path.join(WORK, f"{name}.log")
        environment = {"PATH": os.environ["PATH"], "WORKER_ID": name, "LOG_LEVEL": "info"}
        environment.update({key: str(value) for key, value in settings.items()})
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [BINARY, "serve", "--no-migrate", "--database-url", database_url, "--port", str(self.port)],
                env=environment, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.health()[0] == 200 or not self.alive(), 60, f"{name} to answer /health")
        expect(self.alive(), f"{name} exited at start:\n{self.log()}")

    def health(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError as error:
            return 0, str(error)

    def alive(self):
        return self.process.poll() is None

    def log(self):
        with open(self.log_path) as log:
            return log.read()

    def count_in_log(self, text):
        return self.log().count(text)

    def send(self, sig):
        self.process.send_signal(sig)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self, timeout=60):
        """SIGTERM; returns (exit code, seconds to exit)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise ScenarioFailed(f"{self.name} did not exit within {timeout} s of SIGTERM")
        return code, round(time.monotonic() - started, 2)

    def stop_cleanly(self):
        code, seconds = self.stop()
        expect(code == 0, f"{self.name} exited {code} after SIGTERM:\n{self.log()[-3000:]}")
        return seconds
