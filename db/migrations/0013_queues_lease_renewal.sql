set local role gateway_owner;

-- What the worker service needs beyond dequeue/complete/fail: keeping the lease of a long task, handing a
-- task back when it shuts down mid-task, and the numbers behind its queue metrics. All definer functions
-- granted to worker_service_user only; the worker still gets no privilege on a queue table.

-- One place for the lease length, so dequeue, renewal and the worker's renewal timer agree on it.
create function queues.lease_seconds() returns double precision
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((internal.get_config('queue') ->> 'lease_seconds')::double precision, 300)
$$;
comment on function queues.lease_seconds() is
  'How long a claim lasts: internal.config queue.lease_seconds (default 300). Called by the worker to time its '
  'lease renewals (every third of it).';
grant execute on function queues.lease_seconds() to worker_service_user;

-- The caller is known only as "whoever holds the active lease": there is no worker identity in the queue.
-- A worker therefore renews well before expiry; once a lease has run out it cannot be renewed, so a worker
-- that missed its renewal learns (NULL) that the task may have been handed to someone else.
create function queues.renew_lease(_task_id bigint) returns timestamptz
language plpgsql
security definer
set search_path = ''
as $$
declare
  _lease_expires_at timestamptz;
begin
  update queues.task_pending as p
  set lease_expires_at = greatest(p.lease_expires_at, now() + make_interval(secs => queues.lease_seconds()))
  where p.task_id = _task_id
    and p.lease_expires_at > now()
  returning p.lease_expires_at into _lease_expires_at;

  if _lease_expires_at is null then
    return null;
  end if;

  -- The claim's audit row follows its lease: still one row per claim, now with the time it really ran out.
  update queues.task_lease as l
  set expires_at = _lease_expires_at
  where l.task_lease_id = (
    select max(latest.task_lease_id) from queues.task_lease as latest where latest.task_id = _task_id);

  return _lease_expires_at;
end
$$;
comment on function queues.renew_lease(bigint) is
  'Extends the active lease of a pending task to now() + queues.lease_seconds() (never shortening it) and returns '
  'the new expiry; NULL when the task is completed, unknown, never claimed or its lease has already run out. '
  'Called by the worker for tasks it is still processing.';
grant execute on function queues.renew_lease(bigint) to worker_service_user;

create function queues.release_lease(_task_id bigint) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  update queues.task_pending as p
  set lease_expires_at = now()
  where p.task_id = _task_id
    and p.lease_expires_at > now();

  if not found then
    return false;
  end if;

  update queues.task_lease as l
  set expires_at = now()
  where l.task_lease_id = (
    select max(latest.task_lease_id) from queues.task_lease as latest where latest.task_id = _task_id);

  return true;
end
$$;
comment on function queues.release_lease(bigint) is
  'Ends the active lease of a pending task now, so the next dequeue can take it again; false when there was none. '
  'Called by the worker for tasks it gives up without finishing (shutdown past its bound, database outage).';
grant execute on function queues.release_lease(bigint) to worker_service_user;

-- Read by every idle worker loop and by the metrics sampler, so it reads task_pending (small) and joins
-- only the pending rows of task.
create function queues.queue_stats()
returns table (
  task_type text,
  due bigint,
  leased bigint,
  scheduled bigint,
  oldest_due_age_seconds double precision,
  next_available_in_seconds double precision
)
language sql
stable
security definer
set search_path = ''
as $$
  select
    s.task_type,
    count(*) filter (where s.is_due),
    count(*) filter (where s.is_leased),
    count(*) filter (where not s.is_due and not s.is_leased),
    coalesce(extract(epoch from now() - min(s.scheduled_at) filter (where s.is_due))::double precision, 0),
    extract(epoch from min(s.available_at) filter (where not s.is_due) - now())::double precision
  from (
    select
      t.task_type::text as task_type,
      p.scheduled_at,
      greatest(p.scheduled_at, p.lease_expires_at) as available_at,
      coalesce(p.lease_expires_at > now(), false) as is_leased,
      p.scheduled_at <= now() and coalesce(p.lease_expires_at <= now(), true) as is_due
    from queues.task_pending as p
    join queues.task as t on t.task_id = p.task_id
  ) as s
  group by s.task_type
$$;
comment on function queues.queue_stats() is
  'One row per task type with pending tasks: due (waiting for a worker), leased (being processed), scheduled '
  '(not due yet), oldest_due_age_seconds (how long the oldest due task has waited; 0 when none) and '
  'next_available_in_seconds (until the next scheduled task is due or leased task''s lease runs out; NULL when '
  'none). Called by the worker for its metrics and to sleep until the next task is due.';
grant execute on function queues.queue_stats() to worker_service_user;

reset role;
