set local role gateway_owner;

-- The worker reaches run_function and is_runnable_function through this schema, nothing else in it.
grant usage on schema internal to worker_service_user;

-- Names, not oids: pg_upgrade refuses reg* columns, and a name survives dropping and recreating its function.
create table internal.runnable_function (
  function_name text primary key,
  created_at timestamptz not null default now(),
  constraint runnable_function_name_is_qualified
    check (function_name ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$')
);
comment on table internal.runnable_function is
  'Allow-list of internal.run_function: schema-qualified names of functions taking one jsonb and returning jsonb. '
  'Rows are added by the migration that defines each function. Owner only; the worker asks internal.is_runnable_function.';

-- Definer so that the invoker run_function can consult the allow-list without the worker holding a table privilege.
create function internal.is_runnable_function(_target regprocedure) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select
    from internal.runnable_function as r
    where to_regprocedure(r.function_name || '(jsonb)') = _target
  )
$$;
comment on function internal.is_runnable_function(regprocedure) is
  'Whether a function is on the run_function allow-list. Called by internal.run_function as the worker; reveals nothing else.';
grant execute on function internal.is_runnable_function(regprocedure) to worker_service_user;

-- Invoker: the target runs with the worker's own privileges, so it needs EXECUTE on each target as well
-- (granted next to each target). The caller's string is only ever parsed by to_regprocedure, never pasted into SQL.
create function internal.run_function(function_name text, payload jsonb) returns jsonb
language plpgsql
security invoker
set search_path = ''
as $$
declare
  _target regprocedure;
  _target_schema name;
  _target_name name;
  _target_kind "char";
  _target_returns regtype;
  _target_returns_set boolean;
  _result jsonb;
begin
  if function_name is null or btrim(function_name) = '' then
    raise sqlstate '22023' using message = 'internal.run_function needs a function name';
  end if;

  -- The block holds only the lookup: a schema the worker may not use means refused, any other error is bad syntax.
  begin
    _target := to_regprocedure(function_name || '(jsonb)');
  exception
    when insufficient_privilege then
      raise sqlstate '42501' using
        message = format('internal.run_function: %L is not allowed to run', function_name),
        detail = sqlerrm;
    when others then
      raise sqlstate '22023' using
        message = format('internal.run_function: %L is not a valid function name', function_name),
        detail = sqlerrm;
  end;

  if _target is null then
    raise sqlstate '42883' using
      message = format('internal.run_function: no function %L taking one jsonb argument exists', function_name),
      hint = 'Use a schema-qualified name such as comms.send_email_supervisor.';
  end if;

  if not internal.is_runnable_function(_target) then
    raise sqlstate '42501' using
      message = format('internal.run_function: %L is not allowed to run', function_name),
      hint = 'Only functions listed in internal.runnable_function can be run.';
  end if;

  select n.nspname, p.proname, p.prokind, p.prorettype::regtype, p.proretset
  into _target_schema, _target_name, _target_kind, _target_returns, _target_returns_set
  from pg_catalog.pg_proc as p
  join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
  where p.oid = _target;

  if _target_kind <> 'f' or _target_returns <> 'jsonb'::regtype or _target_returns_set then
    raise sqlstate '42804' using
      message = format('internal.run_function: %L must be a function returning a single jsonb', function_name);
  end if;

  execute format('select %I.%I($1)', _target_schema, _target_name)
  into _result
  using coalesce(payload, '{}'::jsonb);

  return coalesce(_result, '{}'::jsonb);
end
$$;
comment on function internal.run_function(text, jsonb) is
  'Runs an allow-listed function(jsonb) returning jsonb with the task payload; NULL payload → {}, NULL result → {}. '
  'Called by the worker for db_function tasks and handlers. Errors: 22023 bad or blank name, 42883 no such function, '
  '42501 not allow-listed, 42804 not returning jsonb.';
grant execute on function internal.run_function(text, jsonb) to worker_service_user;

reset role;
