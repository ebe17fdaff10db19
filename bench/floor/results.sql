-- One durable transaction writing the results of :batch tasks this client claimed, the
-- way PostgresTaskStore.apply writes completed noops (same columns, same conditions,
-- same action-log row). The first statement only finds the claimed ids (serve knows
-- them); scripts/bench-floor leaves its time out. Run by scripts/bench-floor.
-- A copy by necessity (pgbench needs the text): when apply's statement changes, change
-- this one with it.
SELECT coalesce(array_agg(id), '{}') AS ids FROM (
    SELECT id FROM agent_tasks WHERE status = 'processing' AND locked_by = 'floor-' || :client_id LIMIT :batch) AS mine
\gset
WITH input AS (
    SELECT i.id, 'floor-' || :client_id AS worker, 0 AS retry_count, 'completed' AS status, 0 AS increment,
           NULL::timestamptz AS retry_at, '{}'::jsonb AS result, now() AS completed_at,
           NULL::text AS error_line, NULL::text AS error, 0 AS latency, 1 AS attempt,
           now() AS started_at, now() AS finished_at, NULL::jsonb AS progress, 'completed' AS outcome, 0::int8 AS wait
    FROM unnest(:ids::uuid[]) AS i(id)
),
updated AS (
    UPDATE agent_tasks AS t
    SET status = CASE WHEN t.cancel_requested_at IS NULL THEN i.status ELSE 'cancelled' END,
        retry_count = t.retry_count + CASE WHEN t.cancel_requested_at IS NULL THEN i.increment ELSE 0 END,
        attempts = t.attempts + 1,
        scheduled_for = CASE WHEN t.cancel_requested_at IS NULL THEN COALESCE(i.retry_at, t.scheduled_for)
            ELSE t.scheduled_for END,
        result_json = CASE WHEN t.cancel_requested_at IS NULL THEN COALESCE(i.result, t.result_json)
            ELSE t.result_json END,
        completed_at = CASE WHEN t.cancel_requested_at IS NULL THEN i.completed_at END,
        error_log = CASE
            WHEN i.error_line IS NULL THEN t.error_log
            WHEN t.error_log IS NULL OR t.error_log = '' THEN i.error_line
            ELSE t.error_log || E'\n' || i.error_line END,
        progress_json = COALESCE(i.progress, t.progress_json),
        locked_by = NULL, locked_until = NULL, updated_at = i.finished_at
    FROM input AS i
    WHERE t.id = ANY(:ids::uuid[]) AND t.id = i.id
      AND t.status = 'processing' AND t.locked_by = i.worker AND t.retry_count = i.retry_count
    RETURNING t.id, t.user_id, t.task_type, t.context_json, t.status, t.attempts
)
INSERT INTO agent_actions_log (
    agent_type, action_type, user_id, context_id, context_type, latency_ms,
    input_data, output_data, error, attempt, worker_id, started_at, created_at, outcome, wait_ms)
SELECT 'task_processor', 'process_' || u.task_type, u.user_id, u.id, 'agent_task', i.latency,
    u.context_json, i.result, i.error, i.attempt, i.worker, i.started_at, i.finished_at, i.outcome, i.wait
FROM updated AS u JOIN input AS i ON i.id = u.id;
