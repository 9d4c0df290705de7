-- Soak fixture for the database gateway_soak (bench/soak.sh applies it after bench/fixture.sql and
-- bench/perf-fixture.sql, every run): somewhere for the soak's writes to go. Created as the owner, like
-- migrations, and granted explicitly; run as a superuser.
\set ON_ERROR_STOP on
set client_min_messages = warning;
begin;
drop view if exists api.soak_events;
drop table if exists bench.soak_event;

set local role gateway_owner;

-- One row per write of the soak; the table grows for the whole run, as a real one does.
create table bench.soak_event (
  id bigint generated always as identity primary key,
  n integer not null,
  note text not null,
  at timestamptz not null default now()
);

create view api.soak_events as select id, n, note, at from bench.soak_event;
comment on view api.soak_events is 'Soak: inserted into (POST /soak_events {"n": N, "note": ...}).';
grant select, insert on api.soak_events to authenticated;
grant insert on bench.soak_event to authenticated;

commit;
