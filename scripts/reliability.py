"""The reliability scenarios of RELIABILITY.md, run by scripts/reliability.

Each scenario starts `agent-scheduler serve` processes (the release binary) against its
own PostgreSQL database or SQLite file, does something unkind to them (many instances,
kill -9, SIGSTOP, a database outage, a locked file, SIGTERM under load), waits for the
work to settle and then checks in the database that every task ended exactly once and
no attempt was lost or doubled. Waits poll a condition with a deadline; the only fixed
waits are the outage itself and the lock held on the SQLite file.
"""

import hashlib
import hmac
import http.server
import json
import os
import threading
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from reliability_support import (
    BINARY, CLUSTER_URL, ENGINES, PYTHON_WORKER, RESULTS, WORK, EngineProcess, ScenarioFailed, cluster,
    completion_check, expect, free_port, insert_probes, migrate, postgres_database, psql, scalar, status_counts,
    unfinished, wait_for)
from reliability_chaos import terminated_backends


# MARK: scenarios


def many_instances():
    """4 processes, 20,000 tasks of four priorities, a tenth failing once, a fiftieth
    twice, a hundredth four times (more than max_retries 3, so failed for good)."""
    url = postgres_database("instances")
    base_ms = 200
    engines = [EngineProcess(f"instance-{n}", url, WORKER_CONCURRENCY=50, MAX_TASKS_PER_POLL=50,
                             RETRY_BASE_DELAY_MS=base_ms) for n in range(1, 5)]
    started = time.monotonic()
    psql(url, """
        INSERT INTO agent_tasks (task_type, agent_type, priority, context_json, scheduled_for, max_retries)
        SELECT 'probe', 'reliability', (ARRAY['urgent', 'high', 'medium', 'low'])[1 + (hashtext(i::text) & 3)],
            CASE WHEN i % 10 = 0 THEN '{"fail_attempts": 1}' WHEN i % 25 = 1 THEN '{"fail_attempts": 2}'
                 WHEN i % 100 = 2 THEN '{"fail_attempts": 4}' ELSE '{}' END::jsonb,
            now(), 3
        FROM generate_series(1, 20000) AS i
        """)
    wait_for(lambda: unfinished(url) == 0, 600, "20,000 tasks to finish")
    seconds = time.monotonic() - started
    for engine in engines:
        engine.stop_cleanly()

    states = status_counts(url)
    expect(states == {"completed": 19800, "failed": 200}, f"final states {states}, expected 19,800 completed, 200 failed")
    figures = completion_check(url)
    wrong = psql(url, """
        WITH expected AS (
            SELECT id, status, retry_count, max_retries,
                COALESCE((context_json->>'fail_attempts')::int, 0) AS fails FROM agent_tasks),
        attempts AS (
            SELECT context_id AS id, count(*) AS n, count(DISTINCT attempt) AS distinct_attempts,
                max(attempt) AS last FROM agent_actions_log GROUP BY 1)
        SELECT
            count(*) FILTER (WHERE e.status <> CASE WHEN e.fails > e.max_retries THEN 'failed' ELSE 'completed' END),
            count(*) FILTER (WHERE e.retry_count <> LEAST(e.fails, e.max_retries)),
            count(*) FILTER (WHERE COALESCE(a.n, 0) <> LEAST(e.fails, e.max_retries) + 1
                OR a.distinct_attempts <> a.n OR a.last <> a.n)
        FROM expected e LEFT JOIN attempts a USING (id)
        """)[0]
    wrong_state, wrong_retry_count, wrong_attempts = map(int, wrong)
    expect(wrong_state == 0, f"{wrong_state} tasks ended in the wrong state for their failures")
    expect(wrong_retry_count == 0, f"{wrong_retry_count} tasks have a retry_count the policy does not give")
    expect(wrong_attempts == 0, f"{wrong_attempts} tasks have missing, extra or repeated attempts in the log")

    # Attempts of one task must not overlap, and each retry starts no earlier than its
    # backoff (base * 2^(n-1) after attempt n ended); 1 ms allows for rounding to
    # microseconds in the database.
    timing = psql(url, f"""
        WITH ordered AS (
            SELECT started_at, lag(created_at) OVER w AS previous_end, lag(attempt) OVER w AS previous_attempt
            FROM agent_actions_log WINDOW w AS (PARTITION BY context_id ORDER BY attempt))
        SELECT
            count(*) FILTER (WHERE started_at < previous_end),
            count(*) FILTER (WHERE started_at < previous_end
                + ({base_ms} * 2 ^ (previous_attempt - 1) - 1) * interval '1 millisecond'),
            count(previous_end),
            COALESCE(round(max(extract(epoch FROM started_at - previous_end) * 1000
                - {base_ms} * 2 ^ (previous_attempt - 1))::numeric, 1), 0)
        FROM ordered
        """)[0]
    overlapping, early, retries, retry_lateness = int(timing[0]), int(timing[1]), int(timing[2]), float(timing[3])
    expect(overlapping == 0, f"{overlapping} attempts started before the previous attempt of their task ended")
    expect(early == 0, f"{early} retries started before their backoff ran out")

    # Priority: every task was due at the same instant, so a lower priority's first
    # attempt must not start while higher-priority first attempts are still to start.
    # Claims run concurrently in four processes, so starts at a priority boundary may
    # interleave by the time one claim takes; an engine that ignored priority would
    # show the whole run (seconds) here.
    inversion = float(scalar(url, """
        WITH firsts AS (
            SELECT t.priority_rank AS rank, min(l.started_at) AS first_start, max(l.started_at) AS last_start
            FROM agent_actions_log l JOIN agent_tasks t ON t.id = l.context_id
            WHERE l.attempt = 1 GROUP BY 1)
        SELECT COALESCE(round(max(extract(epoch FROM higher.last_start - lower.first_start) * 1000)::numeric, 1), 0)
        FROM firsts lower JOIN firsts higher ON higher.rank < lower.rank
        WHERE higher.last_start > lower.first_start
        """))
    expect(inversion < 1000, f"a lower priority started {inversion} ms before a higher one finished starting")
    per_worker = dict(psql(url, "SELECT worker_id, count(*) FROM agent_actions_log GROUP BY 1 ORDER BY 1"))
    expect(len(per_worker) == 4, f"expected attempts from 4 workers, got {per_worker}")
    return figures | {
        "processes": 4, "tasks": 20000, "completed": states["completed"], "failed": states["failed"],
        "attempts": sum(map(int, per_worker.values())), "attempts_per_worker": per_worker,
        "retries": retries, "overlapping_attempts": overlapping, "early_retries": early,
        "max_retry_lateness_ms": retry_lateness, "max_priority_interleave_ms": inversion,
        "seconds": round(seconds, 1),
    }


def start_long_tasks(url, name, duration_ms):
    """An engine with 2 s leases running 10 tasks of `duration_ms`; returns it once all
    ten are running there."""
    engine = EngineProcess(name, url, LEASE_SECONDS=2, RETRY_BASE_DELAY_MS=200, WORKER_CONCURRENCY=10)
    insert_probes(url, 10, f"'{{\"duration_ms\": {duration_ms}}}'")
    wait_for(lambda: scalar(url, f"SELECT count(*) FROM agent_tasks WHERE status = 'processing' AND locked_by = '{name}'") == "10",
             30, f"{name} to run all 10 tasks")
    return engine


def crash():
    """kill -9 in the middle of long handlers; a second process rescues the tasks."""
    url = postgres_database("crash")
    first = start_long_tasks(url, "crash-a", 4000)
    first.kill()
    killed = time.monotonic()
    second = EngineProcess("crash-b", url, LEASE_SECONDS=2, RETRY_BASE_DELAY_MS=200, WORKER_CONCURRENCY=10)
    wait_for(lambda: status_counts(url) == {"completed": 10}, 60, "the killed process's tasks to complete elsewhere")
    recovered = time.monotonic() - killed
    second.stop_cleanly()
    figures = completion_check(url)
    row = psql(url, """
        SELECT
            count(*) FILTER (WHERE worker_id = 'crash-a' AND error LIKE 'lease expired%'),
            count(*) FILTER (WHERE worker_id = 'crash-b' AND error IS NULL),
            (SELECT count(*) FROM agent_tasks WHERE retry_count = 1)
        FROM agent_actions_log
        """)[0]
    expired, completed_by_b, retried = map(int, row)
    expect(expired == 10, f"{expired} of 10 killed attempts were logged as 'lease expired'")
    expect(completed_by_b == 10, f"{completed_by_b} of 10 tasks completed by the surviving process")
    expect(retried == 10, f"{retried} of 10 tasks were charged the killed attempt")
    return figures | {"tasks": 10, "seconds_from_kill_to_all_completed": round(recovered, 1)}


def freeze():
    """SIGSTOP past the lease; another process re-claims; SIGCONT: the frozen process's
    late results must be refused (or its attempts cancelled when it sees the lost lease)."""
    url = postgres_database("freeze")
    frozen = start_long_tasks(url, "freeze-a", 3000)
    frozen.send(signal.SIGSTOP)
    other = EngineProcess("freeze-b", url, LEASE_SECONDS=2, RETRY_BASE_DELAY_MS=200, WORKER_CONCURRENCY=10)
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_tasks WHERE locked_by = 'freeze-b' OR status = 'completed'") == "10",
             30, "freeze-b to re-claim the frozen process's tasks")
    frozen.send(signal.SIGCONT)

    def frozen_verdicts():
        return (frozen.count_in_log("attempt result discarded"),
                frozen.count_in_log("attempt cancelled before it finished"))

    wait_for(lambda: sum(frozen_verdicts()) == 10, 30, "the resumed process to give up all 10 attempts")
    wait_for(lambda: status_counts(url) == {"completed": 10}, 30, "all 10 tasks to complete")
    frozen.stop_cleanly()
    other.stop_cleanly()
    figures = completion_check(url)
    completed_by_frozen = int(scalar(url, "SELECT count(*) FROM agent_actions_log WHERE worker_id = 'freeze-a' AND error IS NULL"))
    expect(completed_by_frozen == 0, f"the frozen process completed {completed_by_frozen} re-claimed tasks")
    discarded, cancelled = frozen_verdicts()
    return figures | {"tasks": 10, "late_results_refused": discarded, "attempts_cancelled_on_lost_lease": cancelled,
                      "completed_by_frozen_process": completed_by_frozen}


def outage():
    """PostgreSQL stopped for 10 s in the middle of 2,000 tasks, then started again."""
    url = postgres_database("outage")
    engine = EngineProcess("outage", url, LEASE_SECONDS=5, RETRY_BASE_DELAY_MS=200, WORKER_CONCURRENCY=10)
    insert_probes(url, 2000, "'{\"duration_ms\": 50}'")
    wait_for(lambda: status_counts(url).get("completed", 0) >= 200, 60, "work to be under way")
    cluster("stop_postgres_server")
    stopped = time.monotonic()
    wait_for(lambda: engine.health()[0] == 503, 15, "/health to answer 503 during the outage")
    unhealthy_after = time.monotonic() - stopped
    time.sleep(max(0.0, 10 - (time.monotonic() - stopped)))
    expect(engine.alive(), f"the engine exited during the outage:\n{engine.log()[-3000:]}")
    cluster("start_postgres_server")
    restarted = time.monotonic()
    wait_for(lambda: engine.health()[0] == 200, 30, "/health to answer 200 after the outage")
    healthy_after = time.monotonic() - restarted
    wait_for(lambda: scalar(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = 'reliability_outage' AND query ILIKE 'LISTEN%'") == "1",
             60, "the LISTEN connection to be re-established")
    listening_after = time.monotonic() - restarted
    wait_for(lambda: unfinished(url) == 0, 120, "the remaining tasks to finish after the outage")
    # Idle now, with a 30 s poll interval: a new task runs at once only if LISTEN works.
    inserted = time.monotonic()
    insert_probes(url, 1, "'{}'")
    wait_for(lambda: status_counts(url) == {"completed": 2001}, 10, "a task inserted after the outage to run without polling")
    pickup = time.monotonic() - inserted
    engine.stop_cleanly()
    figures = completion_check(url)
    rerun = int(scalar(url, "SELECT count(*) FROM agent_tasks WHERE retry_count > 0"))
    return figures | {
        "tasks": 2001, "outage_seconds": 10, "seconds_to_503": round(unhealthy_after, 1),
        "seconds_to_200_after_restart": round(healthy_after, 1),
        "seconds_to_listen_again": round(listening_after, 1),
        "pickup_after_outage_ms": round(pickup * 1000), "tasks_run_again_after_lost_results": rerun,
        "claim_errors_logged": engine.count_in_log("claim failed; will try again"),
    }


def sqlite_busy():
    """Another process holds the SQLite file's write lock for 8 s (longer than the 5 s
    busy timeout) while 200 tasks are being worked through."""
    path = os.path.join(WORK, "busy.sqlite")
    migrate(path)
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.executemany(
        "INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)"
        " VALUES ('probe', 'reliability', '{\"duration_ms\": 100}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        [()] * 200)
    # SQLite has no NOTIFY: the tasks go in first, so the engine finds them at start.
    engine = EngineProcess("sqlite-busy", path, WORKER_CONCURRENCY=5)

    def sqlite_counts():
        return dict(connection.execute("SELECT status, count(*) FROM agent_tasks GROUP BY 1").fetchall())

    wait_for(lambda: sqlite_counts().get("completed", 0) >= 20, 30, "work to be under way")
    connection.execute("BEGIN EXCLUSIVE")
    time.sleep(8)
    status, _ = engine.health()
    connection.execute("COMMIT")
    expect(engine.alive(), f"the engine exited while the file was locked:\n{engine.log()[-3000:]}")
    wait_for(lambda: sqlite_counts() == {"completed": 200}, 120, "all 200 tasks to complete after the lock")
    engine.stop_cleanly()
    row = connection.execute("""
        SELECT count(*) FILTER (WHERE n <> 1) FROM (
            SELECT t.id, (SELECT count(*) FROM agent_actions_log l WHERE l.context_id = t.id AND l.error IS NULL) AS n
            FROM agent_tasks t)
        """).fetchone()
    expect(row[0] == 0, f"{row[0]} tasks were not completed exactly once")
    busy_errors = engine.count_in_log("claim failed; will try again") + engine.count_in_log("could not record attempt results")
    expect(busy_errors > 0, "the lock never made the engine wait past its busy timeout; the scenario proved nothing")
    return {"tasks": 200, "lock_seconds": 8, "busy_errors_retried": busy_errors, "health_while_locked": status,
            "duplicates": 0, "lost": 0}


def shutdown_under_load():
    """SIGTERM while 20,000 noop tasks flow, 20 one-second tasks run (they must finish
    within the 3 s grace) and 10 one-minute tasks run (they must be released)."""
    url = postgres_database("shutdown")
    engine = EngineProcess("shutdown", url, WORKER_CONCURRENCY=100, MAX_TASKS_PER_POLL=100, SHUTDOWN_GRACE_MS=3000)
    insert_probes(url, 10, "'{\"duration_ms\": 60000}'", priority="'urgent'")
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_tasks WHERE status = 'processing'") == "10", 30, "the long tasks to start")
    insert_probes(url, 20000, "'{}'", task_type="noop")
    wait_for(lambda: status_counts(url).get("completed", 0) >= 2000, 60, "the noop load to be under way")
    insert_probes(url, 20, "'{\"duration_ms\": 1000}'", priority="'urgent'")
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_tasks WHERE status = 'processing' AND context_json->>'duration_ms' = '1000'") == "20",
             30, "the one-second tasks to start")
    code, seconds = engine.stop()
    expect(code == 0, f"exit code {code} after SIGTERM:\n{engine.log()[-3000:]}")
    expect(seconds < 3 + 5, f"exit took {seconds} s, the grace period is 3 s")
    states = status_counts(url)
    figures = completion_check(url)
    row = psql(url, """
        SELECT
            count(*) FILTER (WHERE context_json->>'duration_ms' = '1000' AND status = 'completed'),
            count(*) FILTER (WHERE context_json->>'duration_ms' = '60000' AND status = 'pending' AND retry_count = 0
                AND locked_by IS NULL),
            count(*) FILTER (WHERE status = 'pending' AND (retry_count <> 0 OR EXISTS (
                SELECT 1 FROM agent_actions_log l WHERE l.context_id = agent_tasks.id))),
            (SELECT count(*) FROM agent_actions_log)
        FROM agent_tasks
        """)[0]
    finished_in_grace, released_long, charged_pending, log_rows = map(int, row)
    expect(finished_in_grace == 20, f"{finished_in_grace} of 20 one-second tasks finished within the grace period")
    expect(released_long == 10, f"{released_long} of 10 one-minute tasks were released to pending uncharged")
    expect(charged_pending == 0, f"{charged_pending} pending tasks were charged an attempt they did not make")
    expect(log_rows == states.get("completed", 0), f"{log_rows} log rows for {states.get('completed', 0)} completed tasks")
    return figures | {
        "tasks": 20030, "completed_before_exit": states.get("completed", 0), "pending_after_exit": states.get("pending", 0),
        "released_running": released_long, "finished_within_grace": finished_in_grace,
        "exit_code": code, "seconds_to_exit": seconds,
    }


def through_pgbouncer():
    """Three engines reach PostgreSQL only through PgBouncer in transaction mode (Debian's
    1.18, which keeps no prepared statements and carries no LISTEN), two with
    DATABASE_POOL_MODE=transaction and one left to notice the pooler by itself: 2,000
    tasks, a tenth failing once, each completed exactly once with its attempts in the log."""
    url = postgres_database("pgbouncer")
    port = free_port()
    # Its own folder outside WORK (which only root may enter): PgBouncer runs as postgres.
    folder = tempfile.mkdtemp(prefix="agent-scheduler-pgbouncer.")
    os.chmod(folder, 0o755)
    cluster_port = CLUSTER_URL.split("@127.0.0.1:")[1].split("/")[0]
    with open(os.path.join(folder, "users.txt"), "w") as users:
        users.write('"postgres" ""\n')
    with open(os.path.join(folder, "pgbouncer.ini"), "w") as ini:
        ini.write(f"""[databases]
reliability_pgbouncer = host=127.0.0.1 port={cluster_port} dbname=reliability_pgbouncer
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder}/users.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
logfile = {folder}/pgbouncer.log
""")
    subprocess.run(["chown", "-R", "postgres", folder], check=False)
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    command = [binary, os.path.join(folder, "pgbouncer.ini")]
    if os.getuid() == 0:
        command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]
    bouncer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bouncer_url = f"postgres://postgres@127.0.0.1:{port}/reliability_pgbouncer?sslmode=disable"
    try:
        wait_for(lambda: subprocess.run(["psql", "-X", "-tAc", "SELECT 1", "-d", bouncer_url],
                                        capture_output=True).returncode == 0, 30, "PgBouncer to accept connections")
        version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        declared = [EngineProcess(f"pgbouncer-{n}", bouncer_url, DATABASE_POOL_MODE="transaction",
                                  WORKER_CONCURRENCY=20, MAX_TASKS_PER_POLL=20, RETRY_BASE_DELAY_MS=100,
                                  POLLING_INTERVAL_MS=200) for n in (1, 2)]
        # A third that was not told: it must notice the pooler by itself.
        undeclared = EngineProcess("pgbouncer-undeclared", bouncer_url, WORKER_CONCURRENCY=20, MAX_TASKS_PER_POLL=20,
                                   RETRY_BASE_DELAY_MS=100, POLLING_INTERVAL_MS=200)
        started = time.monotonic()
        psql(bouncer_url, """
            INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for)
            SELECT 'probe', 'reliability',
                CASE WHEN i % 10 = 0 THEN '{"fail_attempts": 1}' ELSE '{}' END::jsonb, now()
            FROM generate_series(1, 2000) AS i
            """)
        wait_for(lambda: unfinished(url) == 0, 300, "2,000 tasks to finish through PgBouncer")
        seconds = time.monotonic() - started
        for engine in declared:
            expect(engine.count_in_log("DATABASE_POOL_MODE=transaction: LISTEN cannot pass") == 1,
                   f"{engine.name} did not warn once that LISTEN cannot pass the pooler")
            expect(engine.count_in_log("claim failed") == 0, f"{engine.name} failed claims:\n{engine.log()[-2000:]}")
            engine.stop_cleanly()
        noticed = undeclared.count_in_log("a transaction-mode pooler stands in the way")
        expect(noticed <= 1, f"the undeclared engine warned {noticed} times about the pooler")
        undeclared_claims = undeclared.count_in_log("task completed")
        undeclared.stop_cleanly()
        figures = completion_check(url)
        expect(status_counts(url) == {"completed": 2000}, f"states after the run: {status_counts(url)}")
        retried = int(scalar(url, "SELECT count(*) FROM agent_tasks WHERE retry_count = 1 AND attempts = 2"))
        expect(retried == 200, f"{retried} of 200 tasks that fail once were retried once")
        return figures | {"pgbouncer": version, "tasks": 2000, "seconds": round(seconds, 2),
                          "tasks_per_second": round(2000 / seconds), "undeclared_noticed_pooler": noticed,
                          "completed_by_undeclared": undeclared_claims}
    finally:
        bouncer.terminate()
        bouncer.wait(timeout=10)


def adopt_task_processor_tables():
    """`migrate` on tables made by the task processor's own DDL, with rows left in every
    state (NULL priority and status, `processing` and `in_progress` rows of the stopped
    old processor), then `serve`: every due row completes exactly once, the old ones
    rescued first, and every row and column of before is kept."""
    database = "reliability_adopt"
    psql(CLUSTER_URL, f"DROP DATABASE IF EXISTS {database}")
    psql(CLUSTER_URL, f"CREATE DATABASE {database}")
    url = CLUSTER_URL.replace("/postgres?", f"/{database}?")
    psql(url, """
        CREATE TABLE users (id UUID PRIMARY KEY);
        CREATE TABLE agent_tasks (
          id UUID PRIMARY KEY, task_type VARCHAR(100) NOT NULL, agent_type VARCHAR(50) NOT NULL,
          user_id UUID REFERENCES users(id), context_id UUID, context_type VARCHAR(50),
          scheduled_for TIMESTAMPTZ NOT NULL, priority VARCHAR(20) DEFAULT 'medium',
          status VARCHAR(50) DEFAULT 'pending', retry_count INTEGER DEFAULT 0, max_retries INTEGER DEFAULT 3,
          last_attempted_at TIMESTAMPTZ, context_json JSONB NOT NULL, result_json JSONB, error_log TEXT,
          created_at TIMESTAMPTZ DEFAULT now(), created_by VARCHAR(100), completed_at TIMESTAMPTZ);
        INSERT INTO agent_tasks (id, task_type, agent_type, scheduled_for, priority, status, context_json, created_by)
        SELECT gen_random_uuid(), 'probe', 'legacy', now() - interval '1 minute',
            CASE WHEN i % 3 = 0 THEN NULL ELSE 'high' END,
            CASE WHEN i % 5 = 0 THEN NULL WHEN i <= 5 THEN 'processing' WHEN i <= 10 THEN 'in_progress' ELSE 'pending' END,
            '{}'::jsonb, 'legacy-service'
        FROM generate_series(1, 500) AS i;
        INSERT INTO agent_tasks (id, task_type, agent_type, scheduled_for, status, context_json, result_json, completed_at)
        SELECT gen_random_uuid(), 'probe', 'legacy', now() - interval '1 day', 'completed', '{}', '{"attempt": 1}',
            now() - interval '1 day' FROM generate_series(1, 100);
        CREATE TABLE agent_actions_log (
          id BIGSERIAL PRIMARY KEY, agent_type VARCHAR(50) NOT NULL, action_type VARCHAR(100) NOT NULL,
          user_id UUID, context_id UUID, context_type VARCHAR(50), latency_ms INTEGER,
          input_data JSONB, output_data JSONB, error TEXT, created_at TIMESTAMPTZ DEFAULT now());
        INSERT INTO agent_actions_log (agent_type, action_type, context_id, context_type, latency_ms, output_data)
        SELECT 'task_processor', 'process_probe', id, 'agent_task', 5, result_json FROM agent_tasks WHERE status = 'completed'
        """)
    kept = "SELECT md5(string_agg(ROW(id, task_type, agent_type, context_json, created_by, result_json)::text, ',' ORDER BY id)) FROM agent_tasks"
    before = scalar(url, kept)
    done = subprocess.run([BINARY, "migrate", "--database-url", url], capture_output=True, text=True)
    expect(done.returncode == 0, f"migrate refused the task processor's tables:\n{done.stderr}")
    expect(scalar(url, kept) == before, "migrate changed the rows' own columns")
    engine = EngineProcess("adopt", url, WORKER_CONCURRENCY=20, MAX_TASKS_PER_POLL=50, RETRY_BASE_DELAY_MS=100)
    wait_for(lambda: unfinished(url) == 0, 120, "the adopted rows to finish")
    engine.stop_cleanly()
    figures = completion_check(url)
    expect(status_counts(url) == {"completed": 600}, f"states after the run: {status_counts(url)}")
    rescued = int(scalar(url, "SELECT count(*) FROM agent_tasks WHERE error_log LIKE '%lease expired%'"))
    # Rows 1-9 but the fifth were left `processing` or `in_progress`: eight in flight.
    expect(rescued == 8, f"{rescued} of the 8 rows left in flight by the old processor were rescued")
    return figures | {"adopted_rows": 600, "rescued_in_flight": rescued}


class RemoteWorker:
    """The reference Python worker (examples/python-worker) as a process of its own."""

    def __init__(self, name, engine, types, *options):
        self.log_path = os.path.join(WORK, f"{name}.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, PYTHON_WORKER, "--url", f"http://127.0.0.1:{engine.port}", "--types", types,
                 "--worker-id", name, *options], stdout=log, stderr=subprocess.STDOUT)

    def log(self):
        with open(self.log_path) as log:
            return log.read()

    def kill(self):
        self.process.kill()
        self.process.wait()

    def wait(self, timeout):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise ScenarioFailed(f"the worker did not finish within {timeout} s:\n{self.log()[-2000:]}")


def api(engine, method, path, body=None):
    """One call to an engine's HTTP API; returns (status, parsed body)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{engine.port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def remote_worker():
    """The Python reference worker on a SQLite file: a task completed with its progress,
    one failed for good, one cancelled while it runs."""
    path = os.path.join(WORK, "remote.sqlite")
    migrate(path)
    engine = EngineProcess("remote-serve", path, REMOTE_TASK_TYPES="render")
    ids = {}
    for name, context in [("ok", {"steps": 3, "step_seconds": 0.1}),
                          ("bad", {"steps": 1, "step_seconds": 0.1, "fail": "no GPU", "retryable": False}),
                          ("long", {"steps": 600, "step_seconds": 0.1})]:
        status, task = api(engine, "POST", "/tasks", {"task_type": "render", "context": context, "priority": "low" if name == "long" else "high"})
        expect(status == 201, f"enqueue {name}: {status} {task}")
        ids[name] = task["id"]
    worker = RemoteWorker("python-1", engine, "render")
    wait_for(lambda: api(engine, "GET", f"/tasks/{ids['long']}")[1]["status"] == "processing", 30, "the long task to start")
    status, _ = api(engine, "POST", f"/tasks/{ids['long']}/cancel")
    expect(status == 202, f"cancel of the running task answered {status}")
    cancelled_at = time.monotonic()
    wait_for(lambda: api(engine, "GET", f"/tasks/{ids['long']}")[1]["status"] == "cancelled", 30, "the long task to end cancelled")
    seconds_to_cancel = round(time.monotonic() - cancelled_at, 2)
    worker.kill()
    ok, bad, long = (api(engine, "GET", f"/tasks/{ids[name]}")[1] for name in ("ok", "bad", "long"))
    expect(ok["status"] == "completed" and ok["result"] == {"steps": 3, "worker": "python-1"}, f"ok task: {ok}")
    expect(ok["progress"]["fraction"] == 1 and ok["progress"]["message"] == "step 3 of 3", f"ok progress: {ok.get('progress')}")
    expect([entry["worker_id"] for entry in ok["action_log"]] == ["python-1"], f"ok log: {ok['action_log']}")
    expect(bad["status"] == "failed" and bad["errors"][0].endswith("no GPU"), f"bad task: {bad}")
    expect([entry["error"] for entry in long["action_log"]] == ["cancellation requested"], f"long task log: {long['action_log']}")
    _, workers = api(engine, "GET", "/workers")
    kinds = sorted((worker["kind"], worker["worker_id"]) for worker in workers["workers"])
    expect(kinds == [("engine", "remote-serve"), ("remote", "python-1")], f"workers: {kinds}")
    engine.stop_cleanly()
    return {"tasks": 3, "seconds_from_cancel_to_cancelled": seconds_to_cancel}


def remote_worker_crash():
    """kill -9 a remote worker in the middle of a task; its lease runs out, the task is
    rescued, and another worker completes it, exactly once."""
    url = postgres_database("remote_crash")
    engine = EngineProcess("remote-crash-serve", url, REMOTE_TASK_TYPES="render", LEASE_SECONDS=2, RETRY_BASE_DELAY_MS=200)
    insert_probes(url, 3, "'{\"steps\": 20, \"step_seconds\": 0.2}'", task_type="render")
    first = RemoteWorker("remote-a", engine, "render", "--lease-seconds", "2")
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_tasks WHERE locked_by = 'remote-a' AND progress_json IS NOT NULL") == "1",
             30, "remote-a to be mid-task")
    first.kill()
    killed = time.monotonic()
    second = RemoteWorker("remote-b", engine, "render", "--lease-seconds", "2")
    wait_for(lambda: status_counts(url) == {"completed": 3}, 60, "every task to complete after the kill")
    recovered = time.monotonic() - killed
    second.kill()
    engine.stop_cleanly()
    rows = psql(url, """
        SELECT count(*) FILTER (WHERE worker_id = 'remote-a' AND error LIKE 'lease expired%'),
               count(*) FILTER (WHERE outcome = 'completed' AND worker_id = 'remote-b'),
               (SELECT count(*) FROM (SELECT context_id FROM agent_actions_log WHERE outcome = 'completed'
                                      GROUP BY context_id HAVING count(*) <> 1) AS d)
        FROM agent_actions_log
        """)[0]
    expired, completed_by_b, not_once = map(int, rows)
    expect(expired == 1, f"{expired} killed attempts were logged as 'lease expired' (expected 1)")
    expect(completed_by_b == 3, f"{completed_by_b} of 3 tasks were completed by remote-b")
    expect(not_once == 0, f"{not_once} tasks were not completed exactly once")
    results = psql(url, "SELECT count(*) FROM agent_tasks WHERE result_json->>'worker' = 'remote-b'")[0][0]
    expect(results == "3", f"{results} of 3 results came from remote-b")
    return {"tasks": 3, "seconds_from_kill_to_all_completed": round(recovered, 1), "duplicates": 0}


def cancel_elsewhere():
    """A running task cancelled through another instance's API: the instance running it
    hears the request on the notification channel and stops the handler."""
    url = postgres_database("cancel_elsewhere")
    runner = EngineProcess("cancel-a", url)
    insert_probes(url, 1, "'{\"duration_ms\": 60000}'")
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_tasks WHERE status = 'processing'") == "1", 30, "the task to start")
    other = EngineProcess("cancel-b", url)
    task_id = scalar(url, "SELECT id FROM agent_tasks")
    requested = time.monotonic()
    status, _ = api(other, "POST", f"/tasks/{task_id}/cancel")
    expect(status == 202, f"cancel through cancel-b answered {status}")
    wait_for(lambda: scalar(url, "SELECT status FROM agent_tasks") == "cancelled", 10, "the task to end cancelled")
    seconds = round(time.monotonic() - requested, 2)
    expect(seconds < 2, f"cancellation took {seconds} s to reach the running handler")
    row = psql(url, "SELECT worker_id, error, outcome FROM agent_actions_log")
    expect(row == [["cancel-a", "cancelled on request", "cancelled"]], f"action log: {row}")
    runner.stop_cleanly()
    other.stop_cleanly()
    return {"seconds_from_cancel_to_cancelled": seconds}


class WebhookReceiver:
    """An HTTP server on loopback that records each webhook, checking its signature."""

    def __init__(self, port, secret):
        received, bad = [], []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(
                    secret.encode(), self.headers["Webhook-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("Webhook-Signature", "")):
                    bad.append(self.headers["Webhook-Id"])
                received.append((self.headers["Webhook-Id"], json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.received, self.bad = received, bad
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def webhooks_receiver_down():
    """Two instances finish 200 tasks while the webhook receiver is down for 8 s; once it
    is back every delivery arrives, none twice, each with a valid signature."""
    url = postgres_database("webhooks")
    port, secret = free_port(), "reliability-secret"
    settings = {"WEBHOOK_URLS": f"http://127.0.0.1:{port}/hook", "WEBHOOK_SECRET": secret,
                "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}
    engines = [EngineProcess(f"webhooks-{n}", url, **settings) for n in (1, 2)]
    insert_probes(url, 200, "'{}'")
    wait_for(lambda: status_counts(url) == {"completed": 200}, 60, "the 200 tasks to complete")
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_webhook_deliveries WHERE attempts > 0") == "200", 30,
             "every delivery to have been tried against the receiver that is down")
    time.sleep(8)
    receiver = WebhookReceiver(port, secret)
    back = time.monotonic()
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_webhook_deliveries WHERE status = 'delivered'") == "200", 60,
             "every delivery to arrive once the receiver is back")
    seconds = round(time.monotonic() - back, 1)
    for engine in engines:
        engine.stop_cleanly()
    receiver.stop()
    ids = [delivery_id for delivery_id, _ in receiver.received]
    expect(len(ids) == 200 and len(set(ids)) == 200, f"{len(ids)} requests for {len(set(ids))} deliveries (expected 200 each)")
    expect(not receiver.bad, f"{len(receiver.bad)} deliveries had a bad signature")
    tasks = {body["task_id"] for _, body in receiver.received}
    expect(len(tasks) == 200 and all(body["status"] == "completed" for _, body in receiver.received),
           "the bodies do not name the 200 completed tasks")
    attempts = int(scalar(url, "SELECT max(attempts) FROM agent_webhook_deliveries"))
    return {"tasks": 200, "instances": 2, "receiver_down_seconds": 8,
            "seconds_from_receiver_back_to_all_delivered": seconds, "most_sends_of_one_delivery": attempts,
            "duplicates": 0, "bad_signatures": 0}


def flow_control():
    """Two instances for 20 s: a schedule ticking every second and a type limited to 3
    running and 10 starts per 2 s, with an unlimited type beside it. Checked in the
    database: one task per tick, neither limit ever exceeded (running tasks from the
    action log's start and end times, starts from the claim times), and the unlimited
    type not held back."""
    url = postgres_database("flow")
    settings = {"TASK_LIMITS": "probe:concurrency=3,rate=10/2s"}
    engines = [EngineProcess(f"flow-{n}", url, **settings) for n in (1, 2)]
    status, body = api(engines[0], "POST", "/schedules",
                       {"name": "every-second", "task_type": "noop", "cron": "* * * * * *", "timezone": "Europe/Zurich"})
    expect(status == 201, f"POST /schedules answered {status}: {body}")
    insert_probes(url, 120, "'{\"duration_ms\": 300}'")
    insert_probes(url, 200, "'{}'", task_type="noop")
    time.sleep(20)
    status, _ = api(engines[1], "DELETE", "/schedules/every-second")
    expect(status == 200, f"DELETE /schedules/every-second answered {status}")
    wait_for(lambda: scalar(url, "SELECT count(*) FROM agent_tasks WHERE task_type = 'noop' AND status <> 'completed'") == "0",
             30, "every noop task to complete")
    ticks = psql(url, """
        SELECT count(*), count(DISTINCT scheduled_for), min(scheduled_for), max(scheduled_for),
               count(DISTINCT idempotency_key)
        FROM agent_tasks WHERE created_by = 'schedule:every-second'""")[0]
    tasks, distinct_ticks, keys = int(ticks[0]), int(ticks[1]), int(ticks[4])
    span = float(scalar(url, """
        SELECT extract(epoch FROM max(scheduled_for) - min(scheduled_for)) FROM agent_tasks
        WHERE created_by = 'schedule:every-second'"""))
    expect(tasks == distinct_ticks == keys, f"{tasks} tasks for {distinct_ticks} ticks")
    expect(tasks == int(span) + 1, f"{tasks} tasks over {span} s of ticks: a tick was missed")
    expect(tasks >= 18, f"only {tasks} ticks in 20 s")
    # The limited type: every start and end from the action log.
    attempts = psql(url, """
        SELECT extract(epoch FROM started_at), extract(epoch FROM created_at) FROM agent_actions_log
        WHERE action_type = 'process_probe' ORDER BY started_at""")
    spans = [(float(start), float(end)) for start, end in attempts]
    expect(len(spans) >= 60, f"only {len(spans)} probe attempts ran")
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans], key=lambda e: (e[0], e[1]))
    running = most_running = 0
    for _, change in events:
        running += change
        most_running = max(most_running, running)
    # Starts as the limit counts them: the claim times (each probe runs once, so its
    # last_attempted_at); the log's handler start comes a few milliseconds later.
    starts = [float(row[0]) for row in psql(url, """
        SELECT extract(epoch FROM last_attempted_at) FROM agent_tasks WHERE task_type = 'probe' AND attempts > 0""")]
    most_in_window = max(sum(1 for other in starts if start - 2 < other <= start) for start in starts)
    expect(most_running <= 3, f"{most_running} probe tasks ran at once (limit 3)")
    expect(most_in_window <= 10, f"{most_in_window} probe tasks started within 2 s (limit 10)")
    noop_done = float(scalar(url, """
        SELECT extract(epoch FROM max(completed_at) - min(created_at)) FROM agent_tasks
        WHERE task_type = 'noop' AND created_by IS DISTINCT FROM 'schedule:every-second'"""))
    expect(noop_done < 10, f"the 200 unlimited tasks took {noop_done} s beside the limited type")
    for engine in engines:
        engine.stop_cleanly()
    workers = int(scalar(url, "SELECT count(DISTINCT worker_id) FROM agent_actions_log WHERE action_type = 'process_probe'"))
    return {"instances": 2, "ticks": tasks, "tasks_per_tick": 1, "probe_attempts": len(spans),
            "most_probe_running_at_once": most_running, "concurrency_limit": 3,
            "most_probe_starts_in_2s": most_in_window, "rate_limit": "10/2s", "instances_running_probe": workers,
            "seconds_for_200_unlimited_tasks": round(noop_done, 2)}


SCENARIOS = {
    "instances": many_instances,
    "crash": crash,
    "freeze": freeze,
    "outage": outage,
    "sqlite-busy": sqlite_busy,
    "shutdown": shutdown_under_load,
    "pgbouncer": through_pgbouncer,
    "adopt": adopt_task_processor_tables,
    "remote-worker": remote_worker,
    "remote-crash": remote_worker_crash,
    "cancel-elsewhere": cancel_elsewhere,
    "webhooks": webhooks_receiver_down,
    "flow": flow_control,
    "terminate": terminated_backends,
}


def main():
    chosen = os.environ.get("SCENARIOS", ",".join(SCENARIOS)).split(",")
    unknown = [name for name in chosen if name not in SCENARIOS]
    if unknown:
        sys.exit(f"unknown scenario(s) {unknown}; known: {', '.join(SCENARIOS)}")
    results, failed = {}, []
    for name in chosen:
        started = time.monotonic()
        print(f"--- {name}", flush=True)
        try:
            results[name] = {"passed": True} | SCENARIOS[name]()
        except ScenarioFailed as failure:
            failed.append(name)
            results[name] = {"passed": False, "failure": str(failure)}
            print(f"FAIL {name}: {failure}\n(engine logs in {WORK}; the last lines of each follow)", flush=True)
            for engine in ENGINES:
                print(f"--- last lines of {engine.name}'s log\n" + "\n".join(engine.log().splitlines()[-40:]), flush=True)
        for engine in ENGINES:
            if engine.alive():
                engine.kill()
        ENGINES.clear()
        results[name]["scenario_seconds"] = round(time.monotonic() - started, 1)
        print(json.dumps(results[name], indent=2), flush=True)
    with open(RESULTS, "w") as out:
        json.dump(results, out, indent=2)
    if failed:
        sys.exit(f"reliability: {len(failed)} scenario(s) failed: {', '.join(failed)}")
    print(f"reliability: all {len(chosen)} scenarios passed; figures in {RESULTS}")


if __name__ == "__main__":
    main()
