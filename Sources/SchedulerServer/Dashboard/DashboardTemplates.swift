import Mustache
import Scheduler

/// The dashboard's pages as Mustache templates, compiled once. They live in the binary
/// (no files to ship, nothing fetched from elsewhere); `{{value}}` escapes HTML, so a
/// task's context or error always shows as text.
enum DashboardTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("head", head), ("foot", foot), ("login", login), ("overview", overview), ("tasks", tasks),
            ("task", task), ("bulk", bulk), ("problem", problem)]
        {
            // The templates are constants of this file; DashboardTests renders every one.
            try? library.register(text, named: name)
        }
        return library
    }()

    static let head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · agent-scheduler</title>
        <style>
        :root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --accent: #2563eb; --bad: #b91c1c; --good: #15803d; }
        body { font: 15px/1.45 system-ui, sans-serif; margin: 0; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
        header strong { margin-right: auto; }
        main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid var(--accent); outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; }
        .scroll { overflow-x: auto; }
        .scroll table { min-width: max-content; }
        .scroll thead th { white-space: nowrap; }
        .scroll th:first-child { position: sticky; left: 0; background: Canvas; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .75rem; margin-bottom: 1.5rem; }
        .card { border: 1px solid var(--line); border-radius: .5rem; padding: .6rem .8rem; }
        .card b { display: block; font-size: 1.6rem; }
        .status-failed { color: var(--bad); } .status-completed { color: var(--good); }
        pre { white-space: pre-wrap; word-break: break-word; background: rgba(127,127,127,.12); padding: .6rem; border-radius: .4rem; }
        form.inline { display: inline; }
        button { font: inherit; padding: .3rem .8rem; border-radius: .35rem; border: 1px solid var(--line); cursor: pointer; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
        .filters label { display: flex; flex-direction: column; font-size: .85rem; }
        .notice { padding: .6rem .8rem; border: 1px solid var(--line); border-radius: .4rem; margin-bottom: 1rem; }
        .muted { color: var(--muted); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dt { font-weight: 600; } dd { margin: 0; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: .75rem; margin-bottom: 1.5rem; }
        .chart { margin: 0; border: 1px solid var(--line); border-radius: .5rem; padding: .6rem .8rem; }
        .chart figcaption { font-size: .85rem; margin-bottom: .3rem; }
        .chart svg { display: block; width: 100%; height: 3rem; }
        .chart path { fill: none; stroke-width: 1.5; stroke-linecap: round; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
        path.line-good { stroke: var(--good); } path.line-bad { stroke: var(--bad); } path.line-accent { stroke: var(--accent); }
        span.line-good { color: var(--good); } span.line-bad { color: var(--bad); } span.line-accent { color: var(--accent); }
        </style>
        </head>
        <body>
        <header>
        <strong>agent-scheduler</strong>
        <nav aria-label="Dashboard">
        <a href="/dashboard">Overview</a> ·
        <a href="/dashboard/tasks">Tasks</a>
        </nav>
        {{#loggedIn}}<form class="inline" method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>{{/loggedIn}}
        </header>
        <main id="main" data-live="{{live}}" data-task="{{liveTask}}" data-kinds="{{eventKinds}}">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        """

    static let foot = """
        </main>
        <script src="/dashboard/app.js"></script>
        </body>
        </html>
        """

    static let login = """
        {{> head}}
        <h1>Log in</h1>
        {{#failed}}<p class="notice status-failed" role="alert">That is not this scheduler's API token.</p>{{/failed}}
        <form method="post" action="/dashboard/login">
        <label for="token">API token (SCHEDULER_API_TOKEN)</label><br>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        <button type="submit">Log in</button>
        </form>
        {{> foot}}
        """

    static let overview = """
        {{> head}}
        <h1>Overview</h1>
        <section aria-labelledby="totals"><h2 id="totals">Tasks</h2>
        <div class="cards">
        {{#totals}}<div class="card"><span>{{label}}</span><b>{{count}}</b></div>{{/totals}}
        </div></section>
        <section aria-labelledby="hour"><h2 id="hour">The last hour</h2>
        <div class="charts">
        {{#charts}}<figure class="chart"><figcaption>{{title}}{{#lines}} <span class="line-{{style}}">— {{name}}</span>{{/lines}} <span class="muted">(top {{top}})</span></figcaption>
        <svg viewBox="0 0 {{width}} {{height}}" preserveAspectRatio="none" role="img" aria-label="{{summary}}">{{#lines}}<path class="line-{{style}}" d="{{path}}"/>{{/lines}}</svg></figure>{{/charts}}
        </div></section>
        <section aria-labelledby="types"><h2 id="types">By task type</h2>
        <div class="scroll"><table>
        <thead><tr><th scope="col">Type</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Due</th><th scope="col">Oldest due</th><th scope="col" class="num">Running</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Done (1 h)</th><th scope="col" class="num"><abbr title="Failed attempts (to be retried or failed for good) divided by the attempts that ended in the last hour; a cancelled attempt counts as ended, not failed">Failed attempts (1 h)</abbr></th><th scope="col" class="num">Wait ms p50 / p95</th><th scope="col" class="num">Run ms p50 / p95</th><th scope="col">State</th><th scope="col">Bulk</th></tr></thead>
        <tbody>
        {{#types}}<tr><th scope="row"><a href="/dashboard/tasks?task_type={{name}}">{{name}}</a></th><td class="num">{{pending}}</td><td class="num">{{due}}</td><td>{{oldestDue}}</td><td class="num">{{processing}}</td><td class="num">{{failed}}</td><td class="num">{{completedHour}}</td><td class="num">{{failureRate}}</td><td class="num">{{wait}}</td><td class="num">{{run}}</td><td>{{state}}</td><td>{{#anyFailed}}<a href="/dashboard/bulk?action=retry-failed&amp;task_type={{name}}">Retry failed</a> {{/anyFailed}}{{#anyPending}}<a href="/dashboard/bulk?action=cancel-pending&amp;task_type={{name}}">Cancel pending</a>{{/anyPending}}</td></tr>{{/types}}
        {{^types}}<tr><td colspan="12" class="muted">No tasks yet.</td></tr>{{/types}}
        </tbody></table></div></section>
        <section aria-labelledby="workers"><h2 id="workers">Workers</h2>
        <div class="scroll"><table>
        <thead><tr><th scope="col">Worker</th><th scope="col">Kind</th><th scope="col">Task types</th><th scope="col">Last seen</th><th scope="col">State</th></tr></thead>
        <tbody>
        {{#workers}}<tr><td>{{id}}</td><td>{{kind}}</td><td>{{types}}</td><td><time datetime="{{lastSeen}}">{{lastSeen}}</time></td><td>{{state}}</td></tr>{{/workers}}
        {{^workers}}<tr><td colspan="5" class="muted">No worker has been seen.</td></tr>{{/workers}}
        </tbody></table></div></section>
        <section aria-labelledby="schedules"><h2 id="schedules">Recurring schedules</h2>
        <div class="scroll"><table>
        <thead><tr><th scope="col">Name</th><th scope="col">Task type</th><th scope="col">User</th><th scope="col">Cron</th><th scope="col">Next run</th></tr></thead>
        <tbody>
        {{#schedules}}<tr><td>{{name}}</td><td>{{taskType}}</td><td>{{user}}</td><td><code>{{cron}}</code> ({{timezone}})</td><td>{{#nextRun}}<time datetime="{{nextRun}}">{{nextRun}}</time>{{/nextRun}}{{^nextRun}}paused{{/nextRun}}</td></tr>{{/schedules}}
        {{^schedules}}<tr><td colspan="5" class="muted">No schedules.</td></tr>{{/schedules}}
        </tbody></table></div></section>
        {{> foot}}
        """

    static let tasks = """
        {{> head}}
        <h1>Tasks</h1>
        <form class="filters" method="get" action="/dashboard/tasks" role="search">
        <label>Status <select name="status"><option value="">any</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/statuses}}</select></label>
        <label>Task type <select name="task_type"><option value="">any</option>{{#taskTypes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/taskTypes}}</select></label>
        <label>Created <select name="since"><option value="">any time</option>{{#sinceChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sinceChoices}}</select></label>
        <label>User id <input name="user_id" value="{{userID}}" size="36"></label>
        <label>Search <input name="q" value="{{search}}" size="36" placeholder="task id, user id or idempotency key"></label>
        <button type="submit">Show</button>
        </form>
        <div class="scroll"><table>
        <thead><tr><th scope="col">Task</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Scheduled for</th><th scope="col">User</th><th scope="col" class="num">Retries</th><th scope="col">Last error</th></tr></thead>
        <tbody>
        {{#rows}}<tr data-task-id="{{id}}"><td><a href="/dashboard/tasks/{{id}}"><code>{{shortID}}</code></a></td><td>{{task_type}}</td><td class="status-{{status}}" data-status>{{status}}</td><td>{{priority}}</td><td><time datetime="{{scheduled_for}}">{{scheduled_for}}</time></td><td>{{user_id}}</td><td class="num">{{retry_count}}/{{max_retries}}</td><td>{{lastError}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="8" class="muted">No tasks match.</td></tr>{{/rows}}
        </tbody></table></div>
        {{#next}}<p><a href="{{next}}">Older tasks →</a></p>{{/next}}
        {{> foot}}
        """

    static let task = """
        {{> head}}
        {{#task}}
        <h1>Task <code>{{id}}</code></h1>
        <dl>
        <dt>Type</dt><dd>{{task_type}}</dd>
        <dt>Status</dt><dd class="status-{{status}}">{{status}}{{#cancel_requested_at}} (cancel requested){{/cancel_requested_at}}</dd>
        <dt>Priority</dt><dd>{{priority}}</dd>
        <dt>Scheduled for</dt><dd><time datetime="{{scheduled_for}}">{{scheduled_for}}</time></dd>
        <dt>Retries</dt><dd>{{retry_count}} of {{max_retries}}</dd>
        {{#user_id}}<dt>User</dt><dd><a href="/dashboard/tasks?user_id={{user_id}}">{{user_id}}</a></dd>{{/user_id}}
        {{#created_by}}<dt>Created by</dt><dd>{{created_by}}</dd>{{/created_by}}
        {{#idempotency_key}}<dt>Idempotency key</dt><dd>{{idempotency_key}}</dd>{{/idempotency_key}}
        </dl>
        {{#progress}}<p><label for="progress">Progress</label> <progress id="progress" max="1" value="{{fraction}}">{{fraction}}</progress> {{message}}</p>{{/progress}}
        {{/task}}
        <section aria-labelledby="actions"><h2 id="actions">Actions</h2>
        {{#actions}}<form class="inline" method="post" action="{{path}}"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{label}}</button></form> {{/actions}}
        {{^actions}}<p class="muted">None apply to a task in this state.</p>{{/actions}}
        </section>
        <h2>Context</h2><pre>{{context}}</pre>
        {{#result}}<h2>Result</h2><pre>{{result}}</pre>{{/result}}
        <section aria-labelledby="attempts"><h2 id="attempts">Attempts</h2>
        <div class="scroll"><table>
        <thead><tr><th scope="col">#</th><th scope="col">Worker</th><th scope="col">Started</th><th scope="col" class="num">Duration (ms)</th><th scope="col">Error</th></tr></thead>
        <tbody>
        {{#attempts}}<tr><td>{{attempt}}</td><td>{{worker_id}}</td><td><time datetime="{{started_at}}">{{started_at}}</time></td><td class="num">{{latency_ms}}</td><td>{{error}}</td></tr>{{/attempts}}
        {{#running}}<tr><td>{{attempt}}</td><td>{{worker}}</td><td><time datetime="{{started}}">{{started}}</time></td><td class="num">running</td><td></td></tr>{{/running}}
        {{^attempts}}{{^running}}<tr><td colspan="5" class="muted">Not run yet.</td></tr>{{/running}}{{/attempts}}
        </tbody></table></div></section>
        {{#webhooks}}<section aria-labelledby="webhooks"><h2 id="webhooks">Webhook deliveries</h2><pre>{{webhooks}}</pre></section>{{/webhooks}}
        {{> foot}}
        """

    static let bulk = """
        {{> head}}
        <h1>Confirm</h1>
        <p>{{question}}</p>
        {{#any}}<form method="post" action="/dashboard/bulk">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="action" value="{{action}}"><input type="hidden" name="task_type" value="{{taskType}}">
        <button type="submit">Yes, all {{count}}</button> <a href="/dashboard">No, back</a>
        </form>
        <p class="muted">At most {{limit}} change in one go; confirm again for the rest.</p>{{/any}}
        {{^any}}<p><a href="/dashboard">Nothing to do: back</a></p>{{/any}}
        {{> foot}}
        """

    static let problem = """
        {{> head}}
        <h1>{{title}}</h1>
        <p>{{message}}</p>
        {{> foot}}
        """
}
