-- The schemas of the application, all owned by gateway_owner, and the privileges nobody gets by default.
-- Every later migration that creates objects runs as gateway_owner (`set local role gateway_owner`)
-- and grants each object explicitly, next to its definition.

-- Nobody but the owner creates objects in this database or in public.
revoke create on schema public from public;
do $$
begin
  execute format('revoke create, temporary on database %I from public', current_database());
  execute format('grant connect on database %I to authenticator, worker_service_user', current_database());
end
$$;

-- pgcrypto (bcrypt, hmac, random bytes) lives in its own schema; only the owner uses it, through
-- definer functions with a pinned search_path.
create schema extensions authorization gateway_owner;
revoke all on schema extensions from public;
create extension pgcrypto with schema extensions;

create schema api authorization gateway_owner;
comment on schema api is 'The only schema exposed over HTTP: views and functions for anon and authenticated.';
create schema internal authorization gateway_owner;
comment on schema internal is 'Configuration and the function runner; reached only by the worker and definer functions.';
create schema queues authorization gateway_owner;
comment on schema queues is 'The lease-based task queue.';
create schema comms authorization gateway_owner;
comment on schema comms is 'Messages, templates and the email supervisor with its handlers.';
create schema accounts authorization gateway_owner;
comment on schema accounts is 'User accounts and their bcrypt password hashes.';
create schema auth authorization gateway_owner;
comment on schema auth is 'JWT minting and verification in SQL.';
create schema demo authorization gateway_owner;
comment on schema demo is 'Private tables behind the demo api (todos).';

revoke all on schema api, internal, queues, comms, accounts, auth, demo from public;

-- PostgreSQL grants EXECUTE on every new function to PUBLIC; objects of gateway_owner get no such grant,
-- so each function is callable only by the roles granted next to it.
alter default privileges for role gateway_owner revoke execute on functions from public;

grant usage on schema api to anon, authenticated;
