-- Fixture objects for application/geo+json (Api/GeoJsonTests and the postgrest-js GeoJSON case), applied only where
-- the server has PostGIS (Debian's postgresql-15-postgis-3; scripts/test.sh installs it when it can): the extension
-- in a schema of its own, so the gateway must find st_asgeojson there, and a view and a function with a geometry.
create schema gis;
create extension postgis schema gis;
grant usage on schema gis to gateway_owner, anon, authenticated;

set role gateway_owner;

create table demo.geo_places (
  id integer primary key,
  name text not null,
  geom gis.geometry(Point, 4326) not null
);

insert into demo.geo_places values
  (1, 'Lima', 'SRID=4326;POINT(-77.03 -12.05)'),
  (2, 'Lisbon', 'SRID=4326;POINT(-9.14 38.72)'),
  (3, 'Oslo', 'SRID=4326;POINT(10.75 59.91)');

create view api.geo_places as select id, name, geom from demo.geo_places;
comment on view api.geo_places is 'PostGIS fixture: points, answered as GeoJSON on request.';
grant select on api.geo_places to anon, authenticated;

create function api.geo_places_named(prefix text) returns setof api.geo_places
language sql stable as $$ select * from api.geo_places where name like prefix || '%' order by id $$;
comment on function api.geo_places_named(text) is 'PostGIS fixture: the places whose name starts with prefix.';
grant execute on function api.geo_places_named(text) to anon, authenticated;

-- A table exposed directly, not a view.
create table api.spots (id integer primary key, label text not null, area gis.geography not null);
insert into api.spots values (1, 'square', 'POLYGON((0 0, 0 1, 1 1, 1 0, 0 0))');
comment on table api.spots is 'PostGIS fixture: a table in the exposed schema, with a geography.';
grant select on api.spots to anon, authenticated;

reset role;
