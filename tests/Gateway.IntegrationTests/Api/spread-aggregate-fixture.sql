-- Fixture objects for the spread and aggregate specs (Api/SpreadAggregateSpecTests): PostgREST's own spec tables
-- factories, processes, process_costs, process_categories, supervisors, process_supervisor, operators,
-- process_operator and factory_buildings (test/spec/fixtures/schema.sql and data.sql: their names, keys and rows),
-- recreated as private tables in demo behind api views, so PostgREST's expected bodies apply to the gateway's layout.
-- Applied by the test class to its own database, as the owner, like migrations.
set role gateway_owner;
create table demo.factories (id int primary key, name text);
create table demo.process_categories (id int primary key, name text);
create table demo.processes (id int primary key, name text, factory_id int references demo.factories (id),
  category_id int references demo.process_categories (id));
create table demo.process_costs (process_id int references demo.processes (id) primary key, cost numeric);
create table demo.supervisors (id int primary key, name text);
create table demo.process_supervisor (process_id int references demo.processes (id),
  supervisor_id int references demo.supervisors (id),
  primary key (process_id, supervisor_id));
insert into demo.factories values (1, 'Factory A'), (2, 'Factory B'), (3, 'Factory C'), (4, 'Factory D');
insert into demo.process_categories values (1, 'Batch'), (2, 'Mass');
insert into demo.processes values (1, 'Process A1', 1, 1), (2, 'Process A2', 1, 2), (3, 'Process B1', 2, 1),
  (4, 'Process B2', 2, 1), (5, 'Process C1', 3, 2), (6, 'Process C2', 3, 2), (7, 'Process XX', 3, 2),
  (8, 'Process YY', 3, 2);
insert into demo.process_costs values (1, 150.00), (2, 200.00), (3, 180.00), (4, 70.00), (5, 40.00), (6, 70.00),
  (8, 40.00);
insert into demo.supervisors values (1, 'Mary'), (2, 'John'), (3, 'Peter'), (4, 'Sarah'), (5, 'Jane');
insert into demo.process_supervisor values (1, 1), (2, 2), (3, 3), (3, 4), (4, 1), (4, 2), (5, 3), (6, 3);
create view api.factories as select id, name from demo.factories;
create view api.process_categories as select id, name from demo.process_categories;
create view api.processes as select id, name, factory_id, category_id from demo.processes;
create view api.process_costs as select process_id, cost from demo.process_costs;
create view api.supervisors as select id, name from demo.supervisors;
create table demo.operators (id int primary key, name text, status jsonb);
create table demo.process_operator (process_id int references demo.processes (id), operator_id int references demo.operators (id), primary key (process_id, operator_id));
create table demo.factory_buildings (id int primary key, code char(4), size numeric, "type" char(1), factory_id int references demo.factories (id), inspections jsonb);
insert into demo.operators values (1, 'Anne', '{"id": "543210", "afk": true}'), (2, 'Louis', '{"id": "012345"}'), (3, 'Jeff', '{"id": "666666", "afk": true}'), (4, 'Liz', '{"id": "999999"}'), (5, 'Alfred', '{"id": "000000"}');
insert into demo.process_operator values (1,1),(1,2),(2,1),(2,2),(2,3),(3,3),(4,1),(4,3),(6,3),(6,5),(7,5);
insert into demo.factory_buildings values (1, 'A001', 150, 'A', 1, '{"ins": "2024C", "pending": true}'), (2, 'A002', 200, 'A', 1, '{"ins": "2025A", "pending": true}'), (3, 'B001', 50, 'B', 2, '{"ins": "2025A", "pending": true}'), (4, 'B002', 120, 'C', 2, '{"ins": "2023A"}'), (5, 'C001', 240, 'B', 3, '{"ins": "2022B"}'), (6, 'D001', 310, 'A', 4, '{"ins": "2024C", "pending": true}');
create view api.operators as select id, name, status from demo.operators;
create view api.process_operator as select process_id, operator_id from demo.process_operator;
create view api.factory_buildings as select id, code, size, "type", factory_id, inspections from demo.factory_buildings;
grant select on api.operators, api.process_operator, api.factory_buildings to anon;
create view api.process_supervisor as select process_id, supervisor_id from demo.process_supervisor;
grant select on api.factories, api.process_categories, api.processes, api.process_costs, api.supervisors,
  api.process_supervisor to anon;
reset role;
