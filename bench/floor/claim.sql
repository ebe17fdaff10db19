-- The claim serve makes (its own transaction; synchronous_commit off inside the
-- function), :batch tasks at a time, by pgbench client :client_id. Run by
-- scripts/bench-floor.
SELECT count(*) FROM agent_tasks_claim('floor-' || :client_id, now() + interval '60 seconds', now(), ARRAY['noop'], :batch);
