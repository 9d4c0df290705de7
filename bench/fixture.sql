-- Bench fixture for the database gateway_bench (bench/run.sh applies it after the migrator, every run).
-- Created as the owner, like migrations, and granted explicitly; run as a superuser.
\set ON_ERROR_STOP on
set client_min_messages = warning;
begin;
drop function if exists api.bench_echo(integer);
drop view if exists api.bench_item_parts;
drop view if exists api.bench_items;
drop schema if exists bench cascade;
create schema bench authorization gateway_owner;
comment on schema bench is 'Private tables behind the bench api (bench_items, bench_item_parts, bench_echo). Bench database only.';
revoke all on schema bench from public;

set local role gateway_owner;

create table bench.item (
  id integer primary key,
  name text not null,
  price numeric(10, 2) not null,
  in_stock boolean not null,
  tags text[] not null,
  created_at timestamptz not null
);

-- 10,000 rows, the same every run.
insert into bench.item
select i,
       'item ' || i,
       (i % 1000) / 10.0 + 0.99,
       i % 3 <> 0,
       array['tag' || (i % 7), 'tag' || (i % 11)],
       timestamptz '2024-01-01 00:00+00' + i * interval '1 hour'
from generate_series(1, 10000) as i;

-- Ten parts per item, for the embedding scenario (one parent, ten children).
create table bench.part (
  id integer primary key,
  item_id integer not null references bench.item (id),
  label text not null,
  qty integer not null
);
insert into bench.part select i, (i - 1) / 10 + 1, 'part ' || i, i % 13 from generate_series(1, 100000) as i;
create index on bench.part (item_id);

create view api.bench_items as
  select id, name, price, in_stock, tags, created_at from bench.item;
comment on view api.bench_items is 'Bench: 10,000 rows, read one by primary key (GET /bench_items?id=eq.N).';
grant select on api.bench_items to authenticated;

create view api.bench_item_parts as
  select id, item_id, label, qty from bench.part;
comment on view api.bench_item_parts is 'Bench: ten parts per item, embedded (GET /bench_items?id=eq.N&select=id,name,bench_item_parts(id,label,qty)).';
grant select on api.bench_item_parts to authenticated;

-- Volatile, as most functions called by POST are, so its transaction is read-write like theirs. It reads the
-- row through the view (the caller's grant), and returns a small object, so it does about the GET's work.
create function api.bench_echo(n integer) returns jsonb
language sql volatile
as $$
  select jsonb_build_object('n', n, 'item', (select to_jsonb(i) from api.bench_items as i where i.id = n))
$$;
comment on function api.bench_echo(integer) is 'Bench: echoes n with the row of that id (POST /rpc/bench_echo {"n": N}).';
grant execute on function api.bench_echo(integer) to authenticated;

commit;
analyze bench.item;
analyze bench.part;
