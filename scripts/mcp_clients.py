"""The MCP tools as an agent meets them, checked by scripts/mcp-clients with the official
Python MCP SDK against the release binary: over stdio (`agent-scheduler mcp`, which an
agent launches itself) and over Streamable HTTP (`/mcp` of `serve`, with the bearer
token), on a SQLite file and on PostgreSQL. Each run initialises, lists the tools
(every scheduling tool's input schema carrying its type's context schema from
GET /task-types), schedules a probe task, waits for it, reads its result and attempts,
finds it again by idempotency key, cancels and retries a later one, and triggers bad
input: a mistyped and a missing argument, a missing user, an unknown tool, a huge
argument, and malformed JSON-RPC on both transports, after each of which the server
still answers. Waits poll a condition with a deadline; every check names what it found.
"""

import asyncio
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import httpx
import jsonschema
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import McpError

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
POSTGRES_URL = os.environ["POSTGRES_CLUSTER_URL"]
WORK = tempfile.mkdtemp(prefix="agent-scheduler-mcp.")
TOKEN = "mcp-check-token"
PROCESSES = []
TASK_TOOLS = {"get_task", "list_tasks", "wait_for_task", "cancel_task", "retry_task", "queue_stats"}


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


def http(port, method, path, body=None, headers=None, token=TOKEN):
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
    except OSError:
        return None, {}, ""


def environment(database_url, port):
    return {"PATH": os.environ["PATH"], "DATABASE_URL": database_url, "PORT": str(port),
            "SCHEDULER_API_TOKEN": TOKEN, "LOG_LEVEL": "info"}


def serve(name, database_url):
    port = free_port()
    log = open(os.path.join(WORK, f"{name}.log"), "w")
    process = subprocess.Popen([BINARY, "serve"], env=environment(database_url, port), stdout=log,
                               stderr=subprocess.STDOUT, cwd=WORK)
    PROCESSES.append(process)
    wait_for(lambda: http(port, "GET", "/health", token=None)[0] == 200, 60, f"{name} to answer /health")
    return port


def structured(result, tool):
    expect(result.structuredContent is not None, f"{tool} returned no structuredContent: {result}")
    text = result.content[0].text
    expect(json.loads(text) == result.structuredContent,
           f"{tool}: the text content is not the structured content: {text[:300]}")
    return result.structuredContent


def succeeded(result, tool):
    expect(not result.isError, f"{tool} failed: {result.content[0].text if result.content else result}")
    return structured(result, tool)


def refused(result, tool, *words):
    text = result.content[0].text
    expect(result.isError, f"{tool} should have been refused, answered {text[:300]}")
    for word in words:
        expect(word in text, f"{tool}'s refusal does not name {word!r}: {text}")
    return text


async def check_session(session, port, label):
    """Every check a client makes, on one initialised session."""
    initialized = await session.initialize()
    expect(initialized.serverInfo.name == "agent-scheduler", f"{label}: server named {initialized.serverInfo.name}")
    expect(initialized.capabilities.tools is not None, f"{label}: no tools capability")

    # The tools, each scheduling tool with its type's context schema.
    status, _, body = http(port, "GET", "/task-types")
    expect(status == 200, f"{label}: GET /task-types answered {status}")
    types = {t["task_type"]: t for t in json.loads(body)["task_types"]}
    tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    offered = {name: profile for name, profile in types.items() if profile["offered_to_agents"]}
    expect(len(offered) < len(types), f"{label}: the placeholder types are offered to agents")
    expected = {f"enqueue_{name}" for name in offered} | TASK_TOOLS
    expect(set(tools) == expected, f"{label}: tools {sorted(set(tools) ^ expected)} differ from the task types")
    for name, profile in offered.items():
        schema = tools[f"enqueue_{name}"].inputSchema
        jsonschema.Draft202012Validator.check_schema(schema)
        context = dict(schema["properties"]["context"])
        context.pop("description", None)
        wanted = dict(profile["context_schema"])
        wanted.pop("description", None)
        expect(context == wanted, f"{label}: enqueue_{name}'s context schema {context} is not {wanted}")
        expect(("user_id" in schema.get("required", [])) == profile["requires_user"],
               f"{label}: enqueue_{name} requires {schema.get('required')} but requires_user is {profile['requires_user']}")
        expect(set(schema["properties"]) == {"context", "user_id", "run_at", "priority", "idempotency_key"},
               f"{label}: enqueue_{name} has arguments {sorted(schema['properties'])}")
    research = tools["enqueue_research_solution"].inputSchema
    expect(research["properties"]["context"]["required"] == ["description"],
           f"{label}: research_solution's context does not require description: {research['properties']['context']}")
    expect("description" in research["properties"]["context"]["properties"]["description"],
           f"{label}: research_solution's description field is not described")
    sample = {"context": {"description": "Find a Swiss patent lawyer", "category": "legal"},
              "user_id": "11111111-1111-4111-8111-111111111111", "run_at": "in 3 days"}
    jsonschema.validate(sample, research)

    # Schedule a probe, wait for it, read it.
    key = f"{label}-probe"
    created = succeeded(await session.call_tool(
        "enqueue_probe", {"context": {"duration_ms": 50, "progress_steps": 2}, "idempotency_key": key}), "enqueue_probe")
    task = created["task"]
    expect(created["created"] is True and task["task_type"] == "probe", f"{label}: enqueue_probe answered {created}")
    expect(task["created_by"].startswith("mcp"), f"{label}: created_by is {task['created_by']!r}, not mcp…")
    waited = succeeded(await session.call_tool("wait_for_task", {"task_id": task["id"], "timeout_seconds": 60}),
                       "wait_for_task")
    expect(waited["final"] is True and waited["task"]["status"] == "completed",
           f"{label}: wait_for_task answered {waited}")
    read = succeeded(await session.call_tool("get_task", {"task_id": task["id"]}), "get_task")["task"]
    expect(read["result"] == {"attempt": 1}, f"{label}: the probe's result is {read.get('result')}")
    expect(len(read["action_log"]) == 1 and "error" not in read["action_log"][0],
           f"{label}: the probe's attempts are {read.get('action_log')}")
    expect(read.get("progress", {}).get("fraction") == 1, f"{label}: the probe's progress is {read.get('progress')}")
    again = succeeded(await session.call_tool("enqueue_probe", {"context": {}, "idempotency_key": key}), "enqueue_probe")
    expect(again["created"] is False and again["task"]["id"] == task["id"],
           f"{label}: the same idempotency key made {again}")
    listed = succeeded(await session.call_tool("list_tasks", {"status": "completed", "task_type": "probe"}), "list_tasks")
    expect(task["id"] in [t["id"] for t in listed["tasks"]], f"{label}: list_tasks does not show the probe")
    stats = succeeded(await session.call_tool("queue_stats", {}), "queue_stats")
    expect("task_types" in stats, f"{label}: queue_stats answered {sorted(stats)}")

    # A task for later: when it is due, cancelled, retried.
    later = succeeded(await session.call_tool("enqueue_noop", {"run_at": "in 3 days", "priority": "high"}),
                      "enqueue_noop")["task"]
    due = datetime.datetime.fromisoformat(later["scheduled_for"].replace("Z", "+00:00"))
    in_three_days = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)
    expect(abs((due - in_three_days).total_seconds()) < 120, f"{label}: 'in 3 days' scheduled it for {due}")
    cancelled = succeeded(await session.call_tool("cancel_task", {"task_id": later["id"]}), "cancel_task")["task"]
    expect(cancelled["status"] == "cancelled", f"{label}: cancel_task left it {cancelled['status']}")
    retried = succeeded(await session.call_tool("retry_task", {"task_id": later["id"]}), "retry_task")["task"]
    expect(retried["status"] == "pending", f"{label}: retry_task left it {retried['status']}")
    refused(await session.call_tool("retry_task", {"task_id": later["id"]}), "retry_task", "cannot retry", later["id"])

    # Bad input: a tool error naming the argument, and the server still answers.
    refused(await session.call_tool("enqueue_probe", {"context": {"duration_ms": "long"}}), "enqueue_probe",
            "duration_ms")
    refused(await session.call_tool("enqueue_schedule_followup", {"context": {}, "user_id": sample["user_id"]}),
            "enqueue_schedule_followup", "reason")
    refused(await session.call_tool("enqueue_research_solution", {"context": {"description": "x"}}),
            "enqueue_research_solution", "user_id")
    refused(await session.call_tool("enqueue_noop", {"run_at": "whenever"}), "enqueue_noop", "run_at")
    refused(await session.call_tool("enqueue_noop", {"when": "now"}), "enqueue_noop", "when")
    refused(await session.call_tool("wait_for_task", {"task_id": 42}), "wait_for_task", "task_id")
    refused(await session.call_tool("get_task", {"task_id": "00000000-0000-4000-8000-000000000000"}), "get_task",
            "00000000-0000-4000-8000-000000000000")
    try:
        await session.call_tool("enqueue_nothing_like_this", {})
        raise CheckFailed(f"{label}: an unknown tool was answered")
    except McpError as error:
        expect(error.error.code == -32602 and "enqueue_nothing_like_this" in error.error.message,
               f"{label}: an unknown tool gave {error.error.code} {error.error.message}")
    expect(len((await session.list_tools()).tools) == len(expected), f"{label}: the server stopped answering")


async def over_http(port, label):
    client = httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=httpx.Timeout(30, read=120))
    async with client, streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=client) as (read, write, _):
        async with ClientSession(read, write) as session:
            await check_session(session, port, label)


async def over_stdio(port, database_url, label):
    params = StdioServerParameters(command=BINARY, args=["mcp"], env=environment(database_url, port), cwd=WORK)
    with open(os.path.join(WORK, f"{label}.stderr"), "w") as errors:
        async with stdio_client(params, errlog=errors) as (read, write):
            async with ClientSession(read, write) as session:
                await check_session(session, port, label)
                huge = {"context": {"description": "x" * 1_500_000}, "user_id": "11111111-1111-4111-8111-111111111111"}
                refused(await session.call_tool("enqueue_research_solution", huge), "enqueue_research_solution",
                        "context")
                expect(len((await session.list_tools()).tools) > 0, f"{label}: no answer after a huge argument")


def raw_http_errors(port):
    """Malformed JSON-RPC, a missing or unknown session and a huge body over /mcp."""
    headers = {"Accept": "application/json, text/event-stream"}
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "raw-check", "version": "1"}}}
    status, reply_headers, _ = http(port, "POST", "/mcp", initialize, headers)
    expect(status == 200, f"raw initialize answered {status}")
    session = {k.lower(): v for k, v in reply_headers.items()}.get("mcp-session-id")
    expect(session, f"raw initialize returned no session id: {reply_headers}")
    with_session = {**headers, "Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-06-18"}
    status, _, body = http(port, "POST", "/mcp", b"{not json", with_session)
    expect(status == 400 and json.loads(body)["error"]["code"] == -32700, f"malformed JSON-RPC answered {status} {body}")
    status, _, body = http(port, "POST", "/mcp", {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                           {**headers, "Mcp-Session-Id": "no-such-session"})
    expect(status == 404, f"an unknown session answered {status} {body}")
    status, _, body = http(port, "POST", "/mcp", {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers)
    expect(status == 400, f"a request without a session answered {status} {body}")
    status, _, body = http(port, "POST", "/mcp", b'{"jsonrpc":"2.0","id":3,"method":"tools/list","x":"' + b"y" * 2_000_000 + b'"}',
                           with_session)
    expect(status == 413, f"a 2 MB body answered {status}")
    status, _, body = http(port, "POST", "/mcp", {"jsonrpc": "2.0", "id": 4, "method": "tools/list"}, with_session)
    expect(status == 200 and "enqueue_noop" in body, f"the session stopped answering after bad input: {status}")
    status, _, _ = http(port, "POST", "/mcp", {"jsonrpc": "2.0", "id": 5, "method": "tools/list"}, with_session, token=None)
    expect(status == 401, f"/mcp without the token answered {status}")
    status, _, _ = http(port, "DELETE", "/mcp", None, with_session)
    expect(status == 200, f"ending the session answered {status}")


def raw_stdio_errors(database_url):
    """Malformed JSON-RPC on stdin is answered with a parse error, then the next request."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "raw-check", "version": "1"}}}
    process = subprocess.Popen([BINARY, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=environment(database_url, free_port()), cwd=WORK)
    try:
        process.stdin.write(b"{not json\n")
        process.stdin.flush()
        parse_error = json.loads(process.stdout.readline())
        expect(parse_error.get("error", {}).get("code") == -32700, f"stdio answered malformed input with {parse_error}")
        process.stdin.write(json.dumps(initialize).encode() + b"\n")
        process.stdin.flush()
        answer = json.loads(process.stdout.readline())
        expect(answer.get("id") == 1 and answer.get("result", {}).get("serverInfo", {}).get("name") == "agent-scheduler",
               f"stdio did not answer initialize after malformed input: {answer}")
        process.stdin.close()
        expect(process.wait(timeout=30) == 0, f"`agent-scheduler mcp` exited {process.returncode} at the end of its input")
    finally:
        if process.poll() is None:
            process.kill()


def main():
    databases = [("sqlite", f"sqlite://{WORK}/scheduler.db"), ("postgres", POSTGRES_URL)]
    try:
        for name, url in databases:
            port = serve(f"serve-{name}", url)
            asyncio.run(over_http(port, f"http-{name}"))
            print(f"ok   MCP over Streamable HTTP on {name}")
            asyncio.run(over_stdio(port, url, f"stdio-{name}"))
            print(f"ok   MCP over stdio on {name}")
            raw_http_errors(port)
            raw_stdio_errors(url)
            print(f"ok   malformed JSON-RPC, unknown sessions and a huge body refused on {name}; the server kept serving")
        print("MCP clients: all checks passed")
    except (CheckFailed, BaseExceptionGroup) as failure:
        while isinstance(failure, BaseExceptionGroup):
            failure = failure.exceptions[0]
        print(f"FAIL {failure!r}", file=sys.stderr)
        for log in sorted(os.listdir(WORK)):
            if log.endswith((".log", ".stderr")):
                print(f"--- {log} (last 30 lines)", file=sys.stderr)
                with open(os.path.join(WORK, log)) as handle:
                    print("".join(handle.readlines()[-30:]), file=sys.stderr)
        sys.exit(1)
    finally:
        for process in PROCESSES:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
