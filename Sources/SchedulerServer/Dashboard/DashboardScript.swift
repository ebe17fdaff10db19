import Scheduler

/// The dashboard's script, served as `/dashboard/app.js` so that the pages' Content
/// Security Policy allows scripts from this server only (`script-src 'self'`), never
/// inline ones: local times, and the live updates that follow `/dashboard/events`.
enum DashboardScript {
    static let source = #"""
"use strict";
// Times in the browser's zone, the UTC value on hover.
function localTimes(root) {
  for (const node of root.querySelectorAll("time[datetime]")) {
    const date = new Date(node.getAttribute("datetime"));
    if (!isNaN(date)) { node.title = node.getAttribute("datetime") + " (UTC)"; node.textContent = date.toLocaleString(); }
  }
}
localTimes(document);
// Live: a listed task's status changes in place; any other page is read again
// (at most twice a second) when an event concerns it, without reloading. Every
// page is read again when the stream connects, for what happened before.
const main = document.getElementById("main");
if (window.EventSource && main.dataset.live) {
  const task = main.dataset.task;
  const source = new EventSource("/dashboard/events" + (task ? "?task_id=" + encodeURIComponent(task) : ""));
  let queued = false;
  const refresh = () => {
    if (queued) return;
    queued = true;
    setTimeout(async () => {
      queued = false;
      const response = await fetch(location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}});
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("main");
      if (next) { main.innerHTML = next.innerHTML; localTimes(main); }
    }, 500);
  };
  // The stream holds one of the browser's few connections to this host: let it go
  // as the page is left, so the next pages load at once.
  window.addEventListener("pagehide", () => source.close());
  // What happened before the stream (re)connected is read once it has.
  source.addEventListener("open", refresh);
  for (const kind of main.dataset.kinds.split(",")) {
    source.addEventListener(kind, (event) => {
      if (main.dataset.live !== "/dashboard/tasks") return refresh();
      const data = JSON.parse(event.data);
      const cell = main.querySelector('tr[data-task-id="' + CSS.escape(data.task_id) + '"] td[data-status]');
      if (cell) { cell.textContent = data.status; cell.className = "status-" + data.status; }
    });
  }
}
"""#
}
