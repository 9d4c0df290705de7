-- Fixture functions for calls resolved by PostgREST's overload rules (issue 11): unknown functions and arguments,
-- overloads, and single unnamed parameters. Names, signatures and bodies follow PostgREST's spec fixture
-- (test/spec/fixtures/schema.sql), so its RpcSpec cases port with their expected bodies; results PostgREST returns
-- through domains named after media types ("text/plain") are returned as the plain types here.
-- Applied after Api/embedding-fixture.sql (which defines overloaded_default over its tasks) by RpcOverloadFixture only, whose
-- database has no Api/fixture.sql: that file has an api.overloaded of its own.
-- Created as the owner, like migrations; anon and authenticated may call every function.
set role gateway_owner;

-- Unknown functions and arguments: the hints name these.
create function api.sayhello(name text) returns text
  language sql immutable as $$ select 'Hello, ' || $1 $$;
create function api.sayhello_variadic(name text, variadic v text[]) returns text
  language sql immutable as $$ select 'Hello, ' || name $$;
create function api.add_them(a integer, b integer) returns integer
  language sql as $$ select a + b $$;
grant execute on function api.sayhello(text), api.sayhello_variadic(text, text[]), api.add_them(integer, integer)
  to anon, authenticated;

-- Overloads told apart by their argument names.
create function api.overloaded() returns setof integer language sql as $$ values (1), (2), (3) $$;
create function api.overloaded(json) returns table (x integer, y text)
  language sql as $$ select * from json_to_recordset($1) as r(x integer, y text) $$;
create function api.overloaded(a integer, b integer) returns integer language sql as $$ select a + b $$;
create function api.overloaded(a text, b text, c text) returns text language sql as $$ select a || b || c $$;
grant execute on function api.overloaded(), api.overloaded(json), api.overloaded(integer, integer),
  api.overloaded(text, text, text) to anon, authenticated;

create function api.overloaded_html_form() returns setof integer language sql as $$ values (1), (2), (3) $$;
create function api.overloaded_html_form(single_param json) returns json language sql as $$ select single_param $$;
create function api.overloaded_html_form(a integer, b integer) returns integer language sql as $$ select a + b $$;
create function api.overloaded_html_form(a text, b text, c text) returns text language sql as $$ select a || b || c $$;
grant execute on function api.overloaded_html_form(), api.overloaded_html_form(json),
  api.overloaded_html_form(integer, integer), api.overloaded_html_form(text, text, text) to anon, authenticated;

-- overloaded_default (the same signature but for a last parameter with a default, chosen by the required names
-- given) is in Api/embedding-fixture.sql, applied first: the embedding specs call it too.

-- The same argument names, different types: ambiguous.
create function api.overloaded_same_args(arg integer) returns json
  language sql as $$ select json_build_object('type', pg_typeof(arg), 'value', arg) $$;
create function api.overloaded_same_args(arg xml) returns json
  language sql as $$ select json_build_object('type', pg_typeof(arg), 'value', arg) $$;
create function api.overloaded_same_args(arg text, num integer default 0) returns json
  language sql as $$ select json_build_object('type', pg_typeof(arg), 'value', arg) $$;
grant execute on function api.overloaded_same_args(integer), api.overloaded_same_args(xml),
  api.overloaded_same_args(text, integer) to anon, authenticated;

-- Not PostgREST's: overloads a call without arguments fits through their defaults, named or unnamed.
create function api.defaults_only(a integer default 1) returns text language sql as $$ select 'a=' || a $$;
create function api.defaults_only(b text default 'x') returns text language sql as $$ select 'b=' || b $$;
create function api.defaults_unnamed() returns text language sql as $$ select 'none' $$;
create function api.defaults_unnamed(json default '{}') returns text language sql as $$ select 'json' $$;
grant execute on function api.defaults_only(integer), api.defaults_only(text), api.defaults_unnamed(),
  api.defaults_unnamed(json) to anon, authenticated;

-- A single unnamed parameter takes the whole body, by the body's media type.
create function api.unnamed_json_param(json) returns json language sql as $$ select $1 $$;
create function api.named_json_param(data json) returns json language sql as $$ select data $$;
create function api.unnamed_text_param(text) returns text language sql as $$ select $1 $$;
create function api.unnamed_xml_param(pg_catalog.xml) returns xml language sql as $$ select $1 $$;
create function api.unnamed_bytea_param(bytea) returns bytea language sql as $$ select $1 $$;
-- Not callable by name (an unnamed integer), so PostgREST does not know it.
create function api.unnamed_int_param(int) returns integer language sql as $$ select $1 $$;
grant execute on function api.unnamed_json_param(json), api.named_json_param(json), api.unnamed_text_param(text),
  api.unnamed_xml_param(xml), api.unnamed_bytea_param(bytea), api.unnamed_int_param(integer) to anon, authenticated;

create function api.overloaded_unnamed_param(json) returns json language sql as $$ select $1 $$;
create function api.overloaded_unnamed_param(bytea) returns bytea language sql as $$ select $1 $$;
create function api.overloaded_unnamed_param(text) returns text language sql as $$ select $1 $$;
create function api.overloaded_unnamed_param() returns integer language sql as $$ select 1 $$;
create function api.overloaded_unnamed_param(x integer, y integer) returns integer language sql as $$ select x + y $$;
grant execute on function api.overloaded_unnamed_param(json), api.overloaded_unnamed_param(bytea),
  api.overloaded_unnamed_param(text), api.overloaded_unnamed_param(), api.overloaded_unnamed_param(integer, integer)
  to anon, authenticated;

create function api.overloaded_unnamed_json_jsonb_param(json) returns json language sql as $$ select $1 $$;
create function api.overloaded_unnamed_json_jsonb_param(jsonb) returns jsonb language sql as $$ select $1 $$;
create function api.overloaded_unnamed_json_jsonb_param(x integer, y integer) returns integer
  language sql as $$ select x + y $$;
grant execute on function api.overloaded_unnamed_json_jsonb_param(json), api.overloaded_unnamed_json_jsonb_param(jsonb),
  api.overloaded_unnamed_json_jsonb_param(integer, integer) to anon, authenticated;

reset role;
