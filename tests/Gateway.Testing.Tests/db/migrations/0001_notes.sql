-- The notes api of a team building on the gateway, as the kit's own tests use it: a private table, a view in the
-- exposed schema, row-level security by the token's sub, and a function. Objects belong to gateway_owner, as the
-- gateway's own do, so the view is checked as its owner and the policy must be forced.
create schema notes_private authorization gateway_owner;

set local role gateway_owner;

comment on schema notes_private is 'The notes table; reached only through api.notes and api.add_note.';

create table notes_private.note (
  note_id bigint generated always as identity primary key,
  owner text not null default (current_setting('request.jwt.claims', true)::jsonb ->> 'sub'),
  body text not null check (char_length(body) between 1 and 500),
  created_at timestamptz not null default now()
);
comment on table notes_private.note is 'Each caller''s notes, keyed by the sub claim of its token.';

alter table notes_private.note enable row level security;
alter table notes_private.note force row level security;
-- Without a sub claim the comparison is null: nothing is visible or writable.
create policy note_own_rows on notes_private.note
  for all
  using (owner = current_setting('request.jwt.claims', true)::jsonb ->> 'sub')
  with check (owner = current_setting('request.jwt.claims', true)::jsonb ->> 'sub');

create view api.notes as
select note.note_id, note.body, note.created_at
from notes_private.note;
comment on view api.notes is 'For authenticated only: the caller''s own notes; select, insert, update and delete.';
grant select, insert, update, delete on api.notes to authenticated;

create function api.add_note(body text)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  _note_id bigint;
begin
  -- Checked here as well as by the grant: a grant script may give EXECUTE on every api function to anon.
  if current_setting('request.jwt.claims', true)::jsonb ->> 'sub' is null then
    raise sqlstate '42501' using message = 'You must be signed in';
  end if;
  insert into notes_private.note (body) values (add_note.body) returning note_id into _note_id;
  return _note_id;
end
$$;
comment on function api.add_note(text) is 'For authenticated: adds a note for the caller and returns its id.';
grant execute on function api.add_note(text) to authenticated;

reset role;
