set local role gateway_owner;

-- Through internal.run_function (invoker) the worker calls the four allow-listed functions below as itself.
grant usage on schema comms to worker_service_user;

create table comms.send_email_task (
  send_email_task_id bigint generated always as identity primary key,
  message_id bigint not null references comms.email_message (message_id),
  created_at timestamptz not null default now()
);
comment on table comms.send_email_task is
  'Root of one "send this email" process, supervised by comms.send_email_supervisor. Owner only.';
-- Which processes sent a message.
create index send_email_task_message_id_idx on comms.send_email_task (message_id);

create table comms.send_email_attempt (
  send_email_attempt_id bigint generated always as identity primary key,
  send_email_task_id bigint not null references comms.send_email_task (send_email_task_id),
  created_at timestamptz not null default now()
);
comment on table comms.send_email_attempt is
  'Append-only: one row per try to hand an email to the provider, created by comms.schedule_email_attempt. Owner only.';
-- The supervisor's facts read a process's attempts.
create index send_email_attempt_send_email_task_id_idx on comms.send_email_attempt (send_email_task_id);

create table comms.send_email_attempt_succeeded (
  send_email_attempt_id bigint primary key references comms.send_email_attempt (send_email_attempt_id),
  created_at timestamptz not null default now()
);
comment on table comms.send_email_attempt_succeeded is
  'Outcome fact: the provider accepted the attempt. Written by comms.record_email_success; owner only.';

create table comms.send_email_attempt_failed (
  send_email_attempt_id bigint primary key references comms.send_email_attempt (send_email_attempt_id),
  error_message text not null,
  created_at timestamptz not null default now()
);
comment on table comms.send_email_attempt_failed is
  'Outcome fact: the attempt failed (before-handler status or provider error). Written by comms.record_email_failure; owner only.';

-- At most one outcome row of each kind per attempt (primary keys), so the joins never multiply attempts.
create function comms.send_email_supervisor_facts(
  _send_email_task_id bigint,
  out has_success boolean,
  out num_failures integer,
  out num_attempts integer
)
language sql
stable
set search_path = ''
as $$
  select
    count(s.send_email_attempt_id) > 0,
    count(f.send_email_attempt_id)::integer,
    count(*)::integer
  from comms.send_email_attempt as a
  left join comms.send_email_attempt_succeeded as s on s.send_email_attempt_id = a.send_email_attempt_id
  left join comms.send_email_attempt_failed as f on f.send_email_attempt_id = a.send_email_attempt_id
  where a.send_email_task_id = _send_email_task_id
$$;
comment on function comms.send_email_supervisor_facts(bigint) is
  'Everything the supervisor decides on, read once under its row lock. Owner only (called by comms.send_email_supervisor).';

create function comms.get_email_payload_facts(
  _send_email_attempt_id bigint,
  out message_id bigint,
  out from_address text,
  out to_address text,
  out subject text,
  out html text
)
language sql
stable
set search_path = ''
as $$
  select e.message_id, e.from_address, e.to_address, e.subject, e.html
  from comms.send_email_attempt as a
  join comms.send_email_task as t on t.send_email_task_id = a.send_email_task_id
  join comms.email_message as e on e.message_id = t.message_id
  where a.send_email_attempt_id = _send_email_attempt_id
$$;
comment on function comms.get_email_payload_facts(bigint) is
  'The email an attempt sends (all NULL when the attempt is unknown). Owner only (called by comms.get_email_payload).';

-- One place for the shape of the supervisor's task, which both the kickoff and the recheck enqueue.
create function comms.send_email_supervisor_payload(_send_email_task_id bigint, _run_count integer) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'task_type', 'db_function',
    'db_function', 'comms.send_email_supervisor',
    'send_email_task_id', _send_email_task_id,
    'run_count', _run_count)
$$;
comment on function comms.send_email_supervisor_payload(bigint, integer) is
  'The db_function task payload that runs comms.send_email_supervisor. Owner only.';

create function comms.kickoff_send_email_task(
  _message_id bigint,
  _scheduled_at timestamptz default now(),
  out validation_failure_message text,
  out send_email_task_id bigint
)
language plpgsql
security definer
set search_path = ''
as $$
begin
  if _message_id is null then
    validation_failure_message := 'missing_message_id';
    return;
  end if;
  if not exists (select from comms.email_message as e where e.message_id = _message_id) then
    validation_failure_message := 'message_not_found';
    return;
  end if;

  insert into comms.send_email_task as t (message_id)
  values (_message_id)
  returning t.send_email_task_id into send_email_task_id;

  perform queues.enqueue('db_function', comms.send_email_supervisor_payload(send_email_task_id, 0), _scheduled_at);
end
$$;
comment on function comms.kickoff_send_email_task(bigint, timestamptz) is
  'Starts sending a stored email message: creates the process and enqueues its first supervisor run, in the caller''s '
  'transaction. Failures: missing_message_id, message_not_found. Owner only (called by definer functions).';

create function comms.create_and_kickoff_email_task(
  _from_address text,
  _to_address text,
  _subject text,
  _html text,
  _scheduled_at timestamptz default now(),
  out validation_failure_message text,
  out send_email_task_id bigint
)
language plpgsql
security definer
set search_path = ''
as $$
declare
  _message_id bigint;
begin
  -- In FROM, so the constructor runs once; (f(...)).* would run it once per output column.
  select m.validation_failure_message, m.created_message_id
  into validation_failure_message, _message_id
  from comms.create_email_message(_from_address, _to_address, _subject, _html) as m;
  if validation_failure_message is not null then
    return;
  end if;

  select k.validation_failure_message, k.send_email_task_id
  into validation_failure_message, send_email_task_id
  from comms.kickoff_send_email_task(_message_id, _scheduled_at) as k;
end
$$;
comment on function comms.create_and_kickoff_email_task(text, text, text, text, timestamptz) is
  'Stores an email and starts sending it. Failures are comms.create_email_message''s codes; nothing is written then. '
  'Owner only (called by definer api functions such as api.hello_world_email).';

create function comms.schedule_email_attempt(_send_email_task_id bigint) returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  _send_email_attempt_id bigint;
begin
  insert into comms.send_email_attempt (send_email_task_id)
  values (_send_email_task_id)
  returning send_email_attempt_id into _send_email_attempt_id;

  perform queues.enqueue('email', jsonb_build_object(
    'task_type', 'email',
    'send_email_attempt_id', _send_email_attempt_id,
    'before_handler', 'comms.get_email_payload',
    'success_handler', 'comms.record_email_success',
    'error_handler', 'comms.record_email_failure'));

  return _send_email_attempt_id;
end
$$;
comment on function comms.schedule_email_attempt(bigint) is
  'Effect: records a new attempt and enqueues the email task that carries it, due now; returns the attempt id. '
  'Owner only (called by comms.send_email_supervisor).';

create function comms.schedule_email_supervisor_recheck(
  _send_email_task_id bigint,
  _num_failures integer,
  _run_count integer
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  _base_delay_seconds double precision := coalesce(
    (internal.get_config('email_supervisor') ->> 'base_delay_seconds')::double precision, 5);
begin
  perform queues.enqueue(
    'db_function',
    comms.send_email_supervisor_payload(_send_email_task_id, _run_count + 1),
    now() + make_interval(secs => _base_delay_seconds * 2 ^ _num_failures));
end
$$;
comment on function comms.schedule_email_supervisor_recheck(bigint, integer, integer) is
  'Effect: enqueues the next supervisor run with run_count + 1 at now() + base_delay_seconds × 2^failures (5 s, 10 s, …). '
  'Owner only (called by comms.send_email_supervisor).';

create function comms.send_email_supervisor(_payload jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _config jsonb := internal.get_config('email_supervisor');
  _max_attempts integer := coalesce((_config ->> 'max_attempts')::integer, 2);
  _max_runs integer := coalesce((_config ->> 'max_runs')::integer, 20);
  _send_email_task_id bigint := (_payload ->> 'send_email_task_id')::bigint;
  _run_count integer := coalesce((_payload ->> 'run_count')::integer, 0);
  _facts record;
begin
  if _send_email_task_id is null then
    return jsonb_build_object('status', 'missing_send_email_task_id');
  end if;

  if _run_count >= _max_runs then
    raise exception 'comms.send_email_supervisor: send_email_task % reached % runs, stopping (possible infinite loop)',
      _send_email_task_id, _run_count;
  end if;

  -- Serializes concurrent runs for one process; must come before the facts are read.
  perform 1
  from comms.send_email_task as t
  where t.send_email_task_id = _send_email_task_id
  for update;
  if not found then
    return jsonb_build_object('status', 'send_email_task_not_found');
  end if;

  select * into _facts from comms.send_email_supervisor_facts(_send_email_task_id);

  if _facts.has_success then
    return jsonb_build_object('status', 'succeeded');
  end if;
  if _facts.num_failures >= _max_attempts then
    return jsonb_build_object('status', 'max_attempts_reached');
  end if;

  -- No attempt in flight: start one.
  if _facts.num_attempts = _facts.num_failures then
    perform comms.schedule_email_attempt(_send_email_task_id);
  end if;
  perform comms.schedule_email_supervisor_recheck(_send_email_task_id, _facts.num_failures, _run_count);

  return jsonb_build_object('status', 'scheduled');
end
$$;
comment on function comms.send_email_supervisor(jsonb) is
  'Supervisor of one send_email_task: returns status succeeded | max_attempts_reached (terminal), scheduled (an attempt '
  'and/or a recheck was enqueued), missing_send_email_task_id or send_email_task_not_found; raises once run_count reaches '
  'max_runs. Constants from internal.config email_supervisor. Called by the worker through internal.run_function.';
grant execute on function comms.send_email_supervisor(jsonb) to worker_service_user;

create function comms.get_email_payload(_payload jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _send_email_attempt_id bigint := (_payload ->> 'send_email_attempt_id')::bigint;
  _email record;
begin
  if _send_email_attempt_id is null then
    return jsonb_build_object('status', 'missing_send_email_attempt_id');
  end if;

  select * into _email from comms.get_email_payload_facts(_send_email_attempt_id);
  if _email.message_id is null then
    return jsonb_build_object('status', 'email_message_not_found');
  end if;

  return jsonb_build_object('status', 'succeeded', 'payload', to_jsonb(_email));
end
$$;
comment on function comms.get_email_payload(jsonb) is
  'Before-handler of email tasks: {status: succeeded, payload: {message_id, from_address, to_address, subject, html}}, '
  'or status missing_send_email_attempt_id / email_message_not_found. Called by the worker through internal.run_function.';
grant execute on function comms.get_email_payload(jsonb) to worker_service_user;

create function comms.record_email_success(_payload jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _send_email_attempt_id bigint := (_payload -> 'original_payload' ->> 'send_email_attempt_id')::bigint;
begin
  if _send_email_attempt_id is null then
    return jsonb_build_object('status', 'missing_send_email_attempt_id');
  end if;
  if not exists (select from comms.send_email_attempt as a where a.send_email_attempt_id = _send_email_attempt_id) then
    return jsonb_build_object('status', 'send_email_attempt_not_found');
  end if;

  insert into comms.send_email_attempt_succeeded (send_email_attempt_id)
  values (_send_email_attempt_id)
  on conflict (send_email_attempt_id) do nothing;

  return jsonb_build_object('status', 'succeeded');
end
$$;
comment on function comms.record_email_success(jsonb) is
  'Success handler of email tasks ({original_payload, worker_payload}); idempotent. Called by the worker through '
  'internal.run_function.';
grant execute on function comms.record_email_success(jsonb) to worker_service_user;

create function comms.record_email_failure(_payload jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  _send_email_attempt_id bigint := (_payload -> 'original_payload' ->> 'send_email_attempt_id')::bigint;
begin
  if _send_email_attempt_id is null then
    return jsonb_build_object('status', 'missing_send_email_attempt_id');
  end if;
  if not exists (select from comms.send_email_attempt as a where a.send_email_attempt_id = _send_email_attempt_id) then
    return jsonb_build_object('status', 'send_email_attempt_not_found');
  end if;

  insert into comms.send_email_attempt_failed (send_email_attempt_id, error_message)
  values (_send_email_attempt_id, coalesce(_payload ->> 'error', ''))
  on conflict (send_email_attempt_id) do nothing;

  return jsonb_build_object('status', 'succeeded');
end
$$;
comment on function comms.record_email_failure(jsonb) is
  'Error handler of email tasks ({original_payload, error}); idempotent. Called by the worker through internal.run_function.';
grant execute on function comms.record_email_failure(jsonb) to worker_service_user;

insert into internal.runnable_function (function_name)
values
  ('comms.send_email_supervisor'),
  ('comms.get_email_payload'),
  ('comms.record_email_success'),
  ('comms.record_email_failure');

reset role;
