"""The dashboard in a real browser, checked by scripts/dashboard-browser: headless
Chromium (Debian's) driven by Selenium against the release binary with a token, on a
SQLite file. It logs in, reads the counts, opens a task whose context holds a script
(which must show as text and not run), cancels and retries it with the buttons, watches
a task's row turn `completed` live without a reload, watches the overview's counts and
throughput chart follow thirty completions without a reload, checks that a phone-width page
does not scroll sideways, and saves screenshots of the overview and a task
(SCREENSHOTS, default docs/screenshots). Waits poll the page with a deadline; every
check names what it found.
"""

import json
import re
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BINARY = os.environ["AGENT_SCHEDULER_BINARY"]
SCREENSHOTS = os.environ.get("SCREENSHOTS", "docs/screenshots")
WORK = tempfile.mkdtemp(prefix="agent-scheduler-dashboard.")
TOKEN = "dashboard-check-token"
# A page of the dashboard loads in tens of milliseconds; one waiting for a free
# connection waited 20 s and more. The limit sits between the two.
PAGE_LIMIT = 1.0


class CheckFailed(Exception):
    """A check failed; the message says which and with what values."""


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port, method, path, body=None):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, None


def serve():
    port = free_port()
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite://{WORK}/dashboard.db", "PORT": str(port),
           "SCHEDULER_API_TOKEN": TOKEN, "LOG_LEVEL": "info"}
    log = open(os.path.join(WORK, "serve.log"), "w")
    process = subprocess.Popen([BINARY, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=WORK)
    deadline = time.monotonic() + 60
    while api(port, "GET", "/health")[0] != 200:
        expect(time.monotonic() < deadline and process.poll() is None, "serve did not answer /health")
        time.sleep(0.1)
    return process, port


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(argument)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def wait(driver, condition, what, timeout=30):
    """Polls `condition` until it holds; an element replaced meanwhile (a navigation, or
    the page's live refresh swapping <main>) is looked up again at the next poll."""
    waiter = WebDriverWait(driver, timeout, poll_frequency=0.1,
                           ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
    try:
        return waiter.until(lambda _: condition())
    except Exception as error:
        raise CheckFailed(f"timed out after {timeout} s waiting for {what} ({type(error).__name__}; the page shows: "
                          f"{main_text(driver)[:600]!r})") from error


def main_text(driver):
    """The text of the page's <main> as it is now ('' between pages)."""
    return driver.execute_script("const main = document.querySelector('main'); return main ? main.innerText : ''") or ""


def cards(driver):
    """The overview's count cards as {label: count}, read in one go (the live refresh
    may replace them between two reads)."""
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('.card')]"
        ".map(card => [card.querySelector('span').textContent, card.querySelector('b').textContent]))")


def click(driver, label, what):
    """Clicks the button labelled `label`, looking it up again if the page replaced it."""
    def attempt():
        driver.find_element(By.XPATH, f"//button[text()='{label}']").click()
        return True
    wait(driver, attempt, what)


def check(driver, port):
    base = f"http://127.0.0.1:{port}"
    _, pending = api(port, "POST", "/tasks", {"task_type": "noop", "scheduled_for": "2099-01-01T00:00:00Z",
                                              "context": {"note": "<script>window.__injected = 1</script><img src=x onerror=\"window.__injected = 2\">"}})
    hostile = pending["id"]

    # Log in once; the overview shows the counts the API reports.
    driver.get(f"{base}/dashboard")
    expect(driver.current_url.endswith("/dashboard/login"), f"an anonymous visit landed on {driver.current_url}")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(driver, lambda: driver.current_url.rstrip("/").endswith("/dashboard"), "the overview after logging in")
    cookies = {cookie["name"]: cookie for cookie in driver.get_cookies()}
    session = cookies.get("agent_scheduler_session")
    expect(session and session["httpOnly"] and session.get("sameSite") == "Strict", f"the session cookie is {session}")
    expect(cards(driver).get("Pending") == "1", f"the overview's counts are {cards(driver)}")
    os.makedirs(SCREENSHOTS, exist_ok=True)

    # The hostile context shows as text and runs nothing; cancel, then retry.
    driver.get(f"{base}/dashboard/tasks/{hostile}")
    context = driver.find_element(By.XPATH, "//h2[text()='Context']/following-sibling::pre[1]").text
    expect("<script>window.__injected = 1</script>" in context, f"the context shows as {context!r}")
    expect(driver.execute_script("return window.__injected === undefined"), "the context's script or handler ran")
    click(driver, "Cancel", "the Cancel button")
    wait(driver, lambda: "Cancelled." in main_text(driver), "the cancel notice")
    expect(api(port, "GET", f"/tasks/{hostile}")[1]["status"] == "cancelled", "the task is not cancelled")
    click(driver, "Retry", "the Retry button")
    wait(driver, lambda: "Queued again" in main_text(driver), "the retry notice")
    # Due now again, so the engine may already have run it.
    status = api(port, "GET", f"/tasks/{hostile}")[1]["status"]
    expect(status in ("pending", "processing", "completed"), f"the retried task is {status}")
    driver.save_screenshot(os.path.join(SCREENSHOTS, "task.png"))

    # A row changes state live: no reload (the page's marker survives).
    _, probe = api(port, "POST", "/tasks", {"task_type": "probe", "context": {"duration_ms": 2000, "progress_steps": 4}})
    driver.get(f"{base}/dashboard/tasks?task_type=probe")
    driver.execute_script("window.__marker = 42")
    cell = f"tr[data-task-id='{probe['id']}'] td[data-status]"
    wait(driver, lambda: driver.find_element(By.CSS_SELECTOR, cell).text == "completed", "the probe's row to turn completed")
    expect(driver.execute_script("return window.__marker") == 42, "the page reloaded instead of updating in place")

    # The overview follows the work live, counts and charts, without a reload.
    driver.get(f"{base}/dashboard")
    driver.execute_script("window.__marker = 7")
    done = int(cards(driver)["Completed (1 h)"])
    for _ in range(30):
        api(port, "POST", "/tasks", {"task_type": "noop", "context": {}})
    wait(driver, lambda: int(cards(driver)["Completed (1 h)"]) >= done + 30,
         f"the overview's completed count to rise by 30 from {done}")
    expect(driver.execute_script("return window.__marker") == 7, "the overview reloaded instead of updating in place")
    chart = driver.find_element(By.CSS_SELECTOR, "svg[aria-label^='Attempts per minute']")
    label = chart.get_attribute("aria-label")
    expect(re.search(r"Completed: \d+ in the latest minute, at most (\d+)", label) and int(re.search(r"at most (\d+)", label)[1]) >= 30,
           f"the throughput chart says {label!r}")
    line = chart.find_element(By.CSS_SELECTOR, "path.line-good")
    expect(line.size["width"] > 0, "the completed line is not drawn")
    driver.save_screenshot(os.path.join(SCREENSHOTS, "overview.png"))

    # Twenty live pages in a row, each at once: every page holds an event stream, and
    # the browser's six connections per host would run out if a page left its stream
    # open (the seventh navigation used to hang 20 s and more).
    pages = ["/dashboard", "/dashboard/tasks", f"/dashboard/tasks/{hostile}"]
    slowest = 0.0
    for number in range(20):
        started = time.monotonic()
        driver.get(base + pages[number % len(pages)])
        slowest = max(slowest, time.monotonic() - started)
    expect(slowest < PAGE_LIMIT, f"the slowest of 20 pages in a row took {slowest:.2f} s")
    print(f"20 live pages in a row: the slowest took {slowest * 1000:.0f} ms")

    # A phone-width page does not scroll sideways (wide tables scroll inside their box).
    driver.set_window_size(390, 844)
    for path in ["/dashboard", "/dashboard/tasks", f"/dashboard/tasks/{hostile}"]:
        driver.get(base + path)
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        expect(overflow <= 0, f"{path} is {overflow} px wider than a phone")


def main():
    process, port = serve()
    driver = None
    try:
        driver = browser()
        check(driver, port)
        print("dashboard in Chromium: all checks passed; screenshots in", SCREENSHOTS)
    except CheckFailed as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        with open(os.path.join(WORK, "serve.log")) as log:
            print("".join(log.readlines()[-30:]), file=sys.stderr)
        sys.exit(1)
    finally:
        if driver:
            driver.quit()
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
