"""The terminated-backends scenario: the engine's PostgreSQL connections are killed with
`pg_terminate_backend` at random moments, many times a second, while a producer keeps
inserting work, as the public harness hardbyte/postgresql-job-queue-benchmarking does.

Each round checks that progress resumes within 5 s of every kill, that SIGTERM sent in
the middle of the chaos ends the process within its grace period, and that every task
inserted ends completed exactly once (a second engine finishes what the first released,
and rescues what it could neither finish nor release while its connections were killed).
CHAOS_ROUNDS (default 10) rounds of CHAOS_SECONDS (default 15) each.
"""

import os
import random
import subprocess
import threading
import time

from reliability_support import (
    EngineProcess, completion_check, expect, postgres_database, psql, scalar, status_counts, unfinished, wait_for)

PRODUCER = "chaos-producer"
BATCH = 30
BATCH_INTERVAL = 0.05
RECOVERY_LIMIT = 5.0
GRACE_SECONDS = 3


class Producer(threading.Thread):
    """Inserts BATCH probe rows every BATCH_INTERVAL s (600 a second) through one psql
    session whose application_name the killer spares."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.inserted = 0
        self.running = True
        environment = dict(os.environ, PGAPPNAME=PRODUCER)
        self.psql = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url],
                                     stdin=subprocess.PIPE, text=True, env=environment)

    def run(self):
        statement = (f"INSERT INTO agent_tasks (task_type, agent_type, context_json, scheduled_for) "
                     f"SELECT 'probe', 'chaos', '{{}}', now() FROM generate_series(1, {BATCH});\n")
        while self.running:
            self.psql.stdin.write(statement)
            self.psql.stdin.flush()
            self.inserted += BATCH
            time.sleep(BATCH_INTERVAL)

    def finish(self):
        self.running = False
        self.join()
        self.psql.stdin.close()
        expect(self.psql.wait(timeout=30) == 0, "the producer's psql session failed")


class Killer(threading.Thread):
    """Terminates the engine's backends every 0.1 to 0.6 s: those running a statement or
    idle in a transaction, and every fifth time all of them (the LISTEN one too). The
    scenario's own psql sessions are spared."""

    def __init__(self, url, database):
        super().__init__(daemon=True)
        self.url, self.database = url, database
        self.kills = []
        self.running = True

    def run(self):
        rounds = 0
        while self.running:
            time.sleep(random.uniform(0.1, 0.6))
            rounds += 1
            states = "" if rounds % 5 == 0 else "AND state IN ('active', 'idle in transaction')"
            killed = psql(self.url, f"""
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = '{self.database}' AND pid <> pg_backend_pid()
                  AND application_name NOT IN ('psql', '{PRODUCER}') {states}""")[0][0]
            if int(killed) > 0:
                self.kills.append(time.monotonic())

    def finish(self):
        self.running = False
        self.join()


def completed(url):
    return int(scalar(url, "SELECT count(*) FROM agent_tasks WHERE status = 'completed'"))


def recovery(samples, kill):
    """Seconds from a kill until more tasks had completed than at the kill; `None` if never."""
    before = max((count for at, count in samples if at <= kill), default=0)
    return next((at - kill for at, count in samples if at > kill and count > before), None)


def one_round(number, seconds):
    database = f"reliability_terminate_{number}"
    url = postgres_database(f"terminate_{number}")
    # Short leases: results the first engine could not write before SIGTERM (the database
    # kept killing its connections) leave their tasks to the finisher's rescuer, which
    # should not have to wait for the default 30 s lease and 60 s backoff.
    engine = EngineProcess(f"terminate-{number}", url, WORKER_CONCURRENCY=32, SHUTDOWN_GRACE_MS=GRACE_SECONDS * 1000,
                           LEASE_SECONDS=5, LOG_LEVEL=os.environ.get("CHAOS_LOG_LEVEL", "info"))
    producer, killer = Producer(url), Killer(url, database)
    producer.start()
    killer.start()
    samples = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        samples.append((time.monotonic(), completed(url)))
        time.sleep(0.2)
    producer.finish()
    code, stop_seconds = engine.stop(timeout=GRACE_SECONDS + 10)
    killer.finish()
    expect(code == 0, f"round {number}: exit code {code} after SIGTERM:\n{engine.log()[-3000:]}")
    expect(stop_seconds <= GRACE_SECONDS + 5, f"round {number}: exit took {stop_seconds} s, grace is {GRACE_SECONDS} s")
    # Kills whose recovery the sampling window can see (not the last 5 s).
    judged = [kill for kill in killer.kills if kill < started + seconds - RECOVERY_LIMIT]
    recoveries = [(kill, recovery(samples, kill)) for kill in judged]
    stalled = [round(kill - started, 1) for kill, seconds in recoveries if seconds is None or seconds > RECOVERY_LIMIT]
    expect(not stalled, f"round {number}: no progress within {RECOVERY_LIMIT} s of the kills at {stalled} s:\n"
           f"{engine.log()[-3000:]}")
    worst = max((seconds for _, seconds in recoveries), default=0.0)
    finisher = EngineProcess(f"terminate-{number}-finisher", url, WORKER_CONCURRENCY=32, LEASE_SECONDS=5,
                             RETRY_BASE_DELAY_MS=100)
    wait_for(lambda: unfinished(url) == 0, 120, f"round {number}: the remaining tasks to finish")
    finisher.stop_cleanly()
    states = status_counts(url)
    expect(states == {"completed": producer.inserted},
           f"round {number}: final states {states}, {producer.inserted} tasks inserted")
    figures = completion_check(url)
    return figures | {"tasks": producer.inserted, "kills": len(killer.kills), "worst_recovery_s": round(worst, 2),
                      "seconds_to_exit": stop_seconds,
                      "claim_errors_logged": engine.count_in_log("claim failed; will try again")}


def terminated_backends():
    rounds = int(os.environ.get("CHAOS_ROUNDS", "10"))
    seconds = float(os.environ.get("CHAOS_SECONDS", "15"))
    results = [one_round(number, seconds) for number in range(1, rounds + 1)]
    for number in range(1, rounds + 1):
        psql(os.environ["POSTGRES_CLUSTER_URL"], f"DROP DATABASE IF EXISTS reliability_terminate_{number}")
    return {
        "rounds": rounds, "chaos_seconds_per_round": seconds,
        "tasks": sum(r["tasks"] for r in results), "kills": sum(r["kills"] for r in results),
        "lost": sum(r["lost"] for r in results), "duplicates": sum(r["duplicates"] for r in results),
        "worst_recovery_s": max(r["worst_recovery_s"] for r in results),
        "slowest_exit_s": max(r["seconds_to_exit"] for r in results),
        "claim_errors_logged": sum(r["claim_errors_logged"] for r in results),
    }
