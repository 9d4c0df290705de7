-- revoke broad function execute; prefer explicit, per-role grants
revoke execute on all functions in schema internal from public;
revoke execute on all functions in schema queues from public;
revoke execute on all functions in schema comms from public;

-- worker role gets only what it needs
grant usage on schema queues, internal, comms to worker_service_user;
grant execute on function queues.dequeue_next_available_task() to worker_service_user;
grant execute on function queues.append_error(bigint, text) to worker_service_user;
grant execute on function internal.run_function(text, jsonb) to worker_service_user;
-- supervisors/handlers are security definer; grant execute individually:
grant execute on function comms.send_email_supervisor(jsonb) to worker_service_user;
grant execute on function comms.get_email_payload(jsonb) to worker_service_user;
grant execute on function comms.record_email_success(jsonb) to worker_service_user;
grant execute on function comms.record_email_failure(jsonb) to worker_service_user;

-- postgrest roles get execute only on public API functions in schema api
grant usage on schema api to anon, authenticated;
grant execute on all functions in schema api to anon, authenticated;
