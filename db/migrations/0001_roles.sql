-- Roles are cluster-wide, so every statement here must also succeed when a second database on the same
-- server is migrated: create what is missing, then (re)state the attributes and passwords.
-- Passwords arrive as session settings set by the migrator (never pasted into this text) and are
-- quoted with format(%L) when the statement is built.

do $$
begin
  -- Owns every schema and object of the application, so SECURITY DEFINER never means superuser.
  if not exists (select from pg_roles where rolname = 'gateway_owner') then
    create role gateway_owner nologin;
  end if;
  -- The role of requests without a token.
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin;
  end if;
  -- The role of requests with a valid token whose role claim is 'authenticated'.
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin;
  end if;
  -- The gateway's login: no privilege of its own (NOINHERIT), it can only switch to anon or authenticated.
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  -- The queue worker's login: dequeues tasks and calls the business functions granted to it, nothing else.
  if not exists (select from pg_roles where rolname = 'worker_service_user') then
    create role worker_service_user login;
  end if;
end
$$;

alter role gateway_owner nologin nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls;
alter role anon nologin nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role authenticated nologin nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role authenticator login noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls;
alter role worker_service_user login nosuperuser nocreatedb nocreaterole noreplication nobypassrls;

grant anon, authenticated to authenticator;

do $$
begin
  execute format('alter role authenticator password %L', current_setting('migrator.authenticator_password'));
  execute format('alter role worker_service_user password %L', current_setting('migrator.worker_password'));
end
$$;
