set local role gateway_owner;

-- The demo surface: two greeting views, the signed-in account, and a per-account todo list kept private
-- by row-level security.

create view api.hello_world as
select 'Hello, World!'::text as message;
comment on view api.hello_world is 'For anon and authenticated: one greeting row, to check the gateway is up.';
grant select on api.hello_world to anon, authenticated;

create view api.hello_secure as
select 'Hello, Authenticated!'::text as message;
comment on view api.hello_secure is 'For authenticated only: one greeting row, to check a token is accepted.';
grant select on api.hello_secure to authenticated;

create function api.me()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  _account_id bigint := auth.jwt_account_id();
  _me jsonb;
begin
  -- Checked here as well as by the grant: the seed's grant script gives EXECUTE on every api function to anon.
  if _account_id is null then
    raise sqlstate '42501' using message = 'You must be signed in', hint = 'not_signed_in';
  end if;
  select jsonb_build_object(
           'account_id', account.account_id,
           'email', account.email,
           'phone_number', account.phone_number,
           'created_at', account.created_at)
  into _me
  from accounts.account
  where account.account_id = _account_id;
  if _me is null then
    raise sqlstate '42501' using
      message = 'You must be signed in',
      detail = 'The account of this token no longer exists.',
      hint = 'not_signed_in';
  end if;
  return _me;
end
$$;
comment on function api.me() is
  'For authenticated (and refuses anyone without a sub claim itself, 42501 hint not_signed_in): the '
  'signed-in account as {account_id, email, phone_number, created_at}.';
grant execute on function api.me() to authenticated;

create table demo.todo (
  todo_id bigint generated always as identity primary key,
  account_id bigint not null default auth.jwt_account_id() references accounts.account on delete cascade,
  title text not null,
  done boolean not null default false,
  created_at timestamptz not null default now(),
  constraint todo_title_length check (char_length(btrim(title, E' \t\r\n')) between 1 and 500)
);
-- Every statement through api.todos filters on account_id (the policy), as does the cascade from accounts.
create index todo_account_id_idx on demo.todo (account_id);
comment on table demo.todo is
  'The demo todo items of each account. No role has any grant: reached only through the view api.todos, '
  'and row-level security keeps every account to its own rows.';

alter table demo.todo enable row level security;
-- The view api.todos runs as its owner, gateway_owner, who owns this table too: without FORCE the owner,
-- and so every request through the view, would bypass the policy.
alter table demo.todo force row level security;

-- For every role (a view is checked as its owner, so a policy "to authenticated" would never apply) and
-- every command. The sub-select runs auth.jwt_account_id() once per statement instead of once per row.
-- Without a sub claim it is NULL, the comparison is never true, and nothing is visible or writable.
create policy todo_own_rows on demo.todo
  for all
  using (account_id = (select auth.jwt_account_id()))
  with check (account_id = (select auth.jwt_account_id()));

create view api.todos as
select todo.todo_id, todo.title, todo.done, todo.created_at
from demo.todo;
comment on view api.todos is
  'For authenticated only: the caller''s own todos; select, insert, update and delete go through to '
  'demo.todo (the view is auto-updatable), whose policy limits every statement to the caller''s account '
  'and whose default fills in account_id on insert.';
grant select, insert, update, delete on api.todos to authenticated;

reset role;
