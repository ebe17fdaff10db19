#!/usr/bin/env python3
"""A remote worker for agent-scheduler, in Python's standard library only.

It claims tasks of the remote types it is given (POST /workers/claim, waiting up to 30 s
for one to come due), runs each in steps, sends a heartbeat with its progress after every
step (POST /tasks/{id}/heartbeat), stops when the heartbeat says the task was cancelled,
and reports the result (POST /tasks/{id}/complete) or the error (POST /tasks/{id}/fail).
Retries, backoff and the action log stay with the scheduler.

    python3 worker.py --url http://127.0.0.1:8080 --types transcribe,render

The demo work: a context {"steps": 3, "step_seconds": 0.5, "fail": "why"} takes three
steps of half a second, then fails with "why" if given (add "retryable": false to fail for
good). Replace `run` with your own.
"""
import argparse
import json
import os
import socket
import time
import urllib.error
import urllib.request


class Unreachable(Exception):
    """The scheduler did not answer: its message says where and why, in one line."""


class Scheduler:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token

    def post(self, path, body, timeout=40):
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"} | ({"Authorization": f"Bearer {self.token}"} if self.token else {}))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            why = getattr(reason, "strerror", None) or str(reason)
            raise Unreachable(f"cannot reach the scheduler at {self.url}: {why.lower()} "
                              "(is `agent-scheduler serve` running there? --url or SCHEDULER_URL say where)") from None


class Cancelled(Exception):
    """The scheduler asked to stop this task."""


def run(task, heartbeat):
    """The work: `steps` steps of `step_seconds`, a heartbeat with progress after each."""
    context = task["context"]
    steps = int(context.get("steps", 3))
    for step in range(1, steps + 1):
        time.sleep(float(context.get("step_seconds", 0.5)))
        heartbeat(step / steps, f"step {step} of {steps}")
    if "fail" in context:
        raise RuntimeError(context["fail"])
    return {"steps": steps, "worker": task["worker"]}


def work_on(scheduler, task):
    lease = {"lease_token": task["lease_token"]}

    def heartbeat(fraction, message):
        status, answer = scheduler.post(
            f"/tasks/{task['id']}/heartbeat", lease | {"progress": {"fraction": fraction, "message": message}})
        if status != 200:
            raise Cancelled(f"lease lost ({status}): {answer.get('error', {}).get('message')}")
        if answer["cancel_requested"]:
            raise Cancelled("cancellation requested")

    try:
        result = run(task, heartbeat)
    except Cancelled as stop:
        # A failure after a cancel request ends the task cancelled; after a lost lease it changes nothing.
        scheduler.post(f"/tasks/{task['id']}/fail", lease | {"error": str(stop)})
        return "cancelled"
    except Exception as error:
        retryable = task["context"].get("retryable", True)
        status, _ = scheduler.post(f"/tasks/{task['id']}/fail", lease | {"error": str(error), "retryable": retryable})
        return f"failed ({status})"
    status, answer = scheduler.post(f"/tasks/{task['id']}/complete", lease | {"result": result})
    return "completed" if status == 200 else f"not completed ({status}: {answer['error']['message']})"


def main():
    parser = argparse.ArgumentParser(description="A remote worker for agent-scheduler.")
    parser.add_argument("--url", default=os.environ.get("SCHEDULER_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("SCHEDULER_API_TOKEN"))
    parser.add_argument("--types", required=True, help="remote task types, comma-separated")
    parser.add_argument("--worker-id", default=f"python-{socket.gethostname()}-{os.getpid()}")
    parser.add_argument("--lease-seconds", type=int, default=30)
    parser.add_argument("--max-tasks", type=int, default=0, help="stop after this many tasks (0: never)")
    parser.add_argument("--idle-exit", action="store_true", help="stop when a claim comes back empty")
    options = parser.parse_args()
    scheduler = Scheduler(options.url, options.token)
    done = 0
    delay = 1
    while options.max_tasks == 0 or done < options.max_tasks:
        try:
            status, answer = scheduler.post("/workers/claim", {
                "worker_id": options.worker_id, "task_types": options.types.split(","),
                "lease_seconds": options.lease_seconds, "wait_seconds": 2 if options.idle_exit else 30})
        except Unreachable as error:
            if options.idle_exit:
                raise SystemExit(str(error))
            # The scheduler restarts or is being deployed: try again, less and less often.
            print(f"{error}; trying again in {delay} s", flush=True)
            time.sleep(delay)
            delay = min(delay * 2, 30)
            continue
        delay = 1
        if status != 200:
            raise SystemExit(f"claim refused ({status}): {answer['error']['message']}")
        if not answer["tasks"] and options.idle_exit:
            break
        for task in answer["tasks"]:
            task["worker"] = options.worker_id
            try:
                outcome = work_on(scheduler, task)
            except Unreachable as error:
                # The lease runs out and the scheduler rescues the task: nothing is lost.
                outcome = f"not reported: {error}"
            print(f"{task['task_type']} {task['id']} attempt {task['attempt']}: {outcome}", flush=True)
            done += 1


if __name__ == "__main__":
    main()
