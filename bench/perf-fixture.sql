-- The perf_* functions for the database gateway_bench (bench/run.sh applies it after bench/fixture.sql, every run).
-- Equivalents of the functions NpgsqlRest's public pg_function_load_tests benchmark calls (its perf_minimal,
-- perf_test, perf_post and perf_large_payload, written here anew): like theirs they read no table, so the
-- database's work is small and steady and what is measured is the server in front of it. Called as PostgREST
-- would be (GET or POST /rpc/perf_...), without a token, so as anon; the bench's own functions
-- (bench/fixture.sql) are the ones called with a token. Created as the owner and granted explicitly; run as a
-- superuser.
\set ON_ERROR_STOP on
set client_min_messages = warning;
begin;
drop function if exists api.perf_minimal();
drop function if exists api.perf_test(integer, text, integer, boolean, date, timestamptz, jsonb);
drop function if exists api.perf_post(integer, jsonb);
drop function if exists api.perf_large_payload(integer);

set local role gateway_owner;

-- The smallest call: one row of two columns. Stable, so GET runs it in a read-only transaction.
create function api.perf_minimal() returns table (status text, ts timestamptz)
language sql stable
as $$
  select 'ok', now()
$$;
comment on function api.perf_minimal() is 'Bench: one small row (GET /rpc/perf_minimal); the per-call overhead.';
grant execute on function api.perf_minimal() to anon, authenticated;

-- _records rows of a dozen columns of common types, each derived from the arguments (which come from the query
-- string) and the row number: the serialisation of a typical result set.
create function api.perf_test(
  _records integer,
  _text text default 'perf',
  _int integer default 0,
  _bool boolean default true,
  _date date default '2024-01-15',
  _timestamptz timestamptz default '2024-01-15 10:30:00+00',
  _jsonb jsonb default '{}'
) returns table (
  row_num integer,
  text_val text,
  int_val integer,
  bigint_val bigint,
  numeric_val numeric(12, 4),
  double_val double precision,
  bool_val boolean,
  date_val date,
  timestamptz_val timestamptz,
  interval_val interval,
  uuid_val uuid,
  jsonb_val jsonb,
  int_array_val integer[],
  nullable_text text
)
language sql stable
as $$
  select n,
         _text || '-' || n,
         _int + n,
         _int::bigint * 1000 + n,
         round(n * 1.2345 + 0.5, 4),
         n / 7.0::double precision,
         (n % 2 = 0) = _bool,
         _date + n,
         _timestamptz + n * interval '1 minute',
         n * interval '90 seconds',
         md5(_text || n)::uuid,
         _jsonb || jsonb_build_object('n', n),
         array[n, n * 2, n * 3],
         case when n % 3 <> 0 then _text end
  from generate_series(1, _records) as n
$$;
comment on function api.perf_test(integer, text, integer, boolean, date, timestamptz, jsonb) is
  'Bench: _records rows of typed columns (GET /rpc/perf_test?_records=10&...).';
grant execute on function api.perf_test(integer, text, integer, boolean, date, timestamptz, jsonb) to anon, authenticated;

-- A POST with a JSON body: the body's _payload echoed on each of _records rows. Volatile, as functions called by
-- POST usually are, so its transaction is read-write.
create function api.perf_post(_records integer, _payload jsonb) returns table (row_num integer, echo jsonb, computed text)
language sql volatile
as $$
  select n, _payload, 'row ' || n || ' of ' || _records
  from generate_series(1, _records) as n
$$;
comment on function api.perf_post(integer, jsonb) is 'Bench: echoes a JSON body on _records rows (POST /rpc/perf_post).';
grant execute on function api.perf_post(integer, jsonb) to anon, authenticated;

-- One row whose text column is _size_kb kilobytes: a large response.
create function api.perf_large_payload(_size_kb integer) returns table (data text)
language sql stable
as $$
  select repeat('x', _size_kb * 1024)
$$;
comment on function api.perf_large_payload(integer) is 'Bench: one row of _size_kb KB of text (GET /rpc/perf_large_payload?_size_kb=100).';
grant execute on function api.perf_large_payload(integer) to anon, authenticated;

commit;
