-- Fixture objects for resource embedding (issue 10): api views over private tables in demo, with every kind of
-- relationship the catalog finds through views. Names, keys and rows follow PostgREST's own spec fixture
-- (test/spec/fixtures/schema.sql, data.sql) where it has them, so its embedding specs port with their expected
-- bodies; the constraints on projects and tasks are renamed 'client' and 'project' there too.
-- Applied after Api/fixture.sql by every fixture that serves the Api views (ApiFixture.ApplyFixtureSqlAsync).
-- Created as the owner, like migrations; anon and authenticated may read every view and call every function, and
-- may write through projects and tasks (tests that write use rows of their own ids above 100).
set role gateway_owner;

create table demo.clients (
  id integer primary key,
  name text not null
);

create table demo.projects (
  id integer primary key,
  name text not null,
  client_id integer constraint client references demo.clients (id)
);

create table demo.tasks (
  id integer primary key,
  name text not null,
  project_id integer constraint project references demo.projects (id)
);

create table demo.users (
  id integer primary key,
  name text not null
);

-- Junctions: both keys are the primary key, so users and tasks (and users and projects) are many-to-many.
create table demo.users_tasks (
  user_id integer not null references demo.users (id),
  task_id integer not null references demo.tasks (id),
  primary key (task_id, user_id)
);

create table demo.users_projects (
  user_id integer not null references demo.users (id),
  project_id integer not null references demo.projects (id),
  primary key (project_id, user_id)
);

-- A self-reference: employees_manager_id_fkey, many-to-one to the manager and one-to-many to the reports.
create table demo.employees (
  id integer primary key,
  name text not null,
  manager_id integer references demo.employees (id)
);

-- Two keys to the same table: messages_sender_id_fkey and messages_recipient_id_fkey.
create table demo.messages (
  id integer primary key,
  body text not null,
  sender_id integer not null references demo.users (id),
  recipient_id integer not null references demo.users (id)
);

-- One-to-one: user_id is unique, so profiles_user_id_fkey is one-to-one both ways.
create table demo.profiles (
  id integer primary key,
  user_id integer not null unique references demo.users (id),
  bio text
);

insert into demo.clients values (1, 'Microsoft'), (2, 'Apple');
insert into demo.projects values (1, 'Windows 7', 1), (2, 'Windows 10', 1), (3, 'IOS', 2), (4, 'OSX', 2), (5, 'Orphan', null);
insert into demo.tasks values
  (1, 'Design w7', 1), (2, 'Code w7', 1), (3, 'Design w10', 2), (4, 'Code w10', 2),
  (5, 'Design IOS', 3), (6, 'Code IOS', 3), (7, 'Design OSX', 4), (8, 'Code OSX', 4);
insert into demo.users values (1, 'Angela Martin'), (2, 'Michael Scott'), (3, 'Dwight Schrute');
insert into demo.users_tasks values (1, 1), (1, 2), (1, 3), (1, 4), (2, 5), (2, 6), (2, 7), (3, 1), (3, 5);
insert into demo.users_projects values (1, 1), (1, 2), (2, 3), (2, 4), (3, 1), (3, 3);
insert into demo.employees values (1, 'Jan Levinson', null), (2, 'Michael Scott', 1), (3, 'Dwight Schrute', 2), (4, 'Jim Halpert', 2);
insert into demo.messages values
  (1, 'Hello Michael', 1, 2), (2, 'Hello Angela', 2, 1), (3, 'Beets are ready', 3, 2), (4, 'Note to self', 3, 3);
insert into demo.profiles values (1, 1, 'Head of accounting'), (2, 2, 'Regional manager');

create view api.clients as select id, name from demo.clients;
comment on view api.clients is 'Embedding fixture: projects refer to clients (constraint client).';
grant select on api.clients to anon, authenticated;

create view api.projects as select id, name, client_id from demo.projects;
comment on view api.projects is 'Embedding fixture: many-to-one to clients, one-to-many to tasks, many-to-many with users.';
grant select, insert, update, delete on api.projects to anon, authenticated;

create view api.tasks as select id, name, project_id from demo.tasks;
comment on view api.tasks is 'Embedding fixture: many-to-one to projects (constraint project), many-to-many with users.';
grant select, insert, update, delete on api.tasks to anon, authenticated;

create view api.users as select id, name from demo.users;
comment on view api.users is 'Embedding fixture: many-to-many with tasks and projects, one-to-one with profiles.';
grant select on api.users to anon, authenticated;

create view api.users_tasks as select user_id, task_id from demo.users_tasks;
comment on view api.users_tasks is 'Embedding fixture: the junction of users and tasks.';
grant select on api.users_tasks to anon, authenticated;

create view api.users_projects as select user_id, project_id from demo.users_projects;
comment on view api.users_projects is 'Embedding fixture: the junction of users and projects.';
grant select on api.users_projects to anon, authenticated;

create view api.employees as select id, name, manager_id from demo.employees;
comment on view api.employees is 'Embedding fixture: a self-reference (manager_id).';
grant select on api.employees to anon, authenticated;

create view api.messages as select id, body, sender_id, recipient_id from demo.messages;
comment on view api.messages is 'Embedding fixture: two keys to users (sender_id, recipient_id).';
grant select on api.messages to anon, authenticated;

create view api.profiles as select id, user_id, bio from demo.profiles;
comment on view api.profiles is 'Embedding fixture: one-to-one with users.';
grant select on api.profiles to anon, authenticated;

-- Renames the key columns: its relationships use its own names ("myId", "projectID").
create view api.filtered_tasks as select id as "myId", name, project_id as "projectID" from demo.tasks;
comment on view api.filtered_tasks is 'Embedding fixture: tasks with renamed columns.';
grant select on api.filtered_tasks to anon, authenticated;

-- Hides project_id: no relationship to projects (it keeps those through id).
create view api.task_names as select id, name from demo.tasks;
comment on view api.task_names is 'Embedding fixture: tasks without their project.';
grant select on api.task_names to anon, authenticated;

-- A view of a view: its columns are followed through api.projects to demo.projects.
create view api.windows_projects as select id, name, client_id from api.projects where name like 'Windows%';
comment on view api.windows_projects is 'Embedding fixture: a view of the projects view.';
grant select on api.windows_projects to anon, authenticated;

-- Computed relationships: a function of a view's row returning rows of another view, embedded by its name. Their
-- arguments are named, so they are also ordinary functions in the OpenAPI document (it leaves out unnamed ones).
create function api.computed_projects(client api.clients) returns setof api.projects
language sql stable as $$ select * from api.projects where client_id = client.id $$;
comment on function api.computed_projects(api.clients) is 'Embedding fixture: to-many computed relationship.';
grant execute on function api.computed_projects(api.clients) to anon, authenticated;

create function api.computed_clients(project api.projects) returns setof api.clients
language sql stable rows 1 as $$ select * from api.clients where id = project.client_id $$;
comment on function api.computed_clients(api.projects) is 'Embedding fixture: to-one computed relationship (setof, rows 1).';
grant execute on function api.computed_clients(api.projects) to anon, authenticated;

create function api.computed_manager(employee api.employees) returns api.employees
language sql stable as $$ select * from api.employees where id = employee.manager_id $$;
comment on function api.computed_manager(api.employees) is 'Embedding fixture: to-one computed self-relationship (not setof).';
grant execute on function api.computed_manager(api.employees) to anon, authenticated;

-- Beyond PostgREST's spec fixture (Api/Embed*Tests): what the gateway's own embedding tests need and PostgREST's
-- names and rows lack, as new objects beside them, so the spec objects keep their columns, rows and row order (spec
-- cases without order= read demo.tasks as it was inserted, so it is never updated here). tracked_tasks shows the tasks
-- with a row in demo.task_states, with their done flag and jsonb metadata, for embedded filters and JSON paths;
-- invoices are amounts per project, for aggregates (Windows 10, OSX and Orphan have none); task_comments are under
-- row-level security; open_tasks and top_invoice are computed relationships of projects, and projects_of returns
-- rows of the projects view.
create table demo.task_states (
  task_id integer primary key references demo.tasks (id),
  done boolean not null,
  meta jsonb
);

create table demo.invoices (
  id integer primary key,
  project_id integer not null references demo.projects (id),
  amount numeric(10, 2) not null,
  status text not null
);

-- Comments on tasks, each visible only to the role named in audience: through the view, a child row the caller may
-- not see must be absent from an embed, never an error.
create table demo.task_comments (
  id integer primary key,
  task_id integer not null references demo.tasks (id),
  body text not null,
  audience name not null
);

insert into demo.task_states values
  (1, true, '{"size": {"w": 1}, "tag": "ui"}'), (2, false, '{"size": {"w": 2}, "tag": "dev"}'),
  (3, true, null), (4, false, null), (5, false, null), (6, true, null), (7, false, null), (8, false, null);
insert into demo.invoices values (1, 1, 100.50, 'paid'), (2, 1, 200.25, 'open'), (3, 3, 50.00, 'paid'), (4, 3, 75.30, 'paid');
insert into demo.task_comments values
  (1, 1, 'public note', 'anon'), (2, 1, 'members only', 'authenticated'), (3, 2, 'public too', 'anon');

-- Enabled after the rows are in: with FORCE the policy binds the owner too, and no row's audience is gateway_owner.
alter table demo.task_comments enable row level security;
-- The view runs as its owner, who owns this table too: without FORCE every request would bypass the policy.
alter table demo.task_comments force row level security;
-- current_user is the request's role (anon or authenticated) inside the view, not the view's owner.
create policy task_comments_audience on demo.task_comments for all using (audience = current_user);

-- Joins the two tables: its keys are followed to demo.tasks through id and project_id, as through a one-table view.
create view api.tracked_tasks as
  select t.id, t.name, s.done, t.project_id, s.meta from demo.tasks t join demo.task_states s on s.task_id = t.id;
comment on view api.tracked_tasks is 'Embedding fixture: tasks with their done flag and jsonb metadata.';
grant select on api.tracked_tasks to anon, authenticated;

create view api.invoices as select id, project_id, amount, status from demo.invoices;
comment on view api.invoices is 'Embedding fixture: amounts per project, for aggregates.';
grant select on api.invoices to anon, authenticated;

create view api.task_comments as select id, task_id, body from demo.task_comments;
comment on view api.task_comments is 'Embedding fixture: comments under row-level security; each role sees only its own audience''s.';
grant select on api.task_comments to anon, authenticated;

create function api.open_tasks(project api.projects) returns setof api.tracked_tasks
language sql stable as $$ select * from api.tracked_tasks where project_id = project.id and not done order by id $$;
comment on function api.open_tasks(api.projects) is 'Embedding fixture: a computed to-many relationship, a project''s tasks not done.';
grant execute on function api.open_tasks(api.projects) to anon, authenticated;

create function api.top_invoice(project api.projects) returns setof api.invoices
language sql stable rows 1 as $$ select * from api.invoices where project_id = project.id order by amount desc limit 1 $$;
comment on function api.top_invoice(api.projects) is 'Embedding fixture: a computed to-one relationship, a project''s largest invoice.';
grant execute on function api.top_invoice(api.projects) to anon, authenticated;

-- Rows of a view from a function: /rpc/projects_of?select=id,clients(name) embeds as a read of api.projects does.
create function api.projects_of(client integer) returns setof api.projects
language sql stable as $$ select * from api.projects where client_id = client $$;
comment on function api.projects_of(integer) is 'Embedding fixture: the projects of one client, as rows of api.projects.';
grant execute on function api.projects_of(integer) to anon, authenticated;

reset role;
