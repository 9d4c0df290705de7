-- Fixture objects for the HTTP api tests: a view with columns of every common type, and functions of every
-- result shape. Created as the owner, like migrations, and granted explicitly.
set role gateway_owner;

create table demo.fixture_item (
  id integer primary key,
  big bigint,
  price numeric(10, 2),
  name text,
  active boolean,
  day date,
  at timestamptz,
  data jsonb,
  doc json,
  tags text[],
  nums integer[],
  span int4range,
  search tsvector
);

insert into demo.fixture_item values
  (1, 10000000000, 9.99, 'apple', true, '2024-01-01', '2024-01-01 10:00+00',
   '{"color": "red", "size": {"w": 1, "h": 2}, "list": [1, 2, 3]}', '{"k": "v1"}', '{fruit,red}', '{1,2}', '[1,5)',
   to_tsvector('english', 'the quick brown fox')),
  (2, 20000000000, 19.50, 'banana', false, '2024-02-01', '2024-02-01 10:00+00',
   '{"color": "yellow", "size": {"w": 2, "h": 1}, "list": [4]}', '{"k": "v2"}', '{fruit,yellow}', '{3}', '[5,10)',
   to_tsvector('english', 'lazy dogs sleep')),
  (3, null, 0.50, 'cherry', true, '2024-03-01', '2024-03-01 10:00+00',
   '{"color": "red"}', null, '{fruit,red,small}', '{2,3}', '[10,20)',
   to_tsvector('english', 'a quick red cherry')),
  (4, 40, null, 'Date, "dried"', null, null, null,
   null, null, '{}', null, null, null),
  (5, 50, 5.00, 'elderberry', false, '2024-05-01', '2024-05-01 10:00+00',
   '{"color": "purple", "list": []}', '{"k": "v5"}', '{berry}', '{5}', '[20,30)',
   to_tsvector('english', 'purple berries'));

create view api.items as
  select id, big, price, name, active, day, at, data, doc, tags, nums, span, search from demo.fixture_item;
comment on view api.items is 'Fixture rows of every common type.';
grant select on api.items to anon, authenticated;

create function api.add(a integer, b integer) returns integer
language sql immutable as $$ select a + b $$;
grant execute on function api.add(integer, integer) to anon, authenticated;

create function api.greet(name text default 'world') returns text
language sql immutable as $$ select 'Hello, ' || name || '!' $$;
grant execute on function api.greet(text) to anon, authenticated;

create function api.items_named(prefix text) returns setof api.items
language sql stable as $$ select * from api.items where name like prefix || '%' $$;
grant execute on function api.items_named(text) to anon, authenticated;

create function api.item(item_id integer) returns api.items
language sql stable as $$ select * from api.items where id = item_id $$;
grant execute on function api.item(integer) to anon, authenticated;

create function api.all_items() returns setof api.items
language sql stable as $$ select * from api.items $$;
grant execute on function api.all_items() to anon, authenticated;

create function api.numbers() returns setof integer
language sql immutable as $$ select generate_series(1, 3) $$;
grant execute on function api.numbers() to anon, authenticated;

create function api.doubled(x integer, out doubled integer, out tripled integer)
language sql immutable as $$ select x * 2, x * 3 $$;
grant execute on function api.doubled(integer) to anon, authenticated;

create function api.plus_one(n integer, out num_plus_one integer)
language sql immutable as $$ select n + 1 $$;
grant execute on function api.plus_one(integer) to anon, authenticated;

create function api.words() returns table (data text)
language sql immutable as $$ values ('a'), ('b') $$;
grant execute on function api.words() to anon, authenticated;

create function api.echo(json) returns json
language sql immutable as $$ select $1 $$;
grant execute on function api.echo(json) to anon, authenticated;

-- One unnamed text parameter: a text/plain body is its argument, and so is a JSON body naming it by "" (whole).
create function api.echo_text(text) returns text
language sql immutable as $$ select $1 $$;
grant execute on function api.echo_text(text) to anon, authenticated;

create function api.sum_all(variadic v integer[]) returns integer
language sql immutable as $$ select sum(x)::integer from unnest(v) as x $$;
grant execute on function api.sum_all(integer[]) to anon, authenticated;

create function api.overloaded(a integer) returns text language sql immutable as $$ select 'int' $$;
create function api.overloaded(a text) returns text language sql immutable as $$ select 'text' $$;
grant execute on function api.overloaded(integer), api.overloaded(text) to anon, authenticated;

create function api.noop() returns void language sql volatile as $$ select $$;
grant execute on function api.noop() to anon, authenticated;

create table demo.fixture_counter (n integer not null);
insert into demo.fixture_counter values (0);
create function api.bump() returns integer
language sql volatile security definer set search_path = '' as
$$ update demo.fixture_counter set n = n + 1 returning n $$;
grant execute on function api.bump() to anon, authenticated;

create function api.whoami() returns json
language sql stable as $$
  select json_build_object(
    'role', current_user,
    'claims', nullif(current_setting('request.jwt.claims', true), '')::json,
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'headers', nullif(current_setting('request.headers', true), '')::json,
    'cookies', nullif(current_setting('request.cookies', true), '')::json,
    'read_only', current_setting('transaction_read_only'))
$$;
grant execute on function api.whoami() to anon, authenticated;

create function api.fail(kind text) returns void
language plpgsql immutable as $$
begin
  case kind
    when 'p0001' then raise exception 'Plain failure' using detail = 'some detail', hint = 'some hint';
    when 'pt402' then raise sqlstate 'PT402' using message = 'Payment Required';
    when 'pgrst' then raise sqlstate 'PGRST' using
      message = '{"code":"123","message":"ABC","details":"DEF","hint":"XYZ"}',
      detail = '{"status":332,"headers":{"X-Header":"str"}}';
    when 'badpgrst' then raise sqlstate 'PGRST' using message = 'INVALID';
    when 'internal' then raise sqlstate 'XX000' using message = 'secret internal detail';
    when 'unique' then raise unique_violation using message = 'duplicate key value';
    else raise exception 'unknown kind %', kind;
  end case;
end
$$;
grant execute on function api.fail(text) to anon, authenticated;

create function api.with_headers() returns text
language plpgsql stable as $$
begin
  perform set_config('response.headers', '[{"Cache-Control":"public, max-age=60"},{"X-Custom":"a"}]', true);
  perform set_config('response.status', '202', true);
  return 'ok';
end
$$;
grant execute on function api.with_headers() to anon, authenticated;

create function api.bad_headers() returns text
language plpgsql stable as $$
begin
  perform set_config('response.headers', '{"not":"an array"}', true);
  return 'ok';
end
$$;
grant execute on function api.bad_headers() to anon, authenticated;

create function api.sleep(seconds double precision) returns void
language sql volatile as $$ select pg_sleep(seconds) $$;
grant execute on function api.sleep(double precision) to anon, authenticated;

reset role;

-- For the RPC, error and transaction tests (Api/Rpc*, Api/Errors*, Api/Transaction*).
set role gateway_owner;

-- Overloads told apart by their argument names (x or y), not only by their types.
create function api.pick(x integer) returns text language sql immutable as $$ select 'x=' || x $$;
create function api.pick(y text) returns text language sql immutable as $$ select 'y=' || y $$;
grant execute on function api.pick(integer), api.pick(text) to anon, authenticated;

-- Only anon may call it: authenticated lacks EXECUTE, so its calls fail with 42501 (403).
create function api.anon_only() returns text language sql immutable as $$ select 'anon' $$;
grant execute on function api.anon_only() to anon;

-- RAISE SQLSTATE 'PGRST' with the caller's message and detail (no DETAIL at all when detail is null).
create function api.raise_pgrst(message text, detail text default null) returns void
language plpgsql immutable as $$
begin
  if raise_pgrst.detail is null then
    raise sqlstate 'PGRST' using message = raise_pgrst.message;
  end if;
  raise sqlstate 'PGRST' using message = raise_pgrst.message, detail = raise_pgrst.detail;
end
$$;
grant execute on function api.raise_pgrst(text, text) to anon, authenticated;

-- Writes, then fails: the write must be rolled back with the request.
create function api.bump_then_fail() returns integer
language plpgsql volatile security definer set search_path = '' as $$
begin
  update demo.fixture_counter set n = n + 1;
  raise exception 'Failed after writing' using hint = 'rolled_back';
end
$$;
grant execute on function api.bump_then_fail() to anon, authenticated;

reset role;

-- Read-path probes (Reads*Tests): what a GET's transaction looks like from inside, and a view whose every read
-- writes, to show that a GET cannot.
set role gateway_owner;

create view api.read_probe as
  select current_setting('transaction_read_only') as read_only, current_user::text as role;
comment on view api.read_probe is 'Fixture: the transaction mode and role a read runs with.';
grant select on api.read_probe to anon, authenticated;

create sequence demo.fixture_ticket;
grant usage on sequence demo.fixture_ticket to anon, authenticated;
create view api.write_probe as select nextval('demo.fixture_ticket') as ticket;
comment on view api.write_probe is 'Fixture: reading it calls nextval, which a read-only transaction refuses.';
grant select on api.write_probe to anon, authenticated;

reset role;

-- For the postgrest-js compatibility suite (Compatibility/PostgrestJsTests): a view anon and authenticated may
-- write through, over a table whose name is unique (inserts, upserts on the key or on name, and 23505, answered 409).
set role gateway_owner;

create table demo.fixture_tag (
  tag_id integer generated by default as identity primary key,
  name text not null unique,
  note text
);

create view api.tags as select tag_id, name, note from demo.fixture_tag;
comment on view api.tags is 'Fixture: writable by anon and authenticated; a duplicate name is a unique violation.';
grant select, insert, update, delete on api.tags to anon, authenticated;
-- Prefer: missing=default gives an absent tag_id its next value with nextval, which checks this privilege.
grant usage on sequence demo.fixture_tag_tag_id_seq to anon, authenticated;

-- A computed field of tags: select=name,label.
create function api.label(tag api.tags) returns text
language sql stable as $$ select tag.name || coalesce(' (' || tag.note || ')', '') $$;
comment on function api.label(api.tags) is 'Fixture: a computed field, the name with its note.';
grant execute on function api.label(api.tags) to anon, authenticated;

reset role;

-- For the write-path and request-surface tests (Api/Writes*, Api/Surface*): views to write through with and
-- without an inferred primary key, one no statement can write through, one the api roles may only read, and a
-- foreign key to violate. Each test writes rows of its own ids.
set role gateway_owner;

create table demo.fixture_note (
  id integer primary key,
  body text not null,
  tag text unique,
  n integer default 7,
  created_at timestamptz not null default now()
);

create view api.notes as select id, body, tag, n from demo.fixture_note;
comment on view api.notes is 'Fixture: writable by anon and authenticated; primary key id, inferred from demo.fixture_note.';
grant select, insert, update, delete on api.notes to anon, authenticated;

create view api.note_bodies as select body, tag, n from demo.fixture_note;
comment on view api.note_bodies is 'Fixture: writable, but without the key column, so it has no primary key (no PUT).';
grant select, insert, update, delete on api.note_bodies to anon, authenticated;

create view api.note_tags as select tag, count(*) as notes from demo.fixture_note group by tag;
comment on view api.note_tags is 'Fixture: an aggregate, which PostgreSQL cannot write through.';
grant select on api.note_tags to anon, authenticated;

create view api.notes_readonly as select id, body from demo.fixture_note;
comment on view api.notes_readonly is 'Fixture: auto-updatable, but anon and authenticated may only read it (writes: 42501).';
grant select on api.notes_readonly to anon, authenticated;

create table demo.fixture_note_link (
  id integer primary key,
  note_id integer not null references demo.fixture_note (id)
);

create view api.note_links as select id, note_id from demo.fixture_note_link;
comment on view api.note_links is 'Fixture: writable; note_id must name an existing note (23503).';
grant select, insert, update, delete on api.note_links to anon, authenticated;

reset role;

-- A view that may be read and updated but not deleted from: PATCH {} must still answer 204.
set role gateway_owner;
create view api.note_updates as select id, body from demo.fixture_note;
grant select, update on api.note_updates to anon, authenticated;
reset role;
