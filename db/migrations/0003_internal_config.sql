set local role gateway_owner;

-- Application settings, including the JWT secret. Only the owner reads it, through definer functions;
-- anon, authenticated and the worker get no privilege on it.
create table internal.config (
  key text primary key,
  value jsonb not null
);
comment on table internal.config is
  'Application settings as key → jsonb. Owner only: read by definer functions through internal.get_config; '
  'no other role has any privilege.';

-- Invoker on purpose: granted to nobody, so only the owner's definer functions can call it.
create function internal.get_config(_key text) returns jsonb
language sql
stable
set search_path = ''
as $$
  select c.value
  from internal.config as c
  where c.key = _key
$$;
comment on function internal.get_config(text) is
  'The value of one setting, or NULL when the key is missing. Owner only (called by definer functions); '
  'not granted to any role.';

-- The secret signs HS256 tokens, which need a key of at least 256 bits; refuse a weaker one before storing it.
do $$
begin
  if length(current_setting('migrator.jwt_secret')) < 32 then
    raise sqlstate '22023' using message = 'migrator.jwt_secret must be at least 32 characters long';
  end if;
end
$$;

-- Seeded once: re-running never rotates a secret or overwrites a value an operator changed.
insert into internal.config (key, value)
values
  ('jwt', jsonb_build_object(
    'secret', current_setting('migrator.jwt_secret'),
    'access_token_expiry_seconds', 3600,
    'refresh_token_expiry_seconds', 86400)),
  ('from_emails', jsonb_build_object(
    'hello', 'hello@example.com',
    'noreply', 'noreply@example.com')),
  ('queue', jsonb_build_object(
    'lease_seconds', 300)),
  ('email_supervisor', jsonb_build_object(
    'max_attempts', 2,
    'max_runs', 20,
    'base_delay_seconds', 5))
on conflict (key) do nothing;

reset role;
